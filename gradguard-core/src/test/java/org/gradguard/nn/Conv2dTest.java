package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class Conv2dTest {
  @Test
  void parameterNamesAndLayoutArePyTorchs() {
    Conv2d conv =
        new Conv2d(3, 8, new int[] {3, 5}, new int[] {1, 1}, new int[] {1, 2}, true, new Rng(1));
    assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
    assertArrayEquals(new int[] {8, 3, 3, 5}, conv.weight().shape());
    assertArrayEquals(new int[] {8}, conv.bias().shape());
    Conv2d noBias =
        new Conv2d(3, 8, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, false, new Rng(1));
    assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
    assertNull(noBias.bias());
    Sequential net = new Sequential(new Conv2d(1, 4, 3, 1, 1, new Rng(2)), new MaxPool2d(2));
    assertEquals(List.of("0.weight", "0.bias"), List.copyOf(net.namedParameters().keySet()));
  }

  @Test
  void defaultInitIsUniformWithinOneOverSqrtFanIn() {
    Conv2d conv =
        new Conv2d(4, 16, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0}, true, new Rng(3));
    double bound = 1 / Math.sqrt(4 * 3 * 2);
    for (Parameter p : conv.parameters()) {
      float max = 0;
      for (float v : p.value().data()) {
        assertTrue(Math.abs(v) <= bound, v + " outside ±" + bound);
        max = Math.max(max, Math.abs(v));
      }
      assertTrue(max > 0.8 * bound, "draws should reach near the bound, max " + max);
    }
  }

  @Test
  void defaultInitIsInitPytorchDefaultWeightThenBias() {
    Conv2d conv =
        new Conv2d(3, 5, new int[] {2, 4}, new int[] {1, 1}, new int[] {0, 0}, true, new Rng(9));
    Tensor w = Tensor.zeros(5, 3, 2, 4);
    Tensor b = Tensor.zeros(5);
    org.gradguard.nn.init.Init.pytorchDefault(w, b, new Rng(9));
    assertTrue(conv.weight().value().bitEquals(w));
    assertTrue(conv.bias().value().bitEquals(b));
  }

  @Test
  void outputShapeFollowsTheFloorFormula() {
    Conv2d conv =
        new Conv2d(2, 3, new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 0}, true, new Rng(4));
    Variable y = conv.forward(Variable.constant(Tensor.zeros(2, 2, 8, 7)));
    // H: floor((8 + 2 - 3)/2) + 1 = 4; W: floor((7 - 2)/3) + 1 = 2
    assertArrayEquals(new int[] {2, 3, 4, 2}, y.shape());
  }

  @Test
  void gradcheckOddSizesStrideAndPadding() {
    Conv2d conv =
        new Conv2d(2, 3, new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, true, new Rng(5));
    LayerGradCheck.assertGradients(conv, Tensor.randn(new Rng(6), 2, 2, 5, 7), true);
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void validatesConstructionAndInputs() {
    Rng rng = new Rng(7);
    int[] one = {1, 1};
    int[] zero = {0, 0};
    assertEquals(
        "Conv2d: inChannels must be > 0, got 0", error(() -> new Conv2d(0, 2, 3, 1, 0, rng)));
    assertEquals(
        "Conv2d: outChannels must be > 0, got -1", error(() -> new Conv2d(2, -1, 3, 1, 0, rng)));
    assertEquals(
        "Conv2d: kernel must be 2 ints >= 1, got [0, 3]",
        error(() -> new Conv2d(1, 1, new int[] {0, 3}, one, zero, true, rng)));
    assertEquals(
        "Conv2d: stride must be 2 ints >= 1, got [1]",
        error(() -> new Conv2d(1, 1, one, new int[] {1}, zero, true, rng)));
    assertEquals(
        "Conv2d: padding must be 2 ints >= 0, got [0, -2]",
        error(() -> new Conv2d(1, 1, one, one, new int[] {0, -2}, true, rng)));
    Conv2d conv = new Conv2d(3, 4, 5, 1, 0, rng);
    String m = error(() -> conv.forward(Variable.constant(Tensor.zeros(1, 2, 8, 8))));
    assertTrue(m.contains("[1, 2, 8, 8]") && m.contains("[4, 3, 5, 5]"), m);
    m = error(() -> conv.forward(Variable.constant(Tensor.zeros(1, 3, 4, 9))));
    assertTrue(m.contains("kernel [5, 5] exceeds the padded input [4, 9]"), m);
  }
}
