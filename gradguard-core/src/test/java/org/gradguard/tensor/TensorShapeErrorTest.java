package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Shape errors name the op and the offending shapes. */
class TensorShapeErrorTest {
  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void matmulInnerDimensions() {
    assertEquals(
        "matmul: [32, 784] x [256, 10]: inner dimensions 784 != 256",
        message(() -> Tensor.zeros(32, 784).matmul(Tensor.zeros(256, 10))));
  }

  @Test
  void matmulRanksAndBatches() {
    assertEquals(
        "matmul: [3] x [3, 2]: expected 2-D x 2-D, 3-D x 3-D or 3-D x 2-D",
        message(() -> Tensor.zeros(3).matmul(Tensor.zeros(3, 2))));
    assertEquals(
        "matmul: [2, 3, 4] x [5, 4, 2]: batch sizes 2 != 5",
        message(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 4, 2))));
  }

  @Test
  void broadcasting() {
    assertEquals(
        "add: shapes [2, 3] and [4, 3] cannot be broadcast: dimension 0 is 2 vs 4",
        message(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4, 3))));
    assertEquals(
        "mul: shapes [5, 2] and [3] cannot be broadcast: dimension 1 is 2 vs 3",
        message(() -> Tensor.zeros(5, 2).mul(Tensor.zeros(3))));
    assertEquals(
        "addInPlace: shape [2, 3] cannot be broadcast into [3]",
        message(() -> Tensor.zeros(3).addInPlace(Tensor.zeros(2, 3))));
  }

  @Test
  void reshape() {
    assertEquals(
        "reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)",
        message(() -> Tensor.zeros(2, 3).reshape(4, 2)));
    assertEquals(
        "reshape: cannot reshape [2, 3] (6 elements) to [4, -1]",
        message(() -> Tensor.zeros(2, 3).reshape(4, -1)));
    assertEquals(
        "reshape: only one dimension can be -1 in [-1, -1]",
        message(() -> Tensor.zeros(2, 3).reshape(-1, -1)));
  }

  @Test
  void concat() {
    assertEquals(
        "concat: shapes [2, 3] and [2, 4] differ outside axis 0",
        message(() -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4))));
    assertEquals(
        "concat: axis 2 is out of range for a tensor of rank 2",
        message(() -> Tensor.concat(2, Tensor.zeros(2, 3), Tensor.zeros(2, 3))));
    assertEquals(
        "concat: shapes [2, 3] and [3] differ outside axis 1",
        message(() -> Tensor.concat(1, Tensor.zeros(2, 3), Tensor.zeros(3))));
  }

  @Test
  void indexingAndCreation() {
    assertEquals(
        "indexSelect: index 3 is out of range [0, 3) for axis 0 of shape [3, 2]",
        message(() -> Tensor.zeros(3, 2).indexSelect(0, 0, 3)));
    assertEquals(
        "tensor: 5 values do not fill shape [2, 3]", message(() -> Tensor.of(new float[5], 2, 3)));
    assertEquals(
        "slice: range [1, 5) is out of bounds for axis 1 of shape [2, 3]",
        message(() -> Tensor.zeros(2, 3).slice(1, 1, 5)));
  }
}
