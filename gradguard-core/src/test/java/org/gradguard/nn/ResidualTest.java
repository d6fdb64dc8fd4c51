package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ResidualTest {
  private static Tensor randn(long seed, int... shape) {
    return Tensor.randn(new Rng(seed), shape);
  }

  private static Sequential mlp(long seed, int dim) {
    Rng rng = new Rng(seed);
    return new Sequential(new Linear(dim, 5, rng), Activation.tanh(), new Linear(5, dim, rng));
  }

  @Test
  void addsTheBranchToTheInput() {
    Sequential f = mlp(1, 3);
    Residual r = new Residual(f);
    Tensor x = randn(2, 4, 3);
    Tensor expected = x.add(f.forward(Variable.constant(x)).value());
    assertTrue(expected.bitEquals(r.forward(Variable.constant(x)).value()));
  }

  @Test
  void stateDictNames() {
    assertEquals(
        List.of("fn.0.weight", "fn.0.bias", "fn.2.weight", "fn.2.bias"),
        List.copyOf(new Residual(mlp(1, 3)).namedParameters().keySet()));
    assertEquals(
        List.of("alpha", "fn.0.weight", "fn.0.bias", "fn.2.weight", "fn.2.bias"),
        List.copyOf(Residual.rezero(mlp(1, 3)).namedParameters().keySet()));
  }

  @Test
  void zeroInitLastMakesTheBlockTheIdentityAtInit() {
    Rng rng = new Rng(3);
    Sequential f =
        new Sequential(
            new Linear(3, 5, rng), Activation.relu(), new Linear(5, 3, rng), Activation.relu());
    Residual r = Residual.zeroInitLast(f);
    Linear last = (Linear) f.get(2);
    assertTrue(
        last.weight().value().abs().sum().item() == 0
            && last.bias().value().abs().sum().item() == 0);
    Linear first = (Linear) f.get(0);
    assertTrue(first.weight().value().abs().sum().item() > 0, "only the last weighted layer");
    Tensor x = randn(4, 6, 3);
    assertTrue(x.bitEquals(r.forward(Variable.constant(x)).value()));
    // Goyal et al.: a BatchNorm as the last weighted layer gets γ = β = 0
    BatchNorm1d bn = new BatchNorm1d(3);
    Residual rb = Residual.zeroInitLast(new Sequential(new Linear(3, 3, rng), bn));
    assertEquals(0, bn.weight().value().abs().sum().item());
    assertTrue(x.bitEquals(rb.forward(Variable.constant(x)).value()));
    // the zeroed layer still learns when it ends the branch: its gradient is not zero (with the
    // trailing ReLU above it would be, since ReLU'(0) = 0)
    Sequential g = new Sequential(new Linear(3, 5, rng), Activation.relu(), new Linear(5, 3, rng));
    Residual rg = Residual.zeroInitLast(g);
    Variable xv = Variable.leaf(x);
    Variable y = rg.forward(xv);
    assertTrue(x.bitEquals(y.value()));
    y.backward(randn(5, 6, 3));
    assertTrue(((Linear) g.get(2)).weight().grad().abs().sum().item() > 0);
    assertThrows(IllegalArgumentException.class, () -> Residual.zeroInitLast(Activation.relu()));
  }

  @Test
  void rezeroGateZeroMakesTheBlockTheIdentityAndLearnsAlpha() {
    Residual r = Residual.rezero(mlp(2, 3));
    assertEquals(0f, r.alpha().value().item());
    assertEquals(1, r.alpha().value().numel());
    Tensor x = randn(6, 4, 3);
    Variable xv = Variable.leaf(x);
    Variable y = r.forward(xv);
    assertTrue(x.bitEquals(y.value()));
    Tensor u = randn(7, 4, 3);
    y.backward(u);
    assertTrue(xv.grad().bitEquals(u), "with α = 0 the gradient passes straight through");
    assertNotNull(r.alpha().grad());
    assertFalse(r.alpha().grad().item() == 0, "α gets the gradient Σ u ⊙ F(x)");
  }

  @Test
  void layerGradientsWithAndWithoutGate() {
    LayerGradCheck.assertGradients(new Residual(mlp(8, 3)), randn(9, 2, 3), true);
    Residual gated = Residual.rezero(mlp(10, 3));
    gated.alpha().value().fillInPlace(0.7f);
    LayerGradCheck.assertGradients(gated, randn(11, 2, 3), true);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    Residual r = new Residual(new Linear(3, 4, new Rng(1)));
    String msg =
        assertThrows(
                IllegalArgumentException.class, () -> r.forward(Variable.constant(randn(1, 2, 3))))
            .getMessage();
    assertEquals(
        "Residual: F(x) has shape [2, 4] but x has shape [2, 3]; the residual branch must preserve"
            + " the shape",
        msg);
    assertThrows(IllegalArgumentException.class, () -> new Residual(null));
  }
}
