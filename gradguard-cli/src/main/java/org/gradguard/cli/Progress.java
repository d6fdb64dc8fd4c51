package org.gradguard.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.train.CheckpointRecord;
import org.gradguard.train.EpochRecord;
import org.gradguard.train.FitResult;
import org.gradguard.train.RunInfo;
import org.gradguard.train.StepRecord;
import org.gradguard.train.TrainingListener;
import org.gradguard.train.ValidationRecord;

/**
 * The progress display of {@code gradguard train}. On a terminal, one line redrawn in place
 * (carriage return): a bar, step/total, epoch, loss, gradient norm, steps per second, ETA and the
 * latest health event. Otherwise (a pipe or file), a plain log line every {@code every} steps. In
 * both modes, one line per epoch, validation, health event and guard action.
 */
final class Progress implements TrainingListener {
  private static final int BAR = 24;
  private final PrintWriter out;
  private final boolean terminal;
  private final int every;
  private long planned;
  private long startStep;
  private long startNanos;
  private long lastDraw;
  private String latestEvent = "";
  private boolean lineOpen;
  private final String prefix;

  /**
   * @param out where to print
   * @param terminal redraw one line in place instead of printing log lines
   * @param every steps between log lines (non-terminal mode), {@code >= 1}
   */
  Progress(PrintWriter out, boolean terminal, int every) {
    this(out, terminal, every, null);
  }

  /**
   * As above, each line starting with {@code [name] }, and no step lines (for runs printing side by
   * side).
   */
  Progress(PrintWriter out, boolean terminal, int every, String name) {
    this.prefix = name == null ? "" : "[" + name + "] ";
    this.out = out;
    this.terminal = terminal;
    this.every = Math.max(1, every);
  }

  @Override
  public void onStart(RunInfo info) {
    planned = info.plannedSteps();
    startStep = info.startStep();
    startNanos = System.nanoTime();
    if (info.resumedFrom() != null) {
      println("resuming at step " + info.startStep() + " from " + info.resumedFrom());
      if (info.detectorsNote() != null) {
        println("health detectors " + info.detectorsNote());
      }
    }
  }

  @Override
  public void onStep(StepRecord s) {
    long now = System.nanoTime();
    long done = s.step() + 1;
    lastDone = done;
    double secs = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = (done - startStep) / secs;
    boolean known = planned != Long.MAX_VALUE && planned > 0;
    String total = known ? "/" + planned : "";
    String eta = known && rate > 0 ? "  ETA " + duration((planned - done) / rate) : "";
    String status = s.applied() ? "" : "  (" + s.status().name().toLowerCase(Locale.ROOT) + ")";
    String body =
        String.format(
            Locale.ROOT,
            "step %d%s  epoch %d  loss %.4f  |g| %.3g  %.1f steps/s%s%s",
            done,
            total,
            s.epoch() + 1,
            s.loss(),
            s.gradNorm(),
            rate,
            eta,
            status);
    if (terminal) {
      if (now - lastDraw < 100_000_000L && done != planned) {
        return; // at most ten redraws a second
      }
      lastDraw = now;
      String bar = "";
      if (known) {
        int filled = (int) Math.min(BAR, BAR * done / planned);
        bar = "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] ";
      }
      out.print("\r" + bar + body + (latestEvent.isEmpty() ? "" : "  " + latestEvent) + "\033[K");
      out.flush();
      lineOpen = true;
    } else if (done % every == 0 && prefix.isEmpty()) {
      println(body);
    }
  }

  @Override
  public void onEvent(HealthEvent e) {
    latestEvent = e.severity() + " " + e.type() + " at step " + e.step();
    if (!terminal) {
      println(
          "health: " + e.severity() + " " + e.type() + " (step " + e.step() + "): " + e.message());
    }
  }

  @Override
  public void onAction(GuardAction a) {
    println("guard: " + a);
  }

  /**
   * Whether epoch {@code epoch}'s lines are shown: every epoch when an epoch has at least {@code
   * every} batches, else every {@code every / batches}-th (full-batch runs would print a line per
   * step otherwise), and always the last epoch's.
   */
  private boolean showEpoch(int epoch) {
    int stride = Math.max(1, every / Math.max(1, batchesPerEpoch));
    return (epoch + 1) % stride == 0 || lastDone == planned;
  }

  private int batchesPerEpoch = Integer.MAX_VALUE;
  private long lastDone;

  @Override
  public void onEpoch(EpochRecord e) {
    batchesPerEpoch = e.batches();
    if (!showEpoch(e.epoch())) {
      return;
    }
    println(
        String.format(
            Locale.ROOT,
            "epoch %d done: train loss %.4f (%d batches, %.1f s)",
            e.epoch() + 1,
            e.trainLoss(),
            e.batches(),
            e.seconds()));
  }

  @Override
  public void onValidation(ValidationRecord v) {
    if (!showEpoch(v.epoch())) {
      return;
    }
    String acc =
        Double.isNaN(v.accuracy())
            ? ""
            : String.format(Locale.ROOT, "  accuracy %.4f", v.accuracy());
    println(
        String.format(
            Locale.ROOT,
            "validation after epoch %d: loss %.4f%s (%d examples)",
            v.epoch() + 1,
            v.loss(),
            acc,
            v.examples()));
  }

  @Override
  public void onCheckpoint(CheckpointRecord c) {
    if (!terminal) {
      println("checkpoint " + c.metadata().getFileName() + " (" + c.reason() + ")");
    }
  }

  /**
   * The trainer's closing message. For a diverged run only its first line (the step, the loss and
   * the last good checkpoint): the rest is the diagnosis, which the command prints after the run.
   */
  @Override
  public void onEnd(FitResult r) {
    String m = r.message();
    if (r.reason() == FitResult.StopReason.DIVERGED && m.indexOf('\n') >= 0) {
      m = m.substring(0, m.indexOf('\n'));
    }
    println(m);
    if (r.testLine() != null) {
      println(r.testLine());
    }
  }

  private void println(String line) {
    if (lineOpen) {
      out.print("\r\033[K");
      lineOpen = false;
    }
    synchronized (out) {
      out.println(prefix + line);
      out.flush();
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
