package org.gradguard.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Conv2d;
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
 * W5's first convolution: {@code Conv2d(1 → 32, 3×3, padding 1)} on a batch {@code [64, 1, 28,
 * 28]}, forward alone and forward plus backward. As in the workload, the input needs no gradient,
 * so backward computes the weight and bias gradients only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
  /** GradGuard's kernel threads. */
  @Param({"1"})
  public int threads;

  private Conv2d conv;
  private Tensor input;
  private Tensor upstream;

  /** Sizes the pool, builds the layer and draws the input and the upstream gradient. */
  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Rng rng = new Rng(0);
    conv = new Conv2d(1, 32, 3, 1, 1, rng);
    input = Tensor.uniform(rng, 0, 1, 64, 1, 28, 28);
    upstream = Tensor.randn(rng, 64, 32, 28, 28);
  }

  /** The forward pass. */
  @Benchmark
  public Tensor forward() {
    return conv.forward(Variable.constant(input)).value();
  }

  /** Zero the gradients, forward, backward: the layer's share of a training step. */
  @Benchmark
  public Tensor forwardBackward() {
    conv.zeroGrad();
    conv.forward(Variable.constant(input)).backward(upstream);
    return conv.weight().grad();
  }
}
