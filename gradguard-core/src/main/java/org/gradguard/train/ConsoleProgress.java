package org.gradguard.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A plain-text progress display: a line every {@code every} steps, and one per epoch, validation
 * and checkpoint. For example:
 *
 * <pre>
 * step    100/469   epoch 1  loss 0.5123  lr 0.05  |g| 1.84  412 steps/s
 * epoch 1 done: train loss 0.5634 (469 batches, 1.1 s)
 * validation after epoch 1: loss 0.4521  accuracy 0.8391 (10000 examples)
 * </pre>
 */
public final class ConsoleProgress implements TrainingListener {
  private final PrintStream out;
  private final int every;
  private long planned;
  private long lastStep = -1;
  private long lastNanos;

  /**
   * @param out where to print, e.g. {@code System.out}
   * @param every print a step line every this many steps, {@code >= 1}
   */
  public ConsoleProgress(PrintStream out, int every) {
    if (out == null) {
      throw new IllegalArgumentException("ConsoleProgress: out must not be null");
    }
    if (every < 1) {
      throw new IllegalArgumentException("ConsoleProgress: every must be >= 1, got " + every);
    }
    this.out = out;
    this.every = every;
  }

  @Override
  public void onStart(RunInfo info) {
    planned = info.plannedSteps();
    lastStep = info.startStep() - 1;
    lastNanos = System.nanoTime();
    if (info.resumedFrom() != null) {
      out.printf("resuming at step %d from %s%n", info.startStep(), info.resumedFrom());
      if (info.detectorsNote() != null) {
        out.println("health detectors " + info.detectorsNote());
      }
    }
  }

  @Override
  public void onStep(StepRecord s) {
    if ((s.step() + 1) % every != 0) {
      return;
    }
    long now = System.nanoTime();
    double rate = (s.step() - lastStep) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastStep = s.step();
    lastNanos = now;
    String total = planned == Long.MAX_VALUE ? "" : "/" + planned;
    out.println(
        String.format(
            Locale.ROOT,
            "step %6d%s   epoch %d  loss %.4f  lr %.4g  |g| %.3g  %.0f steps/s%s",
            s.step() + 1,
            total,
            s.epoch() + 1,
            s.loss(),
            s.lr(),
            s.gradNorm(),
            rate,
            s.applied() ? "" : "  (" + s.status().name().toLowerCase(Locale.ROOT) + ")"));
  }

  @Override
  public void onEpoch(EpochRecord e) {
    out.println(
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
    String acc =
        Double.isNaN(v.accuracy())
            ? ""
            : String.format(Locale.ROOT, "  accuracy %.4f", v.accuracy());
    out.println(
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
    out.println(
        String.format(
            Locale.ROOT,
            "checkpoint %s (%s, %.2f s)",
            c.metadata().getFileName(),
            c.reason(),
            c.seconds()));
  }

  @Override
  public void onEnd(FitResult r) {
    out.println(r.message());
    if (r.testLine() != null) {
      out.println(r.testLine());
    }
  }
}
