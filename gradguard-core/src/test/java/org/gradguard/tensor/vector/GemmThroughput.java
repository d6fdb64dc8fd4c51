package org.gradguard.tensor.vector;

import java.util.Arrays;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * A quick GEMM throughput check, not a test and not a benchmark suite: square products {@code C =
 * A·B} at several sizes, reference versus vector kernels, on 1 and 2 threads, in GFLOP/s. Batches
 * of the two backends alternate, so both see the same machine load; the best and the median of
 * seven batches are printed. Run after {@code mvn test-compile}:
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
  private static final int ROUNDS = 7;

  private GemmThroughput() {}

  public static void main(String[] args) {
    int[] sizes =
        args.length == 0
            ? new int[] {64, 128, 256, 512, 1024}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Backend ref = new ReferenceBackend();
    Backend vec = new VectorBackend();
    System.out.printf(
        "GEMM C = A·B, GFLOP/s: best (median) of %d alternating batches; %s; %d cores%n",
        ROUNDS, vec, Runtime.getRuntime().availableProcessors());
    System.out.printf("%6s %7s %16s %16s %8s%n", "n", "threads", "reference", "vector", "ratio");
    int before = Parallel.threads();
    try {
      for (int n : sizes) {
        Rng rng = new Rng(n);
        float[] a = Tensor.randn(rng, n, n).data();
        float[] b = Tensor.randn(rng, n, n).data();
        float[] c = new float[n * n];
        for (int threads : new int[] {1, 2}) {
          Parallel.setThreads(threads);
          double[] r = new double[ROUNDS];
          double[] v = new double[ROUNDS];
          batch(ref, n, a, b, c, 1e7); // warm-up
          batch(vec, n, a, b, c, 3e8);
          for (int t = 0; t < ROUNDS; t++) {
            r[t] = batch(ref, n, a, b, c, 2e7);
            v[t] = batch(vec, n, a, b, c, 4e8);
          }
          Arrays.sort(r);
          Arrays.sort(v);
          System.out.printf(
              "%6d %7d %7.2f (%6.2f) %7.2f (%6.2f) %8.1f%n",
              n,
              threads,
              r[ROUNDS - 1],
              r[ROUNDS / 2],
              v[ROUNDS - 1],
              v[ROUNDS / 2],
              v[ROUNDS - 1] / r[ROUNDS - 1]);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /** GFLOP/s of one timed batch of about {@code work} floating-point operations. */
  private static double batch(Backend be, int n, float[] a, float[] b, float[] c, double work) {
    double flops = 2.0 * n * n * n;
    int reps = (int) Math.max(1, Math.min(1_000_000, work / flops));
    long start = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      be.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
    }
    return flops * reps / (System.nanoTime() - start);
  }
}
