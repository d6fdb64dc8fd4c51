package org.gradguard.optim;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Tensor;

/** The measurement and bookkeeping shared by every {@link Clip} transformation. */
final class ClipSupport {
  private ClipSupport() {}

  /** Adds the keys every clip records (see {@link Clip}); returns {@code s}. */
  static TransformState initRecord(TransformState s) {
    return s.putNumber(Clip.LAST_NORM, Double.NaN)
        .putNumber(Clip.THRESHOLD, Double.NaN)
        .putNumber(Clip.CLIPPED, 0)
        .putNumber(Clip.CLIP_COUNT, 0)
        .putNumber(Clip.NONFINITE, 0)
        .putNumber(Clip.NONFINITE_PARAM, -1)
        .putNumber(Clip.NONFINITE_COUNT, 0);
  }

  /** Records a step's outcome. */
  static void record(TransformState s, double norm, double threshold, long clippedUnits) {
    s.setNumber(Clip.LAST_NORM, norm);
    s.setNumber(Clip.THRESHOLD, threshold);
    s.setNumber(Clip.CLIPPED, clippedUnits);
    if (clippedUnits > 0) {
      s.setNumber(Clip.CLIP_COUNT, s.number(Clip.CLIP_COUNT) + 1);
    }
    s.setNumber(Clip.NONFINITE, 0);
    s.setNumber(Clip.NONFINITE_PARAM, -1);
  }

  /** {@code (Σ|x|^p)^(1/p)} over one tensor's values, in double; {@code max|x|} for p = ∞. */
  static double norm(float[] d, int from, int to, double p) {
    if (p == 2) {
      double s = 0;
      for (int j = from; j < to; j++) {
        s += (double) d[j] * d[j];
      }
      return Math.sqrt(s);
    }
    return Math.pow(powerSum(d, from, to, p), 1 / p);
  }

  /** {@code Σ|x|^p}, or {@code max|x|} for p = ∞ (NaN if any element is NaN). */
  static double powerSum(float[] d, int from, int to, double p) {
    double s = 0;
    if (Double.isInfinite(p)) {
      for (int j = from; j < to; j++) {
        double a = Math.abs(d[j]);
        if (!(a <= s)) {
          s = a; // also propagates NaN
        }
      }
      return s;
    }
    for (int j = from; j < to; j++) {
      double a = Math.abs((double) d[j]);
      s += p == 1 ? a : (p == 2 ? a * a : Math.pow(a, p));
    }
    return s;
  }

  /** The norm of all tensors as if concatenated (PyTorch's {@code clip_grad_norm_} total norm). */
  static double globalNorm(Tensor[] ts, double p) {
    if (Double.isInfinite(p)) {
      double m = 0;
      for (Tensor t : ts) {
        double a = powerSum(t.data(), 0, t.numel(), p);
        if (!(a <= m)) {
          m = a;
        }
      }
      return m;
    }
    double s = 0;
    Backend be = Backends.current();
    for (Tensor t : ts) {
      s += p == 2 ? be.sumOfSquares(t.data(), t.numel()) : powerSum(t.data(), 0, t.numel(), p);
    }
    return p == 1 ? s : (p == 2 ? Math.sqrt(s) : Math.pow(s, 1 / p));
  }

  /** Index of the first tensor with a NaN or infinite element, or −1. */
  static int firstNonFinite(Tensor[] ts) {
    Backend be = Backends.current();
    for (int i = 0; i < ts.length; i++) {
      if (!be.allFinite(ts[i].data(), ts[i].numel())) {
        return i;
      }
    }
    return -1;
  }

  static void scale(Tensor t, double coef) {
    Backends.current().scaleInPlace(t.data(), t.numel(), coef);
  }

  /**
   * Handles a non-finite measurement: throws under {@link Clip.OnNonFinite#ERROR}; otherwise
   * records it (the updates pass through unchanged, never scaled by a NaN coefficient).
   */
  static void nonFinite(
      String where,
      Clip.OnNonFinite policy,
      TransformState s,
      double norm,
      Tensor[] updates,
      Params params,
      StepContext ctx) {
    int bad = firstNonFinite(updates);
    String name = bad < 0 ? null : params.name(bad);
    if (policy == Clip.OnNonFinite.ERROR) {
      throw new NonFiniteGradientException(
          where
              + ": gradient norm is "
              + norm
              + " at step "
              + ctx.step()
              + (name == null
                  ? " (all gradients finite; the norm overflowed)"
                  : "; first non-finite gradient: " + name)
              + ". Try a lower learning rate, a skip-non-finite guard, or find the op that"
              + " overflows (log, exp, division by a small number).",
          name,
          ctx.step());
    }
    s.setNumber(Clip.LAST_NORM, norm);
    s.setNumber(Clip.THRESHOLD, Double.NaN);
    s.setNumber(Clip.CLIPPED, 0);
    s.setNumber(Clip.NONFINITE, 1);
    s.setNumber(Clip.NONFINITE_PARAM, bad);
    s.setNumber(Clip.NONFINITE_COUNT, s.number(Clip.NONFINITE_COUNT) + 1);
  }
}
