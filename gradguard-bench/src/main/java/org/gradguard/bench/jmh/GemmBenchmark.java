package org.gradguard.bench.jmh;

import java.util.concurrent.TimeUnit;
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
 * {@code C = A·B} for square {@code n × n} float32 matrices through {@link Tensor#matmul} on the
 * current backend. Average time per product; GFLOP/s = {@code 2n³ / time}. The result is allocated
 * each call, as in PyTorch's {@code a @ b}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
  /** The matrix size. */
  @Param({"64", "128", "256", "512", "1024"})
  public int n;

  /** GradGuard's kernel threads. */
  @Param({"1"})
  public int threads;

  private Tensor a;
  private Tensor b;

  /** Sizes the pool and draws the matrices. */
  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Rng rng = new Rng(0);
    a = Tensor.randn(rng, n, n);
    b = Tensor.randn(rng, n, n);
  }

  /** One product. */
  @Benchmark
  public Tensor matmul() {
    return a.matmul(b);
  }
}
