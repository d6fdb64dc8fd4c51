package org.gradguard.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.init.Fans;
import org.gradguard.nn.init.Init;
import org.gradguard.tensor.MersenneTwister;
import org.gradguard.tensor.Tensor;

/**
 * Draws a built model's initial weights with the numbers PyTorch draws when the same layers are
 * built after {@code torch.manual_seed(seed)} ({@code train.rng: pytorch}). The model builder
 * records every tensor PyTorch's {@code reset_parameters} fills, in the order PyTorch constructs
 * them, and {@link #apply(long)} fills them from one {@link MersenneTwister}:
 *
 * <ul>
 *   <li>Linear and Conv2d: the weight by {@code kaiming_uniform_(a=√5)}, bound {@code
 *       √3·√(2/(1+a²))/√fanIn} computed as PyTorch computes it, then the bias {@code U(±1/√fanIn)};
 *   <li>RNN, LSTM and GRU: every parameter ({@code weight_ih_l0, weight_hh_l0, bias_ih_l0,
 *       bias_hh_l0}, layer after layer) {@code U(±1/√hidden)};
 *   <li>norm layers and the ReZero gate draw nothing (constants), as in PyTorch.
 * </ul>
 */
final class PyTorchInit {
  /** One {@code uniform_(−bound, bound)} call. */
  record Draw(Tensor tensor, double bound) {}

  private final List<Draw> draws = new ArrayList<>();

  /** A Linear or Conv2d layer's weight (layout {@code [out, in, …]}) and bias (or null). */
  void weighted(Tensor weight, Tensor bias) {
    long fanIn = Fans.of(weight.shape()).fanIn();
    double a = Math.sqrt(5.0);
    double gain = Math.sqrt(2.0 / (1 + a * a));
    draws.add(new Draw(weight, fanIn > 0 ? Math.sqrt(3.0) * (gain / Math.sqrt(fanIn)) : 0));
    if (bias != null) {
      draws.add(new Draw(bias, Init.pytorchDefaultBound(weight.shape())));
    }
  }

  /** A recurrent layer's parameters in PyTorch's order, hidden size {@code hidden}. */
  void recurrent(Collection<Parameter> parameters, int hidden) {
    double bound = 1.0 / Math.sqrt(hidden);
    for (Parameter p : parameters) {
      draws.add(new Draw(p.value(), bound));
    }
  }

  /** Fills every recorded tensor, in order, from {@code new MersenneTwister(seed)}. */
  void apply(long seed) {
    MersenneTwister g = new MersenneTwister(seed);
    for (Draw d : draws) {
      g.fillUniform(d.tensor().data(), -d.bound(), d.bound());
    }
  }
}
