package org.gradguard.health;

import java.util.List;

/**
 * Everything the {@link Monitor} measured at one step: an immutable record handed to listeners and
 * kept in the {@link HealthLog}.
 *
 * @param step the step number
 * @param loss the loss of the step's batch
 * @param globalGradNorm {@code ‖g‖₂} over every parameter's gradient (NaN or infinite when any
 *     entry is non-finite, as PyTorch's total norm)
 * @param parameters per parameter, in depth order
 * @param layers per layer, in depth order
 * @param activations per activation layer, in forward order
 * @param sequences per recurrent layer whose input gradient was measured, in forward order
 */
public record StepStats(
    long step,
    double loss,
    double globalGradNorm,
    List<ParameterStats> parameters,
    List<LayerStats> layers,
    List<ActivationStats> activations,
    List<SequenceStats> sequences) {
  public StepStats {
    parameters = List.copyOf(parameters);
    layers = List.copyOf(layers);
    activations = List.copyOf(activations);
    sequences = List.copyOf(sequences);
  }

  /** The number of non-finite gradient entries over all parameters. */
  public long nonFiniteGradients() {
    long n = 0;
    for (ParameterStats p : parameters) {
      n += p.nonFinite();
    }
    return n;
  }

  /** True when the loss and every gradient entry are finite. */
  public boolean allFinite() {
    return Double.isFinite(loss) && nonFiniteGradients() == 0;
  }
}
