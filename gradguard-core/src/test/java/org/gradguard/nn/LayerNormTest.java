package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LayerNormTest {
  private static Tensor randn(long seed, int... shape) {
    return Tensor.randn(new Rng(seed), shape);
  }

  @Test
  void normalisesEachRowAndIsTheSameInBothModes() {
    LayerNorm ln = new LayerNorm(6);
    assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
    assertTrue(ln.namedBuffers().isEmpty());
    Tensor x = randn(1, 3, 2, 6).mul(4f).add(2f);
    Tensor y = ln.forward(Variable.constant(x)).value();
    for (float m : y.mean(false, -1).data()) {
      assertEquals(0, m, 1e-5);
    }
    for (float v : y.variance(0, false, -1).data()) {
      assertEquals(1, v, 1e-4);
    }
    ln.eval();
    assertTrue(y.bitEquals(ln.forward(Variable.constant(x)).value()));
  }

  @Test
  void normalisesOverSeveralTrailingAxes() {
    LayerNorm ln = new LayerNorm(new int[] {2, 3}, 1e-5, false);
    assertTrue(ln.namedParameters().isEmpty());
    Tensor x = randn(2, 4, 2, 3);
    Tensor y = ln.forward(Variable.constant(x)).value();
    for (float m : y.mean(false, 1, 2).data()) {
      assertEquals(0, m, 1e-5);
    }
    assertArrayEquals(new int[] {2, 3}, ln.normalizedShape());
  }

  @Test
  void layerGradients() {
    LayerNorm ln = new LayerNorm(4);
    ln.weight().value().copyFromInPlace(randn(3, 4));
    ln.bias().value().copyFromInPlace(randn(4, 4));
    LayerGradCheck.assertGradients(ln, randn(5, 3, 4), true);
    LayerNorm ln2 = new LayerNorm(2, 3);
    ln2.weight().value().copyFromInPlace(randn(6, 2, 3));
    LayerGradCheck.assertGradients(ln2, randn(7, 2, 2, 3), true);
  }

  @Test
  void validates() {
    assertEquals(
        "LayerNorm: eps must be > 0, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(new int[] {3}, -1, true))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LayerNorm());
    assertThrows(IllegalArgumentException.class, () -> new LayerNorm(3, 0));
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> new LayerNorm(3).forward(Variable.constant(randn(1, 3, 4))))
            .getMessage();
    assertEquals("LayerNorm: input [3, 4] does not end with the normalized shape [3]", msg);
  }
}
