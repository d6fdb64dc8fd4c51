package org.gradguard.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.gradguard.bench.Workload;
import org.gradguard.bench.Workloads;
import org.gradguard.health.Monitor;
import org.gradguard.health.TrainingStep;
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
 * The cost of gradient-health monitoring: one training step of W1 ({@code mlp}) and W3 ({@code
 * resmlp-bn}) through the health package's {@link TrainingStep} (the {@code Trainer}'s path), its
 * {@link Monitor} measuring every step ({@code monitor=on}) or only step 0, which the warm-up runs
 * ({@code monitor=off}).
 *
 * <p>A step is: zero the gradients, {@code beginStep} (arms the activation hooks), forward with
 * activation statistics, backward with the activation-gradient hooks, the gradients copied for the
 * chain (on a monitored step the copy measures them), the gradient detectors, the workload's chain
 * (clipping included), the updates added to the parameters (on a monitored step that pass measures
 * the parameters and the updates), {@code endStep} (update detectors, log, listeners). Everything
 * the monitor does in training is timed. {@code MonitorOverheadRunner} measures the same steps in
 * alternating pairs, for shared machines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MonitorOverheadBenchmark {
  /** The workload: W1 or W3. */
  @Param({"mlp", "resmlp-bn"})
  public String workload;

  /** Whether the monitor measures every step. */
  @Param({"off", "on"})
  public String monitor;

  /** GradGuard's kernel threads. */
  @Param({"1"})
  public int threads;

  private Workload w;
  private TrainingStep step;

  /** Sizes the pool, builds the workload (loading its data) and its training step. */
  @Setup
  public void setUp() throws IOException {
    Parallel.setThreads(threads);
    w = Workloads.create(workload, 0);
    Monitor m =
        Monitor.builder(w.model()).every(monitor.equals("on") ? 1 : Integer.MAX_VALUE).build();
    step = TrainingStep.builder(w.model(), w.optimizer().transformation()).monitor(m).build();
  }

  /** One training step; returns the loss. */
  @Benchmark
  public double step() {
    return step.run(w::nextLoss).loss();
  }
}
