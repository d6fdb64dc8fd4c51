package org.gradguard.bench;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.io.Json;

/**
 * Times one workload and prints ONE JSON line with the fields of {@code torch_workloads.py}, so
 * that {@code bench/vs-torch} can set the two side by side.
 *
 * <pre>
 * WorkloadRunner --workload mlp|deep-narrow|resmlp-bn|rnn-adding|cnn --threads N
 *                [--warmup 20] [--jit-quiet 1] [--max-warmup 30] [--min-time 5] [--epoch]
 *                [--seed 0] [--tag TEXT]
 * </pre>
 *
 * <p>Throughput mode (default): an untimed warm-up of at least {@code --warmup} steps that goes on
 * until the JIT compiler has been quiet for {@code --jit-quiet} seconds (at most {@code
 * --max-warmup} seconds; {@code --jit-quiet 0} makes it exactly {@code --warmup} steps; see {@link
 * JitWarmup}), then steps until at least {@code --min-time} seconds of wall clock have passed (at
 * least one step); reports {@code warmup_steps}, {@code warmup_seconds}, {@code warmup_jit_quiet},
 * {@code steps}, {@code seconds}, {@code steps_per_s}, {@code samples_per_s} (full batches), {@code
 * ms_per_step}, {@code final_loss}, {@code mean_loss_last50}, {@code train_flop_per_step} and
 * {@code achieved_gflops}. {@code --epoch}: exactly one pass over Fashion-MNIST's training split,
 * then the test accuracy ({@code mlp}, {@code resmlp-bn}, {@code cnn}); reports {@code steps},
 * {@code epoch_seconds}, {@code final_loss}, {@code test_accuracy}. Both add {@code peak_rss_mb}
 * (VmHWM), the thread count of GradGuard's kernel pool, the backend and the JDK. {@code --threads}
 * sets the pool's size ({@link Parallel#setThreads}), overriding {@code GRADGUARD_THREADS}.
 *
 * <p>Exit status: 0 after printing the line, 2 for a usage error, 1 when the workload cannot be
 * built (e.g. Fashion-MNIST missing: the message says how to install it).
 */
public final class WorkloadRunner {
  private WorkloadRunner() {}

  /** The runner's settings; see the class documentation. */
  record Options(
      String workload,
      int threads,
      int warmup,
      double jitQuiet,
      double maxWarmup,
      double minTime,
      boolean epoch,
      long seed,
      String tag) {
    Options {
      if (workload == null) {
        throw new IllegalArgumentException("--workload is required");
      }
      if (!Workloads.NAMES.contains(workload)) {
        throw new IllegalArgumentException(
            "--workload must be one of "
                + String.join(", ", Workloads.NAMES)
                + ", got "
                + workload);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
      }
      if (warmup < 0) {
        throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
      }
      if (!(jitQuiet >= 0) || Double.isInfinite(jitQuiet)) {
        throw new IllegalArgumentException(
            "--jit-quiet must be a finite number >= 0, got " + jitQuiet);
      }
      if (!(maxWarmup >= jitQuiet) || Double.isInfinite(maxWarmup)) {
        throw new IllegalArgumentException(
            "--max-warmup must be a finite number >= --jit-quiet ("
                + jitQuiet
                + "), got "
                + maxWarmup);
      }
      if (!(minTime >= 0) || Double.isInfinite(minTime)) {
        throw new IllegalArgumentException(
            "--min-time must be a finite number >= 0, got " + minTime);
      }
      if (epoch && !Workloads.usesFashionMnist(workload)) {
        throw new IllegalArgumentException(
            "--epoch needs a Fashion-MNIST workload (mlp, resmlp-bn, cnn), got " + workload);
      }
    }

    /** Parses {@code --name value}, {@code --name=value} and the flag {@code --epoch}. */
    static Options parse(String... args) {
      String workload = null;
      int threads = 1;
      int warmup = 20;
      double jitQuiet = 1;
      double maxWarmup = 30;
      double minTime = 5;
      boolean epoch = false;
      long seed = 0;
      String tag = "";
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        if (arg.equals("--epoch")) {
          epoch = true;
          continue;
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(arg + " needs a value");
          }
          value = args[++i];
        }
        try {
          switch (arg) {
            case "--workload" -> workload = value;
            case "--threads" -> threads = Integer.parseInt(value);
            case "--warmup" -> warmup = Integer.parseInt(value);
            case "--jit-quiet" -> jitQuiet = Double.parseDouble(value);
            case "--max-warmup" -> maxWarmup = Double.parseDouble(value);
            case "--min-time" -> minTime = Double.parseDouble(value);
            case "--seed" -> seed = Long.parseLong(value);
            case "--tag" -> tag = value;
            default -> throw new IllegalArgumentException("unknown option " + arg);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(arg + " must be a number, got " + value);
        }
      }
      return new Options(workload, threads, warmup, jitQuiet, maxWarmup, minTime, epoch, seed, tag);
    }
  }

  static final String USAGE =
      "usage: WorkloadRunner --workload mlp|deep-narrow|resmlp-bn|rnn-adding|cnn --threads N"
          + " [--warmup 20] [--jit-quiet 1] [--max-warmup 30] [--min-time 5] [--epoch] [--seed 0]"
          + " [--tag TEXT]";

  /** Runs the workload named by {@code args} and prints one JSON line; see the class docs. */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("WorkloadRunner: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Parallel.setThreads(options.threads());
    Workload workload;
    try {
      workload = Workloads.create(options.workload(), options.seed());
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("WorkloadRunner: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println(Json.write(measure(workload, options)));
    System.out.flush();
  }

  /**
   * Times {@code workload} as {@code options} say and returns the JSON line's fields, in the order
   * of {@code torch_workloads.py} (GradGuard's own fields where PyTorch names its version and
   * BLAS). Modified: the workload (it trains).
   */
  static Map<String, Object> measure(Workload workload, Options options) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tag", options.tag());
    out.put("workload", workload.name());
    out.put("threads", options.threads());
    out.put("batch", workload.batchSize());
    out.putAll(Machine.describe());
    out.put("data", workload.data());
    if (options.epoch()) {
      int steps = workload.stepsPerEpoch();
      double last = Double.NaN;
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        last = workload.step();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.put("mode", "epoch");
      out.put("steps", steps);
      out.put("epoch_seconds", Machine.round(seconds, 3));
      out.put("final_loss", finite(Machine.round(last, 5)));
      out.put("test_accuracy", workload.testAccuracy());
    } else {
      JitWarmup.Result warm =
          new JitWarmup(options.warmup(), options.jitQuiet(), options.maxWarmup())
              .run(workload::step);
      Deque<Double> recent = new ArrayDeque<>();
      long n = 0;
      double elapsed;
      long t0 = System.nanoTime();
      while (true) {
        double loss = workload.step();
        n++;
        recent.addLast(loss);
        if (recent.size() > 50) {
          recent.removeFirst();
        }
        elapsed = (System.nanoTime() - t0) / 1e9;
        if (elapsed >= options.minTime()) {
          break;
        }
      }
      out.put("mode", "throughput");
      out.put("warmup_steps", warm.steps());
      out.put("warmup_seconds", Machine.round(warm.seconds(), 3));
      out.put("warmup_jit_quiet", warm.quiet());
      out.put("steps", n);
      out.put("seconds", Machine.round(elapsed, 3));
      out.put("steps_per_s", Machine.round(n / elapsed, 2));
      out.put("samples_per_s", Machine.round(n * workload.batchSize() / elapsed, 1));
      out.put("ms_per_step", Machine.round(1000 * elapsed / n, 4));
      out.put("final_loss", finite(Machine.round(recent.getLast(), 5)));
      double mean = recent.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      out.put("mean_loss_last50", finite(Machine.round(mean, 5)));
      out.put("train_flop_per_step", workload.flopPerStep());
      out.put("achieved_gflops", Machine.round(workload.flopPerStep() * n / elapsed / 1e9, 2));
    }
    out.put("skipped_steps", workload.skippedSteps());
    out.put("peak_rss_mb", Machine.peakRssMb());
    return out;
  }

  /** JSON has no NaN or infinity: a diverged loss is written as {@code null}. */
  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }
}
