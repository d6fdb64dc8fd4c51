package org.gradguard.health;

import java.util.List;
import org.gradguard.nn.Activation;

/**
 * The statistics of one activation layer's outputs at one monitored step, over every call of the
 * layer in that step (a recurrent cell applied T times is called T times).
 *
 * <p>A unit is one feature of a {@code [N, F]} output, or one channel (axis 1) of an output with
 * three or more axes ({@code [N, C, ...]}); a scalar or vector output counts as one unit.
 *
 * @param layer the module name of the activation
 * @param order the position of the layer's first call in this step's forward pass (0 first)
 * @param kind the activation function
 * @param calls how many times the layer ran in this step
 * @param numel the number of outputs observed (over all calls)
 * @param mean the mean output (over the finite outputs)
 * @param std the population standard deviation of the outputs (over the finite outputs)
 * @param fractionSaturated for sigmoid and tanh, the fraction of outputs within the saturation
 *     tolerance of a bound ({@code y ≤ tol} or {@code y ≥ 1 − tol} for sigmoid, {@code |y| ≥ 1 −
 *     tol} for tanh; tol = 0.01 by default); NaN for other kinds
 * @param fractionDead for the ReLU family, the fraction of units whose output is {@code ≤ 0} for
 *     every example of the batch (and every call); NaN for other kinds
 * @param nonFinite the number of NaN or infinite outputs
 * @param outputGradNorms {@code ‖∂loss/∂y‖₂} of each call's output, in call order (in a recurrent
 *     net: in time order); empty when backward did not reach the output
 */
public record ActivationStats(
    String layer,
    int order,
    Activation.Kind kind,
    int calls,
    long numel,
    double mean,
    double std,
    double fractionSaturated,
    double fractionDead,
    long nonFinite,
    List<Double> outputGradNorms) {
  public ActivationStats {
    outputGradNorms = List.copyOf(outputGradNorms);
  }
}
