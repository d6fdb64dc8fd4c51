package org.gradguard.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** L2 regularization versus decoupled weight decay: equal for plain SGD, different for Adam. */
class WeightDecayTest {
  private static final float LAMBDA = 0.05f;

  /** A data loss with a different curvature per coordinate: Σ a ⊙ (w − t)². */
  private static Variable dataLoss(Variable w, Tensor a, Tensor t) {
    return w.sub(Variable.constant(t)).square().mul(Variable.constant(a)).sum();
  }

  private static Variable l2Term(Variable w) {
    return w.square().sum().mul(0.5f * LAMBDA);
  }

  /** Trains w for 12 steps from a fixed start; returns the final w. */
  private static Tensor train(GradientTransformation opt, Function<Variable, Variable> loss) {
    Rng rng = new Rng(5);
    Variable w = Variable.leaf(Tensor.randn(rng, 6));
    Optimizer o = Optimizer.ofVariables(opt, List.of(w));
    for (int k = 0; k < 12; k++) {
      o.zeroGrad();
      loss.apply(w).backward();
      assertTrue(o.step().applied());
    }
    return w.value();
  }

  private static double maxAbsDiff(Tensor x, Tensor y) {
    double m = 0;
    for (int i = 0; i < x.numel(); i++) {
      m = Math.max(m, Math.abs(x.data()[i] - y.data()[i]));
    }
    return m;
  }

  private final Rng rng = new Rng(9);
  private final Tensor a = Tensor.uniform(rng, 0.01, 10, 6);
  private final Tensor t = Tensor.randn(rng, 6);

  @Test
  void sgdWithL2EqualsSgdWithTheL2TermInTheLoss() {
    Tensor coupled = train(Optimizers.sgd(0.02, 0, 0, LAMBDA, false), w -> dataLoss(w, a, t));
    Tensor inLoss = train(Optimizers.sgd(0.02), w -> dataLoss(w, a, t).add(l2Term(w)));
    // SGD: p − lr·(g + λp) either way; only float rounding of λp differs.
    assertTrue(maxAbsDiff(coupled, inLoss) < 1e-6, "diff " + maxAbsDiff(coupled, inLoss));
    // and decoupled decay scaled by lr is the same thing for plain SGD
    Tensor decoupled =
        train(
            Transforms.chain(
                Transforms.addDecayedWeights(LAMBDA), Transforms.scaleByLearningRate(0.02)),
            w -> dataLoss(w, a, t));
    assertTrue(maxAbsDiff(coupled, decoupled) < 1e-6);
  }

  @Test
  void adamWithL2DiffersFromAdamW() {
    Schedule lr = Schedule.constant(0.05);
    Tensor adamL2 =
        train(Optimizers.adam(lr, 0.9, 0.999, 1e-8, LAMBDA, false), w -> dataLoss(w, a, t));
    Tensor adamInLoss = train(Optimizers.adam(0.05), w -> dataLoss(w, a, t).add(l2Term(w)));
    Tensor adamW =
        train(
            Optimizers.adamw(lr, 0.9, 0.999, 1e-8, LAMBDA, false, ParamMask.all()),
            w -> dataLoss(w, a, t));
    // Adam's weight_decay is L2 in the loss ...
    assertTrue(maxAbsDiff(adamL2, adamInLoss) < 1e-5, "diff " + maxAbsDiff(adamL2, adamInLoss));
    // ... and decoupled decay is not: the L2 gradient is divided by sqrt(v), the decay is not.
    assertTrue(maxAbsDiff(adamL2, adamW) > 1e-3, "diff " + maxAbsDiff(adamL2, adamW));
  }

  @Test
  void adamwDecaysEveryWeightByTheSameFactorWhenGradientsVanish() {
    // Zero gradients: Adam's direction is 0, so AdamW multiplies by exactly (1 − lr·wd) per step.
    Tensor w = Tensor.vector(1, -2, 4);
    GradientTransformation opt =
        Optimizers.adamw(Schedule.constant(0.1), 0.9, 0.999, 1e-8, 0.5, false, ParamMask.all());
    Params p = Params.of(w);
    TransformState s = opt.init(p);
    for (int k = 0; k < 3; k++) {
      Tensor[] u = {Tensor.zeros(3)};
      opt.update(u, s, p, StepContext.at(k));
      w.addInPlace(u[0]);
    }
    double f = Math.pow(1 - 0.1 * 0.5, 3);
    assertArrayEquals(new float[] {(float) f, (float) (-2 * f), (float) (4 * f)}, w.data(), 1e-6f);
  }

  @Test
  void maskExcludesBiasesAndNormWeights() {
    Tensor weight = Tensor.ones(2, 2);
    Tensor bias = Tensor.ones(2);
    Params p = Params.of(weight, bias);
    GradientTransformation decay = Transforms.addDecayedWeights(0.1, ParamMask.weightsOnly());
    Tensor[] u = {Tensor.zeros(2, 2), Tensor.zeros(2)};
    decay.update(u, decay.init(p), p, StepContext.at(0));
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, u[0].data());
    assertArrayEquals(new float[] {0, 0}, u[1].data());
    ParamMask byName = ParamMask.nameMatches("bias$").negate();
    assertTrue(byName.includes("fc.weight", weight));
    assertEquals(false, byName.includes("fc.bias", bias));
  }
}
