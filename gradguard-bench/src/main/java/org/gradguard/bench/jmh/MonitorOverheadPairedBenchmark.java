package org.gradguard.bench.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.gradguard.bench.Workload;
import org.gradguard.bench.Workloads;
import org.gradguard.health.Monitor;
import org.gradguard.health.StepOutcome;
import org.gradguard.health.TrainingStep;
import org.gradguard.tensor.Parallel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of gradient-health monitoring measured in pairs: one copy of W1 ({@code mlp}) or W3
 * ({@code resmlp-bn}) whose {@link Monitor} measures every second step, so that each invocation
 * runs one monitored and one unmonitored {@link TrainingStep} on the same model, buffers and
 * compiled code. {@link MonitorOverheadBenchmark} runs monitored and unmonitored steps in separate
 * JVMs, whose compiled kernels differ by more than the monitor costs; here the pairing cancels
 * that.
 *
 * <p>Besides the time per pair, two event counters ({@link StepTimes}) sum the milliseconds of the
 * monitored ({@code onMs}) and the unmonitored ({@code offMs}) steps over the measured iterations
 * and forks: the overhead is {@code onMs / offMs − 1}. With one kernel thread the milliseconds are
 * the calling thread's CPU time (the step's work without the time spent waiting for a core on a
 * shared machine), otherwise wall-clock time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MonitorOverheadPairedBenchmark {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /** The workload: W1 or W3. */
  @Param({"mlp", "resmlp-bn"})
  public String workload;

  /** GradGuard's kernel threads. */
  @Param({"1"})
  public int threads;

  private Workload w;
  private TrainingStep step;

  /** The milliseconds of each kind of step, summed by JMH over iterations and forks. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class StepTimes {
    /** Milliseconds of the monitored steps in this iteration. */
    public double onMs;

    /** Milliseconds of the unmonitored steps in this iteration. */
    public double offMs;

    /** Starts each iteration's sums from zero (JMH does not reset event counters). */
    @Setup(Level.Iteration)
    public void reset() {
      onMs = 0;
      offMs = 0;
    }
  }

  /** Sizes the pool, builds the workload (loading its data) and its training step. */
  @Setup
  public void setUp() throws IOException {
    Parallel.setThreads(threads);
    w = Workloads.create(workload, 0);
    Monitor m = Monitor.builder(w.model()).every(2).build();
    step = TrainingStep.builder(w.model(), w.optimizer().transformation()).monitor(m).build();
  }

  /** One monitored and one unmonitored training step; returns the sum of their losses. */
  @Benchmark
  public double pair(StepTimes times) {
    double loss = 0;
    for (int k = 0; k < 2; k++) {
      long t0 = now();
      StepOutcome outcome = step.run(w::nextLoss);
      double ms = (now() - t0) / 1e6;
      if (outcome.stats() != null) {
        times.onMs += ms;
      } else {
        times.offMs += ms;
      }
      loss += outcome.loss();
    }
    return loss;
  }

  private long now() {
    return threads == 1 ? CPU.getCurrentThreadCpuTime() : System.nanoTime();
  }
}
