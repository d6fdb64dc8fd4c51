package org.gradguard.health;

/**
 * Gradient, parameter and update statistics of one parameter at one monitored step.
 *
 * @param name the full state-dict name ({@code blocks.3.fc1.weight})
 * @param layer the layer that owns the parameter ({@code blocks.3.fc1})
 * @param layerIndex the layer's depth index (0 nearest the input)
 * @param numel the number of scalars
 * @param hasGradient false when backward did not reach the parameter (its gradient statistics are
 *     then 0)
 * @param gradNorm {@code ‖g‖₂} over every entry: NaN or infinite when the gradient has non-finite
 *     entries (as PyTorch's total norm)
 * @param gradMaxAbs {@code max |g|} over the finite entries (0 when none)
 * @param nonFinite the number of NaN or infinite gradient entries
 * @param gradFiniteMin the smallest finite gradient entry (NaN when none)
 * @param gradFiniteMax the largest finite gradient entry (NaN when none)
 * @param paramNorm {@code ‖θ‖₂} before the update; NaN in the gradient stage of a {@link
 *     TrainingStep}, which takes it from the pass that applies the update (see {@link Monitor})
 * @param paramMeanAbs {@code mean |θ|} before the update; NaN where {@code paramNorm} is
 * @param updateNorm {@code ‖u‖₂} of the update applied at this step; NaN when none is known (the
 *     step was skipped, or updates were not reported to the monitor)
 * @param updateMeanAbs {@code mean |u|}; NaN when the update is unknown
 */
public record ParameterStats(
    String name,
    String layer,
    int layerIndex,
    long numel,
    boolean hasGradient,
    double gradNorm,
    double gradMaxAbs,
    long nonFinite,
    double gradFiniteMin,
    double gradFiniteMax,
    double paramNorm,
    double paramMeanAbs,
    double updateNorm,
    double updateMeanAbs) {

  /**
   * DL4J's update:parameter ratio {@code log10(mean |u| / mean |θ|)}: NaN when the update is
   * unknown, infinite when either mean is 0. Around −3 is healthy; above −2 the learning rate is
   * probably too high, below −4 too low.
   */
  public double updateRatio() {
    return Math.log10(updateMeanAbs / paramMeanAbs);
  }

  /** This record with the update statistics filled in. */
  public ParameterStats withUpdate(double updateNorm, double updateMeanAbs) {
    return new ParameterStats(
        name,
        layer,
        layerIndex,
        numel,
        hasGradient,
        gradNorm,
        gradMaxAbs,
        nonFinite,
        gradFiniteMin,
        gradFiniteMax,
        paramNorm,
        paramMeanAbs,
        updateNorm,
        updateMeanAbs);
  }

  /** This record with the parameter statistics (before the update) filled in. */
  public ParameterStats withParameter(double paramNorm, double paramMeanAbs) {
    return new ParameterStats(
        name,
        layer,
        layerIndex,
        numel,
        hasGradient,
        gradNorm,
        gradMaxAbs,
        nonFinite,
        gradFiniteMin,
        gradFiniteMax,
        paramNorm,
        paramMeanAbs,
        updateNorm,
        updateMeanAbs);
  }
}
