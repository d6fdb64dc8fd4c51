package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.Graph;
import org.gradguard.autograd.Op;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The layer gradcheck itself: it passes a right rule and catches a wrong parameter gradient. */
class ParameterGradCheckTest {
  /** {@code y = x ⊙ w}, with the gradient of {@code w} optionally doubled. */
  private static final class Scale extends Module {
    private final Parameter w = registerParameter("w", Tensor.vector(0.5f, -1.5f, 2f));
    private final float factor;

    Scale(float factor) {
      this.factor = factor;
    }

    @Override
    protected Variable compute(Variable x) {
      Tensor xv = x.value();
      Tensor wv = w.value();
      return Graph.record(
          Op.MUL, xv.mul(wv), g -> new Tensor[] {g.mul(wv), g.mul(xv).mul(factor)}, x, w);
    }
  }

  @Test
  void passesARightRuleAndCountsEveryElement() {
    Scale right = new Scale(1f);
    int n =
        ParameterGradCheck.assertGradients(
            v -> right.forward(v[0]), right.parameters(), Tensor.vector(1f, 2f, -3f));
    assertEquals(6, n);
  }

  @Test
  void catchesAWrongParameterGradient() {
    Scale wrong = new Scale(2f);
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                ParameterGradCheck.assertGradients(
                    v -> wrong.forward(v[0]),
                    List.copyOf(wrong.parameters()),
                    Tensor.vector(1f, 2f, -3f)));
    assertTrue(e.getMessage().contains("parameter 0"), e.getMessage());
  }
}
