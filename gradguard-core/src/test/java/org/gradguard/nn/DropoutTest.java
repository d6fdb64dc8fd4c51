package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {
  private static final int M = 200_000;

  @Test
  void zeroesAboutAFractionPAndPreservesTheMean() {
    for (double p : new double[] {0.1, 0.5, 0.8}) {
      Tensor x = Tensor.uniform(new Rng(1), 1, 3, M);
      Tensor y = new Dropout(p, new Rng(2)).forward(Variable.constant(x)).value();
      int zeros = 0;
      float scale = (float) (1 / (1 - p));
      for (int i = 0; i < M; i++) {
        if (y.data()[i] == 0) {
          zeros++;
        } else {
          assertEquals(x.data()[i] * scale, y.data()[i], 1e-6 * y.data()[i]);
        }
      }
      // binomial standard deviation of the fraction: sqrt(p(1-p)/M) < 1.2e-3; allow 5 of them
      assertEquals(p, zeros / (double) M, 6e-3, "fraction zeroed for p=" + p);
      // mean of x is 2; the std of the mean estimate is below 0.01 for these p
      assertEquals(x.mean().item(), y.mean().item(), 0.03, "mean for p=" + p);
    }
  }

  @Test
  void gradientIsTheMask() {
    Variable x = Variable.leaf(Tensor.ones(1000));
    Variable y = new Dropout(0.5, new Rng(3)).forward(x);
    y.backward(Tensor.ones(1000));
    assertTrue(x.grad().bitEquals(y.value()), "∂y/∂x = mask, and y = mask for x = 1");
  }

  @Test
  void deterministicForASeedAndAdvancesTheRng() {
    Tensor x = Tensor.ones(500);
    Dropout a = new Dropout(0.3, new Rng(7));
    Dropout b = new Dropout(0.3, new Rng(7));
    Tensor ya = a.forward(Variable.constant(x)).value();
    assertTrue(ya.bitEquals(b.forward(Variable.constant(x)).value()));
    assertFalse(ya.bitEquals(a.forward(Variable.constant(x)).value()), "a new mask each call");
  }

  @Test
  void identityInEvalModeAndForPZero() {
    Variable x = Variable.constant(Tensor.ones(100));
    Dropout d = new Dropout(0.9, new Rng(1));
    d.eval();
    assertSame(x, d.forward(x));
    assertSame(x, new Dropout(0, new Rng(1)).forward(x));
  }

  @Test
  void validatesP() {
    assertEquals(
        "Dropout: p must be in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1, new Rng(1)))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, new Rng(1)));
    assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN, new Rng(1)));
    assertThrows(IllegalArgumentException.class, () -> new Dropout(0.5, null));
  }
}
