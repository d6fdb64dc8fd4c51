package org.gradguard.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gradguard.health.Monitor;
import org.gradguard.nn.Parameter;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Tensor;

/**
 * The monitor's overhead measured in pairs, for shared machines where JMH's
 * one-configuration-after- another runs drift with the load: two copies of a workload (same seed),
 * one monitored every step ({@link org.gradguard.bench.jmh.MonitorOverheadBenchmark}'s "on" step)
 * and one not, timed in alternating blocks of steps in one JVM, so that both see the same
 * contention. Prints one JSON line per workload: the median ms/step of each and the overhead {@code
 * on/off − 1}.
 *
 * <pre>
 * java -Xmx2g -cp … org.gradguard.bench.MonitorOverheadRunner --workloads mlp,resmlp-bn --rounds 30 --block 5
 * </pre>
 */
public final class MonitorOverheadRunner {
  private MonitorOverheadRunner() {}

  public static void main(String[] args) throws IOException {
    List<String> names = List.of("mlp", "resmlp-bn");
    int rounds = 30;
    int block = 5;
    int threads = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workloads" -> names = List.of(args[++i].split(","));
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--block" -> block = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("MonitorOverheadRunner: unknown " + args[i]);
      }
    }
    Parallel.setThreads(threads);
    for (String name : names) {
      Workload off = Workloads.create(name, 0);
      Workload on = Workloads.create(name, 0);
      Monitor m = Monitor.attach(on.model());
      List<Parameter> params = on.model().parameters();
      long[] step = {0};
      long[] afterBackwardNanos = {0};
      Runnable stepOn =
          () -> {
            m.beginStep(step[0]++);
            double loss = on.step();
            long t0 = System.nanoTime();
            m.observeGradients(loss);
            List<Tensor> updates = new ArrayList<>(params.size());
            for (Parameter p : params) {
              updates.add(p.grad());
            }
            m.observeUpdates(updates);
            m.endStep();
            afterBackwardNanos[0] += System.nanoTime() - t0;
          };
      Runnable stepOff = off::step;
      for (int i = 0; i < 3 * block; i++) {
        stepOn.run();
        stepOff.run();
      }
      afterBackwardNanos[0] = 0;
      long timedFrom = step[0];
      double[] tOn = new double[rounds];
      double[] tOff = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        boolean onFirst = r % 2 == 0;
        double a = time(onFirst ? stepOn : stepOff, block);
        double b = time(onFirst ? stepOff : stepOn, block);
        tOn[r] = onFirst ? a : b;
        tOff[r] = onFirst ? b : a;
      }
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = tOn[r] / tOff[r];
      }
      System.out.printf(
          Locale.ROOT,
          "{\"workload\": \"%s\", \"threads\": %d, \"rounds\": %d, \"block\": %d,"
              + " \"ms_per_step_off\": %.3f, \"ms_per_step_on\": %.3f,"
              + " \"overhead_median_of_ratios\": %.4f, \"overhead_q25\": %.4f,"
              + " \"overhead_q75\": %.4f, \"ms_monitor_after_backward\": %.3f}%n",
          name,
          threads,
          rounds,
          block,
          median(tOff),
          median(tOn),
          median(ratio) - 1,
          quantile(ratio, 0.25) - 1,
          quantile(ratio, 0.75) - 1,
          afterBackwardNanos[0] / 1e6 / (step[0] - timedFrom));
    }
  }

  private static double time(Runnable step, int n) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      step.run();
    }
    return (System.nanoTime() - t0) / 1e6 / n;
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
