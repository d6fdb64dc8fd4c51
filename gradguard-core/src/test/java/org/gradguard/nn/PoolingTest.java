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

/** MaxPool2d and AvgPool2d layers. */
class PoolingTest {
  /**
   * A shuffled grid of distinct values 0.05 apart: no ties, none within a finite-difference step.
   */
  private static Tensor distinct(long seed, int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    new Rng(seed).shuffle(order);
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = 0.05f * (order[i] - n / 2f);
    }
    return Tensor.wrap(d, shape);
  }

  @Test
  void strideDefaultsToTheKernelAndThereAreNoParameters() {
    MaxPool2d max = new MaxPool2d(2);
    assertArrayEquals(new int[] {2, 2}, max.stride());
    assertArrayEquals(
        new int[] {2, 3}, new MaxPool2d(new int[] {2, 3}, null, new int[] {0, 0}).stride());
    assertArrayEquals(
        new int[] {2, 3}, new AvgPool2d(new int[] {2, 3}, null, new int[] {1, 1}, true).stride());
    assertEquals(List.of(), max.parameters());
    Tensor x = Tensor.arange(16).reshape(1, 1, 4, 4);
    assertArrayEquals(new float[] {5, 7, 13, 15}, max.forward(Variable.constant(x)).value().data());
    assertArrayEquals(
        new float[] {2.5f, 4.5f, 10.5f, 12.5f},
        new AvgPool2d(2).forward(Variable.constant(x)).value().data());
  }

  @Test
  void countIncludePadChangesOnlyTheBorderDivisor() {
    Tensor x = Tensor.ones(1, 1, 3, 3);
    float[] incl = new AvgPool2d(3, 1, 1).forward(Variable.constant(x)).value().data();
    float[] excl =
        new AvgPool2d(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, false)
            .forward(Variable.constant(x))
            .value()
            .data();
    assertArrayEquals(
        new float[] {4 / 9f, 6 / 9f, 4 / 9f, 6 / 9f, 1, 6 / 9f, 4 / 9f, 6 / 9f, 4 / 9f},
        incl,
        1e-6f);
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, excl, 1e-6f);
  }

  @Test
  void gradcheckMaxPool() {
    MaxPool2d pool = new MaxPool2d(3, 2, 1);
    LayerGradCheck.assertGradients(pool, distinct(1, 2, 3, 7, 5), true);
  }

  @Test
  void gradcheckAvgPoolBothDivisors() {
    for (boolean include : new boolean[] {true, false}) {
      AvgPool2d pool = new AvgPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, include);
      LayerGradCheck.assertGradients(pool, Tensor.randn(new Rng(2), 2, 2, 5, 6), true);
    }
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void validatesConstruction() {
    assertEquals(
        "MaxPool2d: kernel must be 2 ints >= 1, got [0, 0]", error(() -> new MaxPool2d(0)));
    assertEquals(
        "MaxPool2d: stride must be 2 ints >= 1, got [0, 0]", error(() -> new MaxPool2d(2, 0, 0)));
    assertEquals(
        "MaxPool2d: padding must be at most half the kernel, got padding [2, 2] for kernel [3, 3]",
        error(() -> new MaxPool2d(3, 1, 2)));
    assertEquals(
        "AvgPool2d: padding must be 2 ints >= 0, got [-1, -1]",
        error(() -> new AvgPool2d(3, 1, -1)));
    assertEquals(
        "AvgPool2d: padding must be at most half the kernel, got padding [1, 0] for kernel [1, 1]",
        error(() -> new AvgPool2d(new int[] {1, 1}, null, new int[] {1, 0}, true)));
    String m = error(() -> new MaxPool2d(4).forward(Variable.constant(Tensor.zeros(1, 1, 3, 8))));
    assertTrue(m.contains("maxPool2d: kernel [4, 4] exceeds the padded input [3, 8]"), m);
  }
}
