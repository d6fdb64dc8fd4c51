package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {
  @Test
  void flattensTheRequestedAxes() {
    Tensor x = Tensor.randn(new Rng(1), 2, 3, 4, 5);
    assertArrayEquals(new int[] {2, 60}, new Flatten().forward(Variable.constant(x)).shape());
    assertArrayEquals(
        new int[] {2, 3, 20}, new Flatten(2, -1).forward(Variable.constant(x)).shape());
    assertArrayEquals(new int[] {6, 4, 5}, new Flatten(0, 1).forward(Variable.constant(x)).shape());
    Variable xv = Variable.leaf(x);
    Variable y = new Flatten().forward(xv);
    assertTrue(y.value().reshape(2, 3, 4, 5).bitEquals(x));
    Tensor u = Tensor.randn(new Rng(2), 2, 60);
    y.backward(u);
    assertTrue(xv.grad().bitEquals(u.reshape(2, 3, 4, 5)));
  }

  @Test
  void validates() {
    assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1));
    assertThrows(IllegalArgumentException.class, () -> new Flatten(-1, -2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Flatten(3, -1).forward(Variable.constant(Tensor.zeros(2, 3))));
  }
}
