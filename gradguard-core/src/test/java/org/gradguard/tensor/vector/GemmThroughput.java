package org.gradguard.tensor.vector;

import java.util.Arrays;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * A quick GEMM throughput check, not a test and not a benchmark suite: square products {@code C =
 * A·B} at several sizes, reference versus vector kernels, on 1 and 2 threads, in GFLOP/s (median of
 * five timed batches after warm-up). Run after {@code mvn test-compile}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector \
 *   -cp gradguard-core/target/classes:gradguard-core/target/test-classes \
 *   org.gradguard.tensor.vector.GemmThroughput [sizes...]
 * </pre>
 *
 * <p>Absolute numbers depend on the machine and on what else runs on it; compare the ratios taken
 * in one run.
 */
public final class GemmThroughput {
  private GemmThroughput() {}

  public static void main(String[] args) {
    int[] sizes =
        args.length == 0
            ? new int[] {64, 128, 256, 512, 1024}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Backend ref = new ReferenceBackend();
    Backend vec = new VectorBackend();
    System.out.println(
        "GEMM C = A·B (no transposition), GFLOP/s; "
            + vec
            + ", cores: "
            + Runtime.getRuntime().availableProcessors());
    System.out.printf("%6s %8s %10s %10s %8s%n", "n", "threads", "reference", "vector", "ratio");
    int before = Parallel.threads();
    try {
      for (int n : sizes) {
        Rng rng = new Rng(n);
        float[] a = Tensor.randn(rng, n, n).data();
        float[] b = Tensor.randn(rng, n, n).data();
        float[] c = new float[n * n];
        for (int threads : new int[] {1, 2}) {
          Parallel.setThreads(threads);
          double r = gflops(ref, n, a, b, c);
          double v = gflops(vec, n, a, b, c);
          System.out.printf("%6d %8d %10.2f %10.2f %8.1f%n", n, threads, r, v, v / r);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  private static double gflops(Backend be, int n, float[] a, float[] b, float[] c) {
    double flops = 2.0 * n * n * n;
    // about 50 ms per batch at 1 GFLOP/s for the reference, far less for the vector kernels
    int reps = (int) Math.max(1, Math.min(100_000, 5e7 / flops));
    for (int i = 0; i < 3 * reps; i++) {
      be.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
    }
    double[] rates = new double[5];
    for (int t = 0; t < rates.length; t++) {
      long start = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        be.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
      }
      rates[t] = flops * reps / (System.nanoTime() - start);
    }
    Arrays.sort(rates);
    return rates[rates.length / 2];
  }
}
