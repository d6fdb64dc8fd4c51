package org.gradguard.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.gradguard.bench.Workload;
import org.gradguard.bench.Workloads;
import org.gradguard.tensor.Parallel;
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
 * One full training step ({@link Workload#step()}: fetch, zero grads, forward, loss, backward,
 * clip, optimizer step, read the loss) of each workload W1–W5 of {@link Workloads}. The
 * Fashion-MNIST workloads need the data installed ({@code apt-get install dataset-fashion-mnist}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {
  /** The workload. */
  @Param({"mlp", "deep-narrow", "resmlp-bn", "rnn-adding", "cnn"})
  public String workload;

  /** GradGuard's kernel threads. */
  @Param({"1"})
  public int threads;

  private Workload w;

  /** Sizes the pool and builds the workload (loading its data). */
  @Setup
  public void setUp() throws IOException {
    Parallel.setThreads(threads);
    w = Workloads.create(workload, 0);
  }

  /** One training step; returns the loss. */
  @Benchmark
  public double step() {
    return w.step();
  }
}
