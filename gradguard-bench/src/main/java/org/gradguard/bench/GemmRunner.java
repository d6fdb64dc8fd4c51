package org.gradguard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.Json;

/**
 * Measures square matrix multiplication {@code C = A·B} through {@link Tensor#matmul} on the
 * current backend, in GFLOP/s ({@code 2n³} per product), and prints ONE JSON line. {@code
 * bench/vs-torch} runs the same loop in PyTorch ({@code a @ b}) to compare with OpenBLAS.
 *
 * <pre>
 * GemmRunner [--sizes 256,512,1024] [--threads 1] [--min-time 1] [--jit-quiet 1] [--max-warmup 30]
 * </pre>
 *
 * <p>For each size: products for at least {@code --min-time / 4} seconds (and at least 2) untimed,
 * and on until the JIT compiler has been quiet for {@code --jit-quiet} seconds (at most {@code
 * --max-warmup}; 0 turns the check off; see {@link JitWarmup}); then products until {@code
 * --min-time} seconds have passed (at least one). Each product allocates its result, as {@code a @
 * b} does. Exit status 2 for a usage error.
 */
public final class GemmRunner {
  private GemmRunner() {}

  /** Runs the measurement that {@code args} describe; see the class documentation. */
  public static void main(String[] args) {
    int[] sizes = {256, 512, 1024};
    int threads = 1;
    double minTime = 1;
    double jitQuiet = 1;
    double maxWarmup = 30;
    JitWarmup jit;
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        String value = args[++i];
        switch (arg) {
          case "--sizes" -> sizes = parseSizes(value);
          case "--threads" -> threads = Integer.parseInt(value);
          case "--min-time" -> minTime = Double.parseDouble(value);
          case "--jit-quiet" -> jitQuiet = Double.parseDouble(value);
          case "--max-warmup" -> maxWarmup = Double.parseDouble(value);
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
      }
      if (!(minTime >= 0) || Double.isInfinite(minTime)) {
        throw new IllegalArgumentException("--min-time must be finite and >= 0, got " + minTime);
      }
      jit = new JitWarmup(0, jitQuiet, maxWarmup); // checks --jit-quiet and --max-warmup
    } catch (IllegalArgumentException e) {
      System.err.println("GemmRunner: " + e.getMessage());
      System.err.println(
          "usage: GemmRunner [--sizes 256,512,1024] [--threads 1] [--min-time 1] [--jit-quiet 1]"
              + " [--max-warmup 30]");
      System.exit(2);
      return;
    }
    Parallel.setThreads(threads);
    System.out.println(Json.write(measure(sizes, threads, minTime, jit)));
  }

  private static int[] parseSizes(String value) {
    String[] parts = value.split(",");
    int[] sizes = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      sizes[i] = Integer.parseInt(parts[i].trim());
      if (sizes[i] < 1) {
        throw new IllegalArgumentException("--sizes must be positive, got " + value);
      }
    }
    return sizes;
  }

  /** The JSON line's fields: where it ran, then one entry per size. */
  static Map<String, Object> measure(int[] sizes, int threads, double minTime, JitWarmup jit) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threads", threads);
    out.putAll(Machine.describe());
    List<Object> rows = new ArrayList<>();
    Rng rng = new Rng(0);
    for (int n : sizes) {
      Tensor a = Tensor.randn(rng, n, n);
      Tensor b = Tensor.randn(rng, n, n);
      long warm = 0;
      long warmStart = System.nanoTime();
      long t0 = warmStart;
      while (warm < 2 || (System.nanoTime() - t0) / 1e9 < minTime / 4) {
        a.matmul(b);
        warm++;
      }
      JitWarmup.Result warmed = jit.run(() -> a.matmul(b));
      long calls = 0;
      double elapsed;
      t0 = System.nanoTime();
      do {
        a.matmul(b);
        calls++;
        elapsed = (System.nanoTime() - t0) / 1e9;
      } while (elapsed < minTime);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("n", n);
      row.put("warmup_seconds", Machine.round((t0 - warmStart) / 1e9, 3));
      row.put("warmup_jit_quiet", warmed.quiet());
      row.put("calls", calls);
      row.put("seconds", Machine.round(elapsed, 3));
      row.put("ms_per_call", Machine.round(1000 * elapsed / calls, 4));
      row.put("gflops", Machine.round(2.0 * n * n * n * calls / elapsed / 1e9, 2));
      rows.add(row);
    }
    out.put("gemm", rows);
    out.put("peak_rss_mb", Machine.peakRssMb());
    return out;
  }
}
