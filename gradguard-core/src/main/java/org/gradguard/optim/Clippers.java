package org.gradguard.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.Tensor;

/** The fixed-threshold clipping transformations behind {@link Clip}'s factories. */
final class Clippers {
  private Clippers() {}

  static final double PYTORCH_EPS = 1e-6;

  record ByValue(double clipValue, Clip.OnNonFinite onNonFinite) implements GradientTransformation {
    ByValue {
      Check.positive("clipByValue", "clipValue", clipValue);
      Check.notNull("clipByValue", "onNonFinite", onNonFinite);
    }

    @Override
    public TransformState init(Params params) {
      return ClipSupport.initRecord(TransformState.create());
    }

    @Override
    public void update(Tensor[] updates, TransformState s, Params params, StepContext ctx) {
      double norm = ClipSupport.globalNorm(updates, 2);
      if (!Double.isFinite(norm)) {
        ClipSupport.nonFinite("clipByValue", onNonFinite, s, norm, updates, params, ctx);
        return;
      }
      float c = (float) clipValue;
      long changed = 0;
      for (Tensor u : updates) {
        float[] d = u.data();
        for (int j = 0; j < d.length; j++) {
          float v = d[j];
          if (v > c) {
            d[j] = c;
            changed++;
          } else if (v < -c) {
            d[j] = -c;
            changed++;
          }
        }
      }
      ClipSupport.record(s, norm, clipValue, changed);
    }
  }

  record ByGlobalNorm(double maxNorm, double normType, Clip.OnNonFinite onNonFinite)
      implements GradientTransformation {
    ByGlobalNorm {
      Check.positive("clipByGlobalNorm", "maxNorm", maxNorm);
      if (!(normType > 0)) {
        throw new IllegalArgumentException(
            "clipByGlobalNorm: normType must be > 0 (or infinity), got " + Check.fmt(normType));
      }
      Check.notNull("clipByGlobalNorm", "onNonFinite", onNonFinite);
    }

    @Override
    public TransformState init(Params params) {
      return ClipSupport.initRecord(TransformState.create());
    }

    @Override
    public void update(Tensor[] updates, TransformState s, Params params, StepContext ctx) {
      double total = ClipSupport.globalNorm(updates, normType);
      if (!Double.isFinite(total)) {
        ClipSupport.nonFinite("clipByGlobalNorm", onNonFinite, s, total, updates, params, ctx);
        return;
      }
      double coef = maxNorm / (total + PYTORCH_EPS);
      boolean clip = coef < 1;
      if (clip) {
        for (Tensor u : updates) {
          ClipSupport.scale(u, coef);
        }
      }
      ClipSupport.record(s, total, maxNorm, clip ? 1 : 0);
    }
  }

  /**
   * DL4J's {@code ClipL2PerLayer} ({@code perLayer = true}) and {@code ClipL2PerParamType}: each
   * group's L2 norm {@code n}; if {@code n > threshold}, the group is scaled by {@code
   * threshold/n}.
   */
  record PerGroup(double threshold, boolean perLayer, Clip.OnNonFinite onNonFinite)
      implements GradientTransformation {
    PerGroup {
      String where = perLayer ? "clipPerLayer" : "clipPerTensor";
      Check.positive(where, "threshold", threshold);
      Check.notNull(where, "onNonFinite", onNonFinite);
    }

    @Override
    public TransformState init(Params params) {
      return ClipSupport.initRecord(TransformState.create());
    }

    @Override
    public void update(Tensor[] updates, TransformState s, Params params, StepContext ctx) {
      double total = ClipSupport.globalNorm(updates, 2);
      if (!Double.isFinite(total)) {
        ClipSupport.nonFinite(
            perLayer ? "clipPerLayer" : "clipPerTensor",
            onNonFinite,
            s,
            total,
            updates,
            params,
            ctx);
        return;
      }
      long clipped = 0;
      for (List<Integer> group : groups(params)) {
        double sq = 0;
        for (int i : group) {
          double n = ClipSupport.norm(updates[i].data(), 0, updates[i].numel(), 2);
          sq += n * n;
        }
        double n = Math.sqrt(sq);
        if (n > threshold) {
          double coef = threshold / n;
          for (int i : group) {
            ClipSupport.scale(updates[i], coef);
          }
          clipped++;
        }
      }
      ClipSupport.record(s, total, threshold, clipped);
    }

    private List<List<Integer>> groups(Params params) {
      List<List<Integer>> out = new ArrayList<>();
      if (!perLayer) {
        for (int i = 0; i < params.size(); i++) {
          out.add(List.of(i));
        }
        return out;
      }
      Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
      for (int i = 0; i < params.size(); i++) {
        byLayer.computeIfAbsent(params.layer(i), k -> new ArrayList<>()).add(i);
      }
      out.addAll(byLayer.values());
      return out;
    }
  }
}
