package org.gradguard.health;

import java.util.List;

/**
 * The statistics of one layer (the parameters a module owns directly) at one monitored step,
 * aggregated over its parameters.
 *
 * @param layer the layer's module name ({@code blocks.3.fc1}; {@code ""} for the root module)
 * @param layerIndex the depth index (0 nearest the input)
 * @param parameters the full names of the layer's parameters, in registration order
 * @param numel the number of scalars in the layer's parameters
 * @param gradNorm {@code sqrt(Σ ‖g_p‖²)} over the layer's parameters (non-finite when any entry is)
 * @param gradMaxAbs the largest finite {@code |g|}
 * @param nonFinite the number of non-finite gradient entries
 * @param paramNorm {@code sqrt(Σ ‖θ_p‖²)}
 * @param paramMeanAbs {@code mean |θ|} over all the layer's scalars
 * @param updateNorm {@code sqrt(Σ ‖u_p‖²)}, NaN when the update is unknown
 * @param updateMeanAbs {@code mean |u|} over all the layer's scalars, NaN when the update is
 *     unknown
 */
public record LayerStats(
    String layer,
    int layerIndex,
    List<String> parameters,
    long numel,
    double gradNorm,
    double gradMaxAbs,
    long nonFinite,
    double paramNorm,
    double paramMeanAbs,
    double updateNorm,
    double updateMeanAbs) {
  public LayerStats {
    parameters = List.copyOf(parameters);
  }

  /**
   * DL4J's update:parameter ratio {@code log10(mean |u| / mean |θ|)} over all the layer's scalars;
   * NaN when the update is unknown.
   */
  public double updateRatio() {
    return Math.log10(updateMeanAbs / paramMeanAbs);
  }

  /** A readable label: the module name, or {@code "(root)"} for parameters of the root module. */
  public String label() {
    return layer.isEmpty() ? "(root)" : layer;
  }
}
