package org.gradguard.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three products of a {@code Linear(in, out)} layer's training step on a batch of {@code batch}
 * rows, through {@link Backend#gemm} on the current backend, each with its own storage order, as
 * the layer calls them:
 *
 * <ul>
 *   <li>{@code forward}: {@code Y = X·Wᵀ} ({@code W} stored {@code out×in}: a transposed B);
 *   <li>{@code inputGradient}: {@code dX = dY·W} (plain);
 *   <li>{@code weightGradient}: {@code dW = dYᵀ·X} (a transposed A).
 * </ul>
 *
 * The defaults are workload W1's first layer (784 → 256, batch 128), where B is larger than A, so
 * packing B is a larger share of the product than in a square one ({@link GemmBenchmark}). Average
 * time per product; GFLOP/s = {@code 2·batch·in·out / time}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LinearGemmBenchmark {
  /** Rows of the batch. */
  @Param({"128"})
  public int batch;

  /** Input features. */
  @Param({"784"})
  public int in;

  /** Output features. */
  @Param({"256"})
  public int out;

  /** GradGuard's kernel threads. */
  @Param({"1"})
  public int threads;

  private Backend backend;
  private float[] x;
  private float[] w;
  private float[] dy;
  private float[] y;
  private float[] dx;
  private float[] dw;

  /** Sizes the pool and draws the operands. */
  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    backend = Backends.current();
    Rng rng = new Rng(0);
    x = Tensor.randn(rng, batch, in).data();
    w = Tensor.randn(rng, out, in).data();
    dy = Tensor.randn(rng, batch, out).data();
    y = new float[batch * out];
    dx = new float[batch * in];
    dw = new float[out * in];
  }

  /** {@code Y = X·Wᵀ}. */
  @Benchmark
  public float[] forward() {
    backend.gemm(false, true, batch, out, in, x, 0, w, 0, y, 0, false);
    return y;
  }

  /** {@code dX = dY·W}. */
  @Benchmark
  public float[] inputGradient() {
    backend.gemm(false, false, batch, in, out, dy, 0, w, 0, dx, 0, false);
    return dx;
  }

  /** {@code dW = dYᵀ·X}. */
  @Benchmark
  public float[] weightGradient() {
    backend.gemm(true, false, out, in, batch, dy, 0, x, 0, dw, 0, false);
    return dw;
  }
}
