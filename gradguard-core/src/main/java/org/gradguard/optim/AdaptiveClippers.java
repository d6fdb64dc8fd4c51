package org.gradguard.optim;

import java.util.Arrays;
import org.gradguard.tensor.Tensor;

/** The adaptive clipping transformations behind {@link Clip}'s factories. */
final class AdaptiveClippers {
  private AdaptiveClippers() {}

  /** AGC, unit-wise; a unit is one output row of a {@code [out, in, …]} tensor. */
  record Agc(double clipping, double eps, Clip.OnNonFinite onNonFinite)
      implements GradientTransformation {
    static final double GRAD_FLOOR = 1e-6;

    Agc {
      Check.positive("adaptiveClip", "clipping", clipping);
      Check.positive("adaptiveClip", "eps", eps);
      Check.notNull("adaptiveClip", "onNonFinite", onNonFinite);
    }

    @Override
    public TransformState init(Params params) {
      return ClipSupport.initRecord(TransformState.create());
    }

    @Override
    public void update(Tensor[] updates, TransformState s, Params params, StepContext ctx) {
      double total = ClipSupport.globalNorm(updates, 2);
      if (!Double.isFinite(total)) {
        ClipSupport.nonFinite("adaptiveClip", onNonFinite, s, total, updates, params, ctx);
        return;
      }
      long clipped = 0;
      for (int i = 0; i < updates.length; i++) {
        Tensor w = params.value(i);
        float[] g = updates[i].data();
        float[] p = w.data();
        int units = w.dim() >= 2 ? w.size(0) : 1;
        int len = units == 0 ? 0 : g.length / units;
        for (int r = 0; r < units; r++) {
          int from = r * len;
          int to = from + len;
          double maxNorm = Math.max(ClipSupport.norm(p, from, to, 2), eps) * clipping;
          double gNorm = ClipSupport.norm(g, from, to, 2);
          if (gNorm > maxNorm) {
            double coef = maxNorm / Math.max(gNorm, GRAD_FLOOR);
            for (int j = from; j < to; j++) {
              g[j] = (float) (g[j] * coef);
            }
            clipped++;
          }
        }
      }
      ClipSupport.record(s, total, clipping, clipped);
    }
  }

  /** AutoClip; state tensor {@code history} (a ring buffer), numbers {@code history_len/next}. */
  record AutoClip(double percentile, int historySize, Clip.OnNonFinite onNonFinite)
      implements GradientTransformation {
    static final String HISTORY = "history";
    static final String LEN = "history_len";
    static final String NEXT = "history_next";

    AutoClip {
      if (!(percentile > 0 && percentile <= 100)) {
        throw new IllegalArgumentException(
            "autoClip: percentile must be in (0, 100], got " + Check.fmt(percentile));
      }
      Check.positive("autoClip", "historySize", historySize);
      Check.notNull("autoClip", "onNonFinite", onNonFinite);
    }

    @Override
    public TransformState init(Params params) {
      return ClipSupport.initRecord(TransformState.create())
          .putTensor(HISTORY, Tensor.zeros(historySize))
          .putNumber(LEN, 0)
          .putNumber(NEXT, 0);
    }

    @Override
    public void update(Tensor[] updates, TransformState s, Params params, StepContext ctx) {
      double total = ClipSupport.globalNorm(updates, 2);
      if (!Double.isFinite(total)) {
        // Not added to the history: one overflow must not poison every later threshold.
        ClipSupport.nonFinite("autoClip", onNonFinite, s, total, updates, params, ctx);
        return;
      }
      float[] h = s.tensor(HISTORY).data();
      int len = (int) s.number(LEN);
      int next = (int) s.number(NEXT);
      h[next] = (float) total;
      len = Math.min(len + 1, historySize);
      s.setNumber(LEN, len);
      s.setNumber(NEXT, (next + 1) % historySize);
      double threshold = percentile(Arrays.copyOf(h, len), percentile);
      double coef = threshold / (total + Clippers.PYTORCH_EPS);
      boolean clip = coef < 1;
      if (clip) {
        for (Tensor u : updates) {
          ClipSupport.scale(u, coef);
        }
      }
      ClipSupport.record(s, total, threshold, clip ? 1 : 0);
    }

    /** NumPy's default {@code percentile} (linear interpolation between closest ranks). */
    static double percentile(float[] values, double p) {
      Arrays.sort(values);
      double pos = p / 100 * (values.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(lo + 1, values.length - 1);
      return values[lo] + ((double) values[hi] - values[lo]) * (pos - lo);
    }
  }

  /** ZClip; state numbers {@code count}, {@code mean}, {@code var}. */
  record ZScore(
      double alpha, double zThreshold, int warmupSteps, double eps, Clip.OnNonFinite onNonFinite)
      implements GradientTransformation {
    static final String COUNT = "count";
    static final String MEAN = "mean";
    static final String VAR = "var";
    static final String Z = "z";

    ZScore {
      Check.unitOpen("zScoreClip", "alpha", alpha);
      Check.positive("zScoreClip", "zThreshold", zThreshold);
      Check.positive("zScoreClip", "warmupSteps", warmupSteps);
      Check.nonNegative("zScoreClip", "eps", eps);
      Check.notNull("zScoreClip", "onNonFinite", onNonFinite);
    }

    @Override
    public TransformState init(Params params) {
      return ClipSupport.initRecord(TransformState.create())
          .putNumber(COUNT, 0)
          .putNumber(MEAN, 0)
          .putNumber(VAR, 0)
          .putNumber(Z, Double.NaN);
    }

    @Override
    public void update(Tensor[] updates, TransformState s, Params params, StepContext ctx) {
      double g = ClipSupport.globalNorm(updates, 2);
      if (!Double.isFinite(g)) {
        ClipSupport.nonFinite("zScoreClip", onNonFinite, s, g, updates, params, ctx);
        return;
      }
      long count = (long) s.number(COUNT);
      double mean = s.number(MEAN);
      double var = s.number(VAR);
      if (count < warmupSteps) {
        // Warm-up: population mean and variance of the norms seen so far (Welford).
        long n = count + 1;
        double delta = g - mean;
        double newMean = mean + delta / n;
        double m2 = var * count + delta * (g - newMean);
        s.setNumber(MEAN, newMean);
        s.setNumber(VAR, m2 / n);
        s.setNumber(COUNT, n);
        s.setNumber(Z, Double.NaN);
        ClipSupport.record(s, g, Double.NaN, 0);
        return;
      }
      double std = Math.sqrt(var);
      double z = (g - mean) / (std + eps);
      double effective = g;
      double threshold = Double.NaN;
      long clipped = 0;
      if (z > zThreshold) {
        threshold = mean + zThreshold * std / (z / zThreshold);
        if (g > threshold) {
          double coef = threshold / (g + Clippers.PYTORCH_EPS);
          for (Tensor u : updates) {
            ClipSupport.scale(u, coef);
          }
          clipped = 1;
        }
        effective = threshold;
      }
      double newMean = alpha * mean + (1 - alpha) * effective;
      double d = effective - newMean;
      s.setNumber(MEAN, newMean);
      s.setNumber(VAR, alpha * var + (1 - alpha) * d * d);
      s.setNumber(COUNT, count + 1);
      s.setNumber(Z, z);
      ClipSupport.record(s, g, threshold, clipped);
    }
  }
}
