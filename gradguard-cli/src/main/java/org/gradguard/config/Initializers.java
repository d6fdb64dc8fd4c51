package org.gradguard.config;

import java.util.List;
import org.gradguard.nn.init.Distribution;
import org.gradguard.nn.init.FanMode;
import org.gradguard.nn.init.Init;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Applies an {@link InitConfig} to the weights of a built model through {@link Init}, overwriting
 * them in place (Modified: each target's tensors). Draws come from the given {@link Rng}, target
 * after target in the order of the model. Biases are set to 0 under xavier, kaiming and orthogonal
 * (as Keras does, and as PyTorch code that calls these initializers usually does) and drawn {@code
 * N(0, σ_b²)} under normal. {@code lsuv} is data-dependent and applied by {@link RunFactory}.
 */
final class Initializers {
  /**
   * A weight (PyTorch layout {@code [out, in, ...]}), its bias or null, and the gain of the
   * nonlinearity that follows it (1 when none does).
   */
  record Target(Tensor weight, Tensor bias, double gain) {}

  private Initializers() {}

  static void apply(InitConfig init, List<Target> targets, Rng rng) {
    if (init.kind() == InitConfig.Kind.PYTORCH || init.kind() == InitConfig.Kind.LSUV) {
      return;
    }
    for (Target t : targets) {
      Tensor w = t.weight();
      double fixed = init.gain() != null ? init.gain() : 1.0;
      double kaiming = init.gain() != null ? init.gain() : t.gain();
      switch (init.kind()) {
        case XAVIER_UNIFORM -> Init.xavierUniform(w, fixed, rng);
        case XAVIER_NORMAL -> Init.xavierNormal(w, fixed, rng);
        // kaiming_*(nonlinearity) is variance scaling by gain² over fan_in.
        case KAIMING_NORMAL ->
            Init.varianceScaling(w, kaiming * kaiming, FanMode.FAN_IN, Distribution.NORMAL, rng);
        case KAIMING_UNIFORM ->
            Init.varianceScaling(w, kaiming * kaiming, FanMode.FAN_IN, Distribution.UNIFORM, rng);
        case ORTHOGONAL -> Init.orthogonal(w, fixed, rng);
        case NORMAL ->
            Init.varianceScaling(w, init.sigmaW2(), FanMode.FAN_IN, Distribution.NORMAL, rng);
        default -> throw new IllegalStateException("unhandled init " + init.kind());
      }
      if (t.bias() != null) {
        if (init.kind() == InitConfig.Kind.NORMAL && init.sigmaB2() > 0) {
          Init.normal(t.bias(), 0, Math.sqrt(init.sigmaB2()), rng);
        } else {
          Init.zeros(t.bias());
        }
      }
    }
  }
}
