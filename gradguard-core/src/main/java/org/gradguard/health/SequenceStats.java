package org.gradguard.health;

import java.util.List;

/**
 * The gradient reaching each time step of a recurrent layer's input ({@code RNN}, {@code LSTM},
 * {@code GRU}) at one monitored step: {@code ‖∂loss/∂x_t‖₂} for {@code t = 1..T} of the input
 * {@code [T, N, …]}. Backpropagation through time carries the gradient from late steps to early
 * ones, so this profile shows it exploding or vanishing across time. It is measured only when the
 * layer's input requires a gradient (it comes from an earlier layer, or is a leaf created per
 * batch).
 *
 * @param layer the module name of the recurrent layer
 * @param module its class ({@code RNN}, {@code LSTM}, {@code GRU})
 * @param steps the sequence length T
 * @param inputGradNorms the norm of the gradient of each time step of the input, in time order
 */
public record SequenceStats(String layer, String module, int steps, List<Double> inputGradNorms) {
  public SequenceStats {
    inputGradNorms = List.copyOf(inputGradNorms);
  }
}
