package org.gradguard.cli;

import java.math.BigDecimal;
import java.util.Locale;
import org.gradguard.config.ClippingConfig;
import org.gradguard.config.RunConfig;
import org.gradguard.health.Diagnosis;
import org.gradguard.health.EventType;
import org.gradguard.health.Finding;
import org.gradguard.health.GuardAction;
import org.gradguard.health.RollbackConfig;
import org.gradguard.train.FitResult;
import org.gradguard.train.StepRecord;
import org.gradguard.train.TrainingListener;

/**
 * Watches a run for divergence, so that what the commands print says so whatever the monitor's
 * interval. The health monitor measures every k-th step; a loss that turns NaN between two
 * measurements, or a guard that stops training before the next one, leaves its diagnosis with
 * nothing to report ("no problems found") although training failed. This listener sees every step:
 * the first one whose loss or gradient norm is not finite, the last finite loss before it, and the
 * step at which a guard stopped training.
 *
 * <p>A run counts as diverged when the trainer says so ({@link FitResult#diverged()}) or when it
 * ended with a non-finite loss (no guard stopped it: {@code guards.skip_non_finite: 0}). One
 * instance per run; not thread-safe (its trainer calls it from one thread).
 */
final class Divergence implements TrainingListener {
  private long firstBadStep = -1;
  private double firstBadLoss = Double.NaN;
  private long lastFiniteStep = -1;
  private double lastFiniteLoss = Double.NaN;
  private long stopStep = -1;

  @Override
  public void onStep(StepRecord s) {
    boolean bad = !Double.isFinite(s.loss()) || !Double.isFinite(s.gradNorm());
    if (bad && firstBadStep < 0) {
      firstBadStep = s.step();
      firstBadLoss = s.loss();
    }
    if (Double.isFinite(s.loss()) && firstBadStep < 0) {
      lastFiniteStep = s.step();
      lastFiniteLoss = s.loss();
    }
  }

  @Override
  public void onAction(GuardAction a) {
    if (a.action() == GuardAction.Action.STOP && stopStep < 0) {
      stopStep = a.step();
    }
  }

  /**
   * Whether {@code r} diverged: the trainer stopped it as diverged, or its last loss is not finite.
   */
  static boolean diverged(FitResult r) {
    return r.diverged() || (r.steps() > 0 && !Double.isFinite(r.finalTrainLoss()));
  }

  /**
   * The step where training went non-finite: the first step with a non-finite loss or gradient,
   * else the step a guard stopped at, else -1.
   */
  long step() {
    return firstBadStep >= 0 ? firstBadStep : stopStep;
  }

  /**
   * One line saying how {@code r} diverged, e.g. {@code "training diverged (NON_FINITE) at step 4:
   * loss NaN; a guard stopped training at step 4; the last finite loss was 1.2e+05 at step 3"}; for
   * the compare table and the start of the train command's diagnosis. Only for diverged runs.
   */
  String headline(FitResult r) {
    StringBuilder b = new StringBuilder("training diverged (NON_FINITE)");
    long at = step();
    if (at >= 0) {
      double loss = firstBadStep >= 0 ? firstBadLoss : r.finalTrainLoss();
      b.append(" at step ").append(at).append(": loss ").append(num(loss));
      if (firstBadStep >= 0 && Double.isFinite(loss)) {
        b.append(" with a non-finite gradient");
      }
    } else {
      b.append(": final loss ").append(num(r.finalTrainLoss()));
    }
    if (stopStep >= 0) {
      b.append("; a guard stopped training at step ").append(stopStep);
    }
    if (lastFiniteStep >= 0) {
      b.append("; the last finite loss was ")
          .append(num(lastFiniteLoss))
          .append(" at step ")
          .append(lastFiniteStep);
    }
    return b.toString();
  }

  /**
   * The diagnosis the train command prints. For a run that did not diverge, {@code d}'s text. For a
   * diverged run, a first line saying so (with the step and the loss) and, when the monitor did not
   * catch the non-finite step itself (it measures every {@code monitorEvery} steps), what it means
   * and what to try given what {@code config} already does, followed by the monitor's own findings.
   */
  String render(Diagnosis d, FitResult r, int monitorEvery, RunConfig config) {
    String text = d.toText();
    if (!diverged(r)) {
      return text;
    }
    StringBuilder b = new StringBuilder("GradGuard diagnosis: ").append(headline(r)).append('\n');
    boolean seen = d.findings().stream().map(Finding::type).anyMatch(EventType.NON_FINITE::equals);
    if (!seen) {
      b.append("   The loss or the gradients overflowed or became undefined (NaN), so the")
          .append(" weights can no\n   longer be trusted. The health monitor measures every ")
          .append(monitorEvery)
          .append(monitorEvery == 1 ? " step" : " steps")
          .append(" and did not see the bad step;\n   for per-layer numbers rerun with")
          .append(" --set monitor.every=1.\n")
          .append(advice(config));
    }
    b.append('\n').append(monitorSection(text, d.healthy()));
    return b.toString();
  }

  /**
   * What to try after a divergence the monitor did not see, given what the run already does: a run
   * with clipping or the roll-back guard is not told to turn them on.
   */
  static String advice(RunConfig config) {
    double lr = config.optimizer().lr();
    StringBuilder b =
        new StringBuilder("   Try:   1. Learning rate: optimizer.lr is ")
            .append(plain(lr))
            .append(": try ")
            .append(plain(lr / 10))
            .append(", or warm it up over the first steps\n");
    ClippingConfig clip = config.clipping();
    if (clip instanceof ClippingConfig.None) {
      b.append("          2. Gradient clipping: clipping: {kind: norm, max_norm: 1.0}\n");
    } else {
      b.append("          2. Gradient clipping is on (")
          .append(clip.kind())
          .append("): it bounds each update, not a loss that\n")
          .append("             overflows in the forward pass; lower the learning rate or the")
          .append(" threshold\n");
    }
    RollbackConfig rb = config.guards().rollback();
    if (rb == null) {
      b.append("          3. Guards: guards: {rollback: {}} restores the last good state with a")
          .append(" lower learning rate\n");
    } else {
      b.append("          3. Guards: the roll-back guard is on (backoff ")
          .append(plain(rb.backoff()))
          .append(", max_retries ")
          .append(rb.maxRetries())
          .append("); a smaller backoff,\n")
          .append("             e.g. rollback: {backoff: 0.1}, lowers the rate faster on each")
          .append(" retry\n");
    }
    return b.toString();
  }

  /** The monitor's diagnosis, its headline relabelled so it does not read as the verdict. */
  private static String monitorSection(String text, boolean healthy) {
    String prefix = "GradGuard diagnosis: ";
    if (!text.startsWith(prefix)) {
      return text;
    }
    String rest = text.substring(prefix.length());
    String none = "no problems found";
    if (healthy && rest.startsWith(none)) {
      rest = "no other problems found" + rest.substring(none.length());
    }
    return "Health monitor: " + rest;
  }

  /** A config value as a person writes it: 0.1, 0.01, 1.0E-5 as 0.00001. */
  private static String plain(double v) {
    if (!Double.isFinite(v)) {
      return num(v);
    }
    return new BigDecimal(String.format(Locale.ROOT, "%.4g", v))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String num(double v) {
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
