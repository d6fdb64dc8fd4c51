package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Linear's default init, now through Init.pytorchDefault, draws the numbers it always drew. */
class LinearInitTest {
  @Test
  void sameNumbersAsTheOriginalWeightThenBiasDraws() {
    int[][] sizes = {{1, 1}, {7, 3}, {784, 256}, {5, 1}};
    for (int[] s : sizes) {
      Linear layer = new Linear(s[0], s[1], new Rng(99));
      Rng rng = new Rng(99);
      double bound = 1.0 / Math.sqrt(s[0]);
      Tensor w = Tensor.uniform(rng, -bound, bound, s[1], s[0]);
      Tensor b = Tensor.uniform(rng, -bound, bound, s[1]);
      assertTrue(layer.weight().value().bitEquals(w), "weight " + s[0] + "->" + s[1]);
      assertTrue(layer.bias().value().bitEquals(b), "bias " + s[0] + "->" + s[1]);
    }
    Linear noBias = new Linear(4, 2, false, new Rng(5));
    assertTrue(noBias.weight().value().bitEquals(Tensor.uniform(new Rng(5), -0.5, 0.5, 2, 4)));
  }
}
