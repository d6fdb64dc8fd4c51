package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
  @Test
  void initIsStandardNormalWithThePaddingRowZeroed() {
    Embedding e = new Embedding(2000, 8, -1, new Rng(1));
    assertEquals(1999, e.paddingIdx());
    Tensor w = e.weight().value();
    assertArrayEquals(new int[] {2000, 8}, w.shape());
    for (int j = 0; j < 8; j++) {
      assertEquals(0f, w.get(1999, j));
    }
    assertEquals(0, w.mean().item(), 0.02);
    assertEquals(1, w.variance(1, false, 0, 1).item(), 0.03);
    assertEquals(List.of("weight"), List.copyOf(e.namedParameters().keySet()));
  }

  @Test
  void forwardWithIntIndicesOfAnyShapeRunsHooks() {
    Embedding e = new Embedding(5, 3, new Rng(2));
    List<int[]> seen = new ArrayList<>();
    e.registerForwardHook((m, in, out) -> seen.add(out.shape()));
    Variable y = e.forward(new int[] {4, 0, 4, 1, 2, 3}, 2, 1, 3);
    assertArrayEquals(new int[] {2, 1, 3, 3}, y.shape());
    assertArrayEquals(rowOf(e.weight().value(), 4), rowOf(y.value(), 0));
    assertArrayEquals(rowOf(e.weight().value(), 0), rowOf(y.value(), 1));
    assertArrayEquals(new int[] {6, 3}, e.forward(new int[] {0, 1, 2, 3, 4, 0}).shape());
    assertEquals(2, seen.size());
    Variable scalar = e.forward(Variable.constant(Tensor.scalar(4)));
    assertArrayEquals(new int[] {3}, scalar.shape());
    assertArrayEquals(rowOf(e.weight().value(), 4), scalar.value().data());
    // a float tensor of integer values gives the same result
    Tensor idx = Tensor.of(new float[] {4, 0, 4, 1, 2, 3}, 2, 1, 3);
    assertTrue(y.value().bitEquals(e.forward(Variable.constant(idx)).value()));
  }

  private static float[] rowOf(Tensor y, int row) {
    int d = y.size(y.dim() - 1);
    float[] r = new float[d];
    System.arraycopy(y.data(), row * d, r, 0, d);
    return r;
  }

  @Test
  void layerGradientAndPaddingRowStaysZero() {
    Embedding e = new Embedding(4, 3, new Rng(3));
    LayerGradCheck.assertGradients(e, Tensor.vector(1, 3, 1, 0, 2, 3), false);
    Embedding p = new Embedding(4, 3, 0, new Rng(3));
    p.forward(new int[] {0, 1, 0}).backward(Tensor.ones(3, 3));
    assertArrayEquals(new float[] {0, 0, 0}, rowOf(p.weight().grad(), 0));
    assertArrayEquals(new float[] {1, 1, 1}, rowOf(p.weight().grad(), 1));
  }

  @Test
  void validates() {
    assertEquals(
        "Embedding: numEmbeddings must be > 0, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 3, new Rng(1)))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Embedding(3, 0, new Rng(1)));
    assertEquals(
        "Embedding: paddingIdx must be in [-3, 3), got 3",
        assertThrows(IllegalArgumentException.class, () -> new Embedding(3, 2, 3, new Rng(1)))
            .getMessage());
    Embedding e = new Embedding(3, 2, new Rng(1));
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> e.forward(Variable.constant(Tensor.vector(0, 1.5f))))
            .getMessage();
    assertTrue(msg.contains("indices must be integers, got 1.5 at position 1"), msg);
    assertThrows(IllegalArgumentException.class, () -> e.forward(new int[] {0, 3}));
    assertThrows(IllegalArgumentException.class, () -> e.forward(new int[] {0, 1}, 3));
  }
}
