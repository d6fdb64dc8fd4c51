package org.gradguard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gradguard.health.Monitor;
import org.gradguard.health.StepOutcome;
import org.gradguard.health.TrainingStep;
import org.gradguard.tensor.Parallel;

/**
 * The monitor's overhead measured in pairs, for shared machines where JMH's
 * one-configuration-after-another runs drift with the load: two copies of a workload (same seed),
 * each trained through the health package's {@link TrainingStep} — the path the {@code Trainer}
 * takes: zero the gradients, forward, backward, copy the gradients, the workload's chain (clipping
 * included), add the updates — one with a {@link Monitor} measuring every step and one with a
 * monitor that measures only step 0 (which the warm-up runs), timed in alternating blocks of steps
 * in one JVM, so that both see the same contention. Prints one JSON line per workload: the median
 * ms/step of each, the overhead {@code on/off − 1} (median and quartiles of the per-round ratios)
 * and the overhead of the totals over all rounds. The monitor's work is spread through the step
 * (activation hooks in forward and backward, the gradient copy, the adding pass, the detectors), so
 * only the difference of the two steps measures it.
 *
 * <p>Each block is timed twice: by the wall clock and by the calling thread's CPU time ({@code
 * cpu_*} fields). With {@code --threads 1} every kernel runs on the calling thread, so the CPU time
 * is the step's work without the time the thread waited for a core — the figure to read when other
 * processes load the machine (it leaves out the garbage collector's threads). With more threads the
 * CPU fields count the calling thread only and are not printed.
 *
 * <pre>
 * java -Xmx2g --add-modules jdk.incubator.vector -cp … org.gradguard.bench.MonitorOverheadRunner \
 *     --workloads mlp,resmlp-bn --rounds 30 --block 5 --warmup 200 --threads 1
 * </pre>
 *
 * <p>{@code --alternate} measures instead one copy of the workload whose monitor measures every
 * second step, timing each step (thread CPU time with {@code --threads 1}, else wall clock) and
 * comparing the monitored steps with the others: both halves share the model, its buffers and the
 * compiled code, so what differs between two copies (memory placement, what C2 made of each) drops
 * out. {@code --rounds} is then the number of steps of each kind, {@code --block} is ignored.
 */
public final class MonitorOverheadRunner {
  private MonitorOverheadRunner() {}

  public static void main(String[] args) throws IOException {
    List<String> names = List.of("mlp", "resmlp-bn");
    int rounds = 30;
    int block = 5;
    int threads = 1;
    int warmup = 50;
    boolean alternate = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--alternate" -> alternate = true;
        case "--workloads" -> names = List.of(args[++i].split(","));
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--block" -> block = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("MonitorOverheadRunner: unknown " + args[i]);
      }
    }
    Parallel.setThreads(threads);
    for (String name : names) {
      if (alternate) {
        System.out.println(alternating(name, rounds, warmup, threads));
        continue;
      }
      Runnable stepOn = trainingStep(Workloads.create(name, 0), 1);
      Runnable stepOff = trainingStep(Workloads.create(name, 0), Integer.MAX_VALUE);
      // long enough for C2 to compile the Vector API loops: before that they run boxed, slowly
      for (int i = 0; i < warmup; i++) {
        stepOn.run();
        stepOff.run();
      }
      double[][] on2 = new double[2][rounds];
      double[][] off2 = new double[2][rounds];
      double[] a = new double[2];
      double[] b = new double[2];
      for (int r = 0; r < rounds; r++) {
        boolean onFirst = r % 2 == 0;
        time(onFirst ? stepOn : stepOff, block, a);
        time(onFirst ? stepOff : stepOn, block, b);
        for (int k = 0; k < 2; k++) {
          on2[k][r] = onFirst ? a[k] : b[k];
          off2[k][r] = onFirst ? b[k] : a[k];
        }
      }
      StringBuilder json = new StringBuilder();
      json.append(
          String.format(
              Locale.ROOT,
              "{\"workload\": \"%s\", \"threads\": %d, \"rounds\": %d, \"block\": %d, %s",
              name,
              threads,
              rounds,
              block,
              fields("", off2[0], on2[0])));
      if (threads == 1) {
        json.append(", ").append(fields("cpu_", off2[1], on2[1]));
      }
      System.out.println(json.append('}'));
    }
  }

  /**
   * One training step of {@code w} through a {@link TrainingStep} with the workload's chain and a
   * monitor (default detectors) that measures every {@code every}-th step.
   */
  static Runnable trainingStep(Workload w, int every) {
    Monitor m = Monitor.builder(w.model()).every(every).build();
    TrainingStep step =
        TrainingStep.builder(w.model(), w.optimizer().transformation()).monitor(m).build();
    return () -> step.run(w::nextLoss);
  }

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /**
   * One copy of workload {@code name}, monitored every second step: {@code steps} timed steps of
   * each kind after {@code warmup}; a JSON line with the mean and median ms of each kind and the
   * overhead of the means and of the medians.
   */
  static String alternating(String name, int steps, int warmup, int threads) throws IOException {
    Workload w = Workloads.create(name, 0);
    Monitor m = Monitor.builder(w.model()).every(2).build();
    TrainingStep step =
        TrainingStep.builder(w.model(), w.optimizer().transformation()).monitor(m).build();
    for (int i = 0; i < warmup; i++) {
      step.run(w::nextLoss);
    }
    boolean cpu = threads == 1;
    double[] on = new double[steps];
    double[] off = new double[steps];
    for (int i = 0; i < 2 * steps; i++) {
      long t0 = cpu ? CPU.getCurrentThreadCpuTime() : System.nanoTime();
      StepOutcome outcome = step.run(w::nextLoss);
      double ms = ((cpu ? CPU.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6;
      // steps alternate, monitored (statistics recorded) and not
      (outcome.stats() != null ? on : off)[i / 2] = ms;
    }
    double meanOn = Arrays.stream(on).average().orElse(Double.NaN);
    double meanOff = Arrays.stream(off).average().orElse(Double.NaN);
    return String.format(
        Locale.ROOT,
        "{\"workload\": \"%s\", \"threads\": %d, \"mode\": \"alternate\", \"clock\": \"%s\","
            + " \"steps_each\": %d, \"warmup\": %d, \"ms_mean_off\": %.4f, \"ms_mean_on\": %.4f,"
            + " \"ms_median_off\": %.4f, \"ms_median_on\": %.4f, \"overhead_of_means\": %.4f,"
            + " \"overhead_of_medians\": %.4f}",
        name,
        threads,
        cpu ? "thread_cpu" : "wall",
        steps,
        warmup,
        meanOff,
        meanOn,
        median(off),
        median(on),
        meanOn / meanOff - 1,
        median(on) / median(off) - 1);
  }

  /**
   * The median ms/step of each, the median and quartiles of the per-round overhead, and the
   * overhead of the totals ({@code Σ on / Σ off − 1}: how much longer the same number of steps
   * takes, pauses included, which a median of ratios leaves out), as JSON fields.
   */
  private static String fields(String prefix, double[] off, double[] on) {
    double[] ratio = new double[off.length];
    double sumOn = 0;
    double sumOff = 0;
    for (int r = 0; r < ratio.length; r++) {
      ratio[r] = on[r] / off[r];
      sumOn += on[r];
      sumOff += off[r];
    }
    return String.format(
        Locale.ROOT,
        "\"%1$sms_per_step_off\": %2$.3f, \"%1$sms_per_step_on\": %3$.3f,"
            + " \"%1$soverhead_median_of_ratios\": %4$.4f, \"%1$soverhead_q25\": %5$.4f,"
            + " \"%1$soverhead_q75\": %6$.4f, \"%1$soverhead_of_totals\": %7$.4f",
        prefix,
        median(off),
        median(on),
        median(ratio) - 1,
        quantile(ratio, 0.25) - 1,
        quantile(ratio, 0.75) - 1,
        sumOn / sumOff - 1);
  }

  /** Runs {@code n} steps; {@code out[0]} = wall ms/step, {@code out[1]} = thread CPU ms/step. */
  private static void time(Runnable step, int n, double[] out) {
    long c0 = CPU.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      step.run();
    }
    out[0] = (System.nanoTime() - t0) / 1e6 / n;
    out[1] = (CPU.getCurrentThreadCpuTime() - c0) / 1e6 / n;
  }

  private static double median(double[] xs) {
    return quantile(xs, 0.5);
  }

  private static double quantile(double[] xs, double q) {
    double[] a = xs.clone();
    Arrays.sort(a);
    double pos = q * (a.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(a.length - 1, lo + 1);
    return a[lo] + (pos - lo) * (a[hi] - a[lo]);
  }
}
