package org.gradguard.bench.jmh;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gradguard.bench.Workload;
import org.gradguard.bench.Workloads;
import org.gradguard.health.Monitor;
import org.gradguard.nn.Parameter;
import org.gradguard.tensor.Parallel;
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
 * The cost of gradient-health monitoring: one training step of W1 ({@code mlp}) and W3 ({@code
 * resmlp-bn}) with the {@link Monitor} measuring every step ({@code monitor=on}) or not attached
 * ({@code monitor=off}).
 *
 * <p>With the monitor on, a step is {@code beginStep} (arms the activation hooks), the workload's
 * own step (forward with activation statistics, backward with the activation-gradient hooks, clip,
 * optimizer step), {@code observeGradients} (one pass over every gradient and parameter, the
 * detectors), {@code observeUpdates} and {@code endStep} (log, listeners). The optimizer does not
 * expose its updates, so the gradients stand in for them in {@code observeUpdates}: the same
 * tensors' sizes, so the same one pass. Everything the monitor does in training is timed.
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
  private Monitor m;
  private List<Parameter> params;
  private long step;

  /** Sizes the pool, builds the workload (loading its data) and attaches the monitor. */
  @Setup
  public void setUp() throws IOException {
    Parallel.setThreads(threads);
    w = Workloads.create(workload, 0);
    params = w.model().parameters();
    if (monitor.equals("on")) {
      m = Monitor.attach(w.model());
    }
  }

  /** One training step; returns the loss. */
  @Benchmark
  public double step() {
    if (m == null) {
      return w.step();
    }
    m.beginStep(step++);
    double loss = w.step();
    m.observeGradients(loss);
    List<Tensor> updates = new ArrayList<>(params.size());
    for (Parameter p : params) {
      updates.add(p.grad());
    }
    m.observeUpdates(updates);
    m.endStep();
    return loss;
  }
}
