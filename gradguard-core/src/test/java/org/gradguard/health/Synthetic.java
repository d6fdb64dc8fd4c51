package org.gradguard.health;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.nn.Activation;

/** Hand-made step records for detector tests: one parameter per layer, named {@code l<i>.w}. */
final class Synthetic {
  private Synthetic() {}

  /** A step whose layers have these gradient norms (parameter norm 1, mean |θ| 0.1). */
  static StepStats step(long step, double loss, double... layerNorms) {
    return withActivations(step, loss, List.of(), layerNorms);
  }

  static StepStats withActivations(
      long step, double loss, List<ActivationStats> acts, double... layerNorms) {
    List<ParameterStats> ps = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < layerNorms.length; i++) {
      double g = layerNorms[i];
      ps.add(
          new ParameterStats(
              "l" + i + ".w",
              "l" + i,
              i,
              100,
              true,
              g,
              g / 5,
              0,
              -g / 5,
              g / 5,
              1,
              0.1,
              Double.NaN,
              Double.NaN));
      total += g * g;
    }
    return new StepStats(step, loss, Math.sqrt(total), ps, Monitor.layersOf(ps), acts, List.of());
  }

  /** The same step with every parameter's update set so that log10(mean|u|/mean|θ|) = r. */
  static StepStats withUpdateRatio(StepStats s, double r) {
    List<ParameterStats> ps = new ArrayList<>();
    for (ParameterStats p : s.parameters()) {
      ps.add(p.withUpdate(1, p.paramMeanAbs() * Math.pow(10, r)));
    }
    return new StepStats(
        s.step(),
        s.loss(),
        s.globalGradNorm(),
        ps,
        Monitor.layersOf(ps),
        s.activations(),
        s.sequences());
  }

  static ActivationStats activation(
      String layer, Activation.Kind kind, double saturated, double dead, List<Double> grads) {
    return new ActivationStats(
        layer, 0, kind, Math.max(1, grads.size()), 100, 0, 1, saturated, dead, 0, grads);
  }
}
