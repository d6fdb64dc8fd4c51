package org.gradguard.optim;

import org.gradguard.tensor.Tensor;

/**
 * Gradient clipping, as gradient transformations to place at the head of a chain (before the
 * optimizer's scaling, where they act on raw gradients).
 *
 * <h2>What every clip records</h2>
 *
 * Each clip's state holds these numbers after every step, so a monitor, a guard or a report can
 * read the measurement it acted on (optax returns it in the state; PyTorch's {@code
 * clip_grad_norm_} returns it):
 *
 * <ul>
 *   <li>{@link #LAST_NORM} {@code last_norm}: the norm of the incoming updates before clipping —
 *       the global norm of the configured type for {@link #byGlobalNorm}, the global L2 norm for
 *       the others; NaN or ∞ when non-finite. NaN before the first step.
 *   <li>{@link #THRESHOLD} {@code threshold}: the threshold applied (fixed, or the adaptive one
 *       computed this step; the clipping factor λ for AGC; NaN while ZClip warms up or does not
 *       trigger).
 *   <li>{@link #CLIPPED} {@code clipped}: how many units were scaled this step — 0 or 1 for the
 *       global clips, tensors for {@link #perTensor}, layers for {@link #perLayer}, rows for {@link
 *       #adaptive}, elements for {@link #byValue}.
 *   <li>{@link #CLIP_COUNT} {@code clip_count}: steps in which anything was clipped.
 *   <li>{@link #NONFINITE} {@code nonfinite} (1 when this step's norm was NaN or ∞), {@link
 *       #NONFINITE_PARAM} {@code nonfinite_param} (index of the first parameter with a non-finite
 *       update, −1 if none — the norm may also overflow), {@link #NONFINITE_COUNT} {@code
 *       nonfinite_count}.
 * </ul>
 *
 * <h2>Non-finite gradients</h2>
 *
 * PyTorch's {@code clip_grad_norm_} multiplies by {@code max_norm/(NaN + 1e-6)} and so turns every
 * finite gradient into NaN as well. Here a non-finite norm never scales anything: with {@link
 * OnNonFinite#REPORT} (the default) the updates pass through unchanged and the state records it, so
 * the caller (a guard in {@code health}, or {@link Optimizer}, which skips such steps) decides;
 * with {@link OnNonFinite#ERROR} a {@link NonFiniteGradientException} names the first non-finite
 * parameter.
 */
public final class Clip {
  private Clip() {}

  public static final String LAST_NORM = "last_norm";
  public static final String THRESHOLD = "threshold";
  public static final String CLIPPED = "clipped";
  public static final String CLIP_COUNT = "clip_count";
  public static final String NONFINITE = "nonfinite";
  public static final String NONFINITE_PARAM = "nonfinite_param";
  public static final String NONFINITE_COUNT = "nonfinite_count";

  /** The infinity norm type for {@link #byGlobalNorm(double, double, OnNonFinite)}. */
  public static final double INF = Double.POSITIVE_INFINITY;

  /** What a clip does when the norm it measures is NaN or infinite. */
  public enum OnNonFinite {
    /** Leave the updates unchanged and record it in the state (the default). */
    REPORT,
    /** Throw a {@link NonFiniteGradientException} naming the first non-finite parameter. */
    ERROR
  }

  /**
   * PyTorch's {@code clip_grad_value_}: every element clamped to {@code [−clipValue, clipValue]}.
   * Changes the direction of the gradient; prefer a norm clip unless single coordinates explode.
   *
   * @param clipValue {@code > 0}
   */
  public static GradientTransformation byValue(double clipValue) {
    return byValue(clipValue, OnNonFinite.REPORT);
  }

  /** {@link #byValue(double)} with an explicit non-finite policy. */
  public static GradientTransformation byValue(double clipValue, OnNonFinite onNonFinite) {
    return new Clippers.ByValue(clipValue, onNonFinite);
  }

  /**
   * PyTorch's {@code clip_grad_norm_} (Pascanu et al. 2013): {@code n = ‖concat(g)‖₂}; {@code coef
   * = min(1, maxNorm/(n + 1e-6))}; every update scaled by {@code coef}. Keeps the direction. The
   * {@code 1e-6} is PyTorch's; it makes the clipped norm slightly below {@code maxNorm}.
   *
   * @param maxNorm {@code > 0}
   */
  public static GradientTransformation byGlobalNorm(double maxNorm) {
    return byGlobalNorm(maxNorm, 2, OnNonFinite.REPORT);
  }

  /**
   * {@link #byGlobalNorm(double)} with a norm type: {@code (Σ|g|^p)^(1/p)} over all elements, or
   * {@code max|g|} for {@link #INF}; PyTorch's {@code norm_type}.
   *
   * @param normType {@code > 0}, usually 1, 2 or {@link #INF}
   */
  public static GradientTransformation byGlobalNorm(
      double maxNorm, double normType, OnNonFinite onNonFinite) {
    return new Clippers.ByGlobalNorm(maxNorm, normType, onNonFinite);
  }

  /**
   * Each tensor separately (DL4J's {@code ClipL2PerParamType}): if {@code ‖g_i‖₂ > threshold},
   * {@code g_i ← g_i·threshold/‖g_i‖₂}. No epsilon.
   */
  public static GradientTransformation perTensor(double threshold) {
    return new Clippers.PerGroup(threshold, false, OnNonFinite.REPORT);
  }

  /**
   * Each layer separately (DL4J's {@code ClipL2PerLayer}): the L2 norm of all of a layer's
   * gradients together (weight and bias), and if it exceeds {@code threshold} the whole layer is
   * scaled by {@code threshold/norm}. Layers are {@link Params#layer(int)}. A layer whose gradient
   * explodes is tamed without shrinking the others, unlike a global clip.
   */
  public static GradientTransformation perLayer(double threshold) {
    return new Clippers.PerGroup(threshold, true, OnNonFinite.REPORT);
  }

  /**
   * Adaptive gradient clipping, AGC (Brock et al. 2021, "High-Performance Large-Scale Image
   * Recognition Without Normalization"), with eps {@code 1e-3}. See {@link #adaptive(double,
   * double)}.
   */
  public static GradientTransformation adaptive(double clipping) {
    return adaptive(clipping, 1e-3);
  }

  /**
   * AGC: clips each unit's gradient relative to its weight. For unit {@code i}, {@code m =
   * λ·max(‖W_i‖, eps)}; if {@code ‖G_i‖ > m}, {@code G_i ← G_i·m/max(‖G_i‖, 1e-6)}. With PyTorch's
   * {@code [out, in, …]} layout a unit is one output row (all of {@code W[i, …]}); a tensor of 0 or
   * 1 dimensions (a bias, a norm scale) is one unit. The paper does not clip the final classifier:
   * wrap with {@link Transforms#masked}. The parameters' values are read, not modified.
   *
   * @param clipping λ, {@code > 0} (the paper uses 0.01–0.16 depending on batch size)
   * @param eps the floor on weight norms, {@code > 0}, so zero-initialized units can move
   */
  public static GradientTransformation adaptive(double clipping, double eps) {
    return new AdaptiveClippers.Agc(clipping, eps, OnNonFinite.REPORT);
  }

  /**
   * AutoClip (Seetharaman et al. 2020, "AutoClip: Adaptive Gradient Clipping for Source Separation
   * Networks"): append this step's global L2 norm to the history, then clip by global norm
   * (PyTorch's formula) at the {@code percentile}-th percentile of the history (NumPy's linear
   * interpolation). The paper keeps every norm; here the history is the last {@code historySize}
   * finite norms, a ring buffer in the state tensor {@code history} (float32), with {@code
   * history_len} and {@code history_next}.
   *
   * @param percentile in {@code (0, 100]}; the paper recommends 10
   * @param historySize {@code > 0}
   */
  public static GradientTransformation autoClip(double percentile, int historySize) {
    return new AdaptiveClippers.AutoClip(percentile, historySize, OnNonFinite.REPORT);
  }

  /** ZClip with the paper's defaults: alpha 0.97, z threshold 2.5, 25 warm-up steps, eps 1e-6. */
  public static GradientTransformation zScore() {
    return zScore(0.97, 2.5, 25);
  }

  /**
   * Z-score spike clipping, ZClip (Kumar et al. 2025, "ZClip: Adaptive Spike Mitigation for LLM
   * Pre-Training"), its "zscore" mode with adaptive scaling (the reference implementation's
   * default). With {@code g} this step's global L2 norm:
   *
   * <ul>
   *   <li>warm-up, the first {@code warmupSteps} finite norms: no clipping; {@code mean} and {@code
   *       var} are the population mean and variance of the norms seen;
   *   <li>then {@code z = (g − mean)/(sqrt(var) + 1e-6)}. If {@code z > zThreshold}: {@code t =
   *       mean + zThreshold²·sqrt(var)/z} (a larger spike is clipped harder), updates scaled by
   *       {@code t/(g + 1e-6)}, and {@code x = t}; else {@code x = g};
   *   <li>{@code mean ← α·mean + (1−α)·x}, then {@code var ← α·var + (1−α)·(x − mean)²} with the
   *       new mean.
   * </ul>
   *
   * State numbers: {@code count} (finite norms observed), {@code mean}, {@code var}, {@code z} (NaN
   * in warm-up), plus the common record.
   *
   * @param alpha the EMA factor, in {@code (0, 1)}
   * @param zThreshold {@code > 0}
   * @param warmupSteps {@code > 0}
   */
  public static GradientTransformation zScore(double alpha, double zThreshold, int warmupSteps) {
    return new AdaptiveClippers.ZScore(alpha, zThreshold, warmupSteps, 1e-6, OnNonFinite.REPORT);
  }

  /**
   * The norm of all tensors as if concatenated: {@code (Σ|x|^p)^(1/p)}, {@code max|x|} for {@link
   * #INF}; accumulated in double. Not modified: the tensors.
   */
  public static double globalNorm(double normType, Tensor... tensors) {
    return ClipSupport.globalNorm(tensors, normType);
  }
}
