package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossesTest {
  private static Variable randn(long seed, int... shape) {
    return Variable.constant(Tensor.randn(new Rng(seed), shape));
  }

  @Test
  void wrappersMatchTheOps() {
    Variable logits = randn(1, 4, 3);
    int[] t = {0, 2, 1, 2};
    Loss<int[]> ce = new CrossEntropyLoss(0.2);
    assertEquals(LossOps.crossEntropy(logits, t, 0.2).item(), ce.apply(logits, t).item());
    assertTrue(new CrossEntropyLoss().apply(logits, t).item() != ce.apply(logits, t).item());
    Variable target = Variable.constant(Tensor.rand(new Rng(2), 4, 3));
    assertEquals(
        LossOps.bceWithLogits(logits, target).item(),
        new BCEWithLogitsLoss().apply(logits, target).item());
    Loss<Variable> mse = new MSELoss();
    assertEquals(LossOps.mse(logits, target).item(), mse.apply(logits, target).item());
  }

  @Test
  void gradientsReachThePrediction() {
    Variable x = Variable.leaf(Tensor.randn(new Rng(1), 3, 2));
    new MSELoss().apply(x, Variable.constant(Tensor.zeros(3, 2))).backward();
    // ∂/∂x mean(x²) = 2x/6
    assertTrue(x.grad().sub(x.value().mul(1 / 3f)).abs().max(false, 0, 1).item() < 1e-6);
  }

  @Test
  void validates() {
    assertEquals(
        "CrossEntropyLoss: labelSmoothing must be in [0, 1], got 1.5",
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(1.5)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(Double.NaN));
    Variable logits = randn(1, 2, 3);
    assertThrows(
        IllegalArgumentException.class,
        () -> new CrossEntropyLoss().apply(logits, new int[] {0, 3}));
    assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss().apply(logits, null));
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new BCEWithLogitsLoss()
                        .apply(
                            logits,
                            Variable.constant(Tensor.of(new float[] {0, 1, 2, 0, 1, 0}, 2, 3))))
            .getMessage();
    assertEquals(
        "BCEWithLogitsLoss: targets must be in [0, 1], got 2.0 at position 2 of [2, 3]", msg);
    assertThrows(IllegalArgumentException.class, () -> new MSELoss().apply(logits, randn(2, 3, 2)));
  }
}
