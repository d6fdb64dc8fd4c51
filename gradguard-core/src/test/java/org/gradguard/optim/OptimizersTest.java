package org.gradguard.optim;

import static org.gradguard.optim.ClipTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimizersTest {

  /** One update of {@code opt} for parameter {@code p} and gradient {@code g}; returns p after. */
  private static float[] stepOnce(GradientTransformation opt, float p, float... grads) {
    Tensor w = Tensor.vector(p);
    Params ps = Params.of(w);
    TransformState s = opt.init(ps);
    for (int k = 0; k < grads.length; k++) {
      Tensor[] u = {Tensor.vector(grads[k])};
      opt.update(u, s, ps, StepContext.at(k));
      w.addInPlace(u[0]);
    }
    return w.data();
  }

  @Test
  void updateRulesByHand() {
    // SGD momentum 0.9, dampening 0.5: buf = 1, then 0.9·1 + 0.5·2 = 1.9; p = 1 − 0.1·(1 + 1.9)
    assertArrayEquals(
        new float[] {0.71f}, stepOnce(Optimizers.sgd(0.1, 0.9, 0.5, 0, false), 1, 1, 2), 1e-6f);
    // Nesterov: buf = 1, d = 1 + 0.9·1 = 1.9; p = 1 − 0.19
    assertArrayEquals(
        new float[] {0.81f}, stepOnce(Optimizers.sgd(0.1, 0.9, 0, 0, true), 1, 1), 1e-6f);
    // Adam, first step: m̂ = g, v̂ = g², update = lr·g/(|g| + eps) ≈ lr·sign(g)
    assertArrayEquals(new float[] {1 - 0.01f}, stepOnce(Optimizers.adam(0.01), 1, 3), 1e-7f);
    // Adagrad: sum = 0.5 + 4, p = 1 − 0.1·2/sqrt(4.5)
    assertArrayEquals(
        new float[] {(float) (1 - 0.2 / Math.sqrt(4.5))},
        stepOnce(Optimizers.adagrad(Schedule.constant(0.1), 0, 0, 0.5, 0), 1, 2),
        1e-7f);
    // RMSProp alpha 0.5: sq = 0.5·4 = 2, p = 1 − 0.1·2/sqrt(2)
    assertArrayEquals(
        new float[] {(float) (1 - 0.2 / Math.sqrt(2))},
        stepOnce(Optimizers.rmsprop(Schedule.constant(0.1), 0.5, 0, 0, 0, false), 1, 2),
        1e-7f);
  }

  @Test
  void factoriesValidateUnderPyTorchsNames() {
    assertMessage(
        "adam: beta1 must be in [0, 1), got 1.2",
        () -> Optimizers.adam(Schedule.constant(1e-3), 1.2, 0.999, 1e-8, 0, false));
    assertMessage(
        "adamw: beta2 must be in [0, 1), got 1",
        () -> Optimizers.adamw(Schedule.constant(1e-3), 0.9, 1, 1e-8, 0, false, ParamMask.all()));
    assertMessage("sgd: lr must be >= 0 and finite, got -0.1", () -> Optimizers.sgd(-0.1));
    assertMessage(
        "sgd: nesterov requires a momentum and dampening 0, got momentum 0 and dampening 0",
        () -> Optimizers.sgd(0.1, 0, 0, 0, true));
    assertMessage(
        "sgd: weight_decay must be >= 0 and finite, got -1",
        () -> Optimizers.sgd(0.1, 0, 0, -1, false));
    assertMessage(
        "rmsprop: alpha must be in [0, 1], got 1.5",
        () -> Optimizers.rmsprop(Schedule.constant(0.01), 1.5, 1e-8, 0, 0, false));
    assertMessage(
        "adagrad: lr_decay must be >= 0 and finite, got -1",
        () -> Optimizers.adagrad(Schedule.constant(0.01), -1, 0, 0, 1e-10));
    assertMessage(
        "accumulate: every must be > 0, got 0",
        () -> Transforms.accumulate(0, Transforms.identity()));
  }

  @Test
  void accumulationOverKMicroBatchesEqualsOneStepOnTheirMean() {
    GradientTransformation inner = Optimizers.adam(0.1);
    GradientTransformation acc = Transforms.accumulate(3, Optimizers.adam(0.1));
    Tensor w1 = Tensor.vector(1, 2);
    Tensor w2 = Tensor.vector(1, 2);
    Params p1 = Params.of(w1);
    Params p2 = Params.of(w2);
    TransformState s1 = inner.init(p1);
    TransformState s2 = acc.init(p2);
    float[][] micro = {{1, -2}, {4, 0.5f}, {-2, 3}};
    for (int round = 0; round < 2; round++) {
      for (int k = 0; k < 3; k++) {
        Tensor[] u = {Tensor.vector(micro[k]).mulInPlace(round + 1)};
        acc.update(u, s2, p2, StepContext.at(3 * round + k));
        if (k < 2) {
          assertArrayEquals(new float[] {0, 0}, u[0].data(), "no update before the k-th");
        }
        w2.addInPlace(u[0]);
      }
      Tensor[] mean = {Tensor.vector(1, 0.5f).mulInPlace(round + 1)};
      inner.update(mean, s1, p1, StepContext.at(round));
      w1.addInPlace(mean[0]);
      assertArrayEquals(w1.data(), w2.data(), 1e-6f);
    }
    assertEquals(2.0, s2.child(0).child(1).number("count"), "inner ran once per 3 micro-batches");
  }

  @Test
  void optimizerSkipsNonFiniteGradientsAndNamesTheParameter() {
    Variable a = Variable.leaf(Tensor.vector(1, 2));
    Variable b = Variable.leaf(Tensor.vector(3));
    Optimizer opt = Optimizer.ofVariables(Optimizers.adam(0.1), List.of(a, b));
    a.setGrad(Tensor.vector(0.1f, 0.2f));
    b.setGrad(Tensor.vector(Float.NaN));
    TransformState before = opt.state().copy();
    StepReport r = opt.step(1.5);
    assertFalse(r.applied());
    assertEquals("p1", r.nonFiniteParameter());
    assertArrayEquals(new float[] {1, 2}, a.value().data());
    assertTrue(opt.state().bitEquals(before), "state untouched on a skipped step");
    assertEquals(0, opt.stepCount());

    b.setGrad(Tensor.vector(0.3f));
    StepReport ok = opt.step();
    assertTrue(ok.applied());
    assertNull(ok.nonFiniteParameter());
    assertEquals(1, opt.stepCount());
    assertArrayEquals(new float[] {0.1f, 0.2f}, a.grad().data(), "gradients not modified");

    Optimizer strict = opt.withNonFinite(Clip.OnNonFinite.ERROR);
    b.setGrad(Tensor.vector(Float.POSITIVE_INFINITY));
    NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, strict::step);
    assertEquals("p1", e.parameter());
  }

  @Test
  void oneCycleMomentumDrivesSgdsTrace() {
    OneCycle oc = Schedule.oneCycle(0.1, 10);
    GradientTransformation sgd = Optimizers.sgd(oc, oc.momentumSchedule(), 0, 0, false);
    Tensor w = Tensor.vector(0);
    Params p = Params.of(w);
    TransformState s = sgd.init(p);
    double buf = 0;
    double expected = 0;
    for (int k = 0; k < 4; k++) {
      Tensor[] u = {Tensor.vector(1)};
      sgd.update(u, s, p, StepContext.at(k));
      w.addInPlace(u[0]);
      buf = k == 0 ? 1 : oc.momentum(k) * buf + 1;
      expected -= oc.at(k) * buf;
    }
    assertEquals(expected, w.data()[0], 1e-6);
  }

  /**
   * Twelve steps of {@code t} on {@code 0.5·‖p − c_k‖²} with {@code c_k = (1, −2, 0.5)·(1 + k/10)}
   * from {@code p = (0.5, −1, 2)}; returns p.
   */
  private static float[] twelveSteps(GradientTransformation t) {
    Tensor w = Tensor.vector(0.5f, -1f, 2f);
    Params p = Params.of(w);
    TransformState s = t.init(p);
    for (int k = 0; k < 12; k++) {
      float[] d = w.data();
      double scale = 1 + k / 10.0;
      Tensor[] u = {
        Tensor.vector(
            (float) (d[0] - scale), (float) (d[1] + 2 * scale), (float) (d[2] - 0.5 * scale))
      };
      t.update(u, s, p, StepContext.at(k));
      w.addInPlace(u[0]);
    }
    return w.data();
  }

  /**
   * PyTorch 1.13 in float64: {@code OneCycleLR(opt, max_lr=0.1, total_steps=12, pct_start=0.3)}
   * over Adam(lr 0.01), AdamW(lr 0.01, weight_decay 0.1) and RMSprop(lr 0.01, momentum 0) on the
   * problem of {@link #twelveSteps}; with {@code cycle_momentum=True} (the default) it cycles
   * Adam's β1 and RMSprop's momentum, with False it leaves β1 at 0.9 and RMSprop without momentum.
   */
  @Test
  void oneCycleCyclesAdamsBeta1AndRmspropsMomentumAsPyTorch() {
    OneCycle oc = Schedule.oneCycle(0.1, 12);
    Schedule mom = oc.momentumSchedule();
    assertArrayEquals(
        new float[] {1.0194575f, -1.5242294f, 1.5306596f},
        twelveSteps(Optimizers.adam(oc, mom, 0.999, 1e-8, 0, false)),
        2e-6f);
    assertArrayEquals(
        new float[] {0.9820361f, -1.4591989f, 1.4368830f},
        twelveSteps(Optimizers.adamw(oc, mom, 0.999, 1e-8, 0.1, false, ParamMask.all())),
        2e-6f);
    assertArrayEquals(
        new float[] {1.0534711f, -3.4780236f, 0.2442172f},
        twelveSteps(Optimizers.rmsprop(oc, 0.99, 1e-8, 0, mom, false)),
        2e-6f);
    // cycle_momentum=False: what GradGuard computed before β1 cycled
    assertArrayEquals(
        new float[] {1.0619017f, -1.5641306f, 1.4639146f},
        twelveSteps(Optimizers.adam(oc, 0.9, 0.999, 1e-8, 0, false)),
        2e-6f);
    assertArrayEquals(
        new float[] {1.7358864f, -3.0755328f, 0.8549241f},
        twelveSteps(Optimizers.rmsprop(oc, 0.99, 1e-8, 0, 0, false)),
        2e-6f);
  }

  @Test
  void aScheduledBeta1OutsideTheUnitIntervalFailsItsStep() {
    GradientTransformation adam =
        Transforms.scaleByAdam(step -> step < 2 ? 0.9 : 1.0, 0.999, 1e-8, false);
    Tensor w = Tensor.vector(1f);
    Params p = Params.of(w);
    TransformState s = adam.init(p);
    adam.update(new Tensor[] {Tensor.vector(1f)}, s, p, StepContext.at(0));
    adam.update(new Tensor[] {Tensor.vector(1f)}, s, p, StepContext.at(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> adam.update(new Tensor[] {Tensor.vector(1f)}, s, p, StepContext.at(2)));
    assertEquals("scaleByAdam: b1 must be in [0, 1), got 1 at step 2", e.getMessage());
  }

  @Test
  void maskedRunsTheInnerTransformationOnTheSelectedParametersOnly() {
    Tensor weight = Tensor.ones(2, 2);
    Tensor bias = Tensor.ones(2);
    Params p = Params.of(weight, bias);
    GradientTransformation t =
        Transforms.masked(Transforms.scaleByAdam(0.9, 0.999, 1e-8, false), ParamMask.weightsOnly());
    TransformState s = t.init(p);
    assertTrue(s.child(0).hasTensor("mu.0"));
    assertFalse(s.child(0).hasTensor("mu.1"), "state only for the selected parameter");
    Tensor[] u = {Tensor.full(0.5f, 2, 2), Tensor.full(0.5f, 2)};
    t.update(u, s, p, StepContext.at(0));
    assertArrayEquals(new float[] {1, 1, 1, 1}, u[0].data(), 1e-6f); // Adam's first step: sign
    assertArrayEquals(new float[] {0.5f, 0.5f}, u[1].data()); // passed through
  }
}
