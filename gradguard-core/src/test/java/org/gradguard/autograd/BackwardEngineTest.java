package org.gradguard.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The reverse pass: accumulation, graph freeing, hooks, no-grad scopes, detach. */
class BackwardEngineTest {
  @Test
  void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
    Variable x = Variable.leaf(Tensor.vector(1, 2, 3));
    x.mul(x).sum().backward();
    assertArrayEquals(new float[] {2, 4, 6}, x.grad().data());
    x.mul(x).sum().backward();
    assertArrayEquals(new float[] {4, 8, 12}, x.grad().data());
    x.zeroGrad();
    assertNull(x.grad());
  }

  @Test
  void aVariableUsedTwiceReceivesTheSumOfBothPaths() {
    // y = x·x + 3x → dy/dx = 2x + 3
    Variable x = Variable.leaf(Tensor.vector(2));
    x.mul(x).add(x.mul(3f)).sum().backward();
    assertEquals(7f, x.grad().item());
  }

  @Test
  void nonScalarBackwardNeedsAnUpstreamGradient() {
    Variable x = Variable.leaf(Tensor.vector(1, 2));
    Variable y = x.mul(2f);
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("upstream gradient is needed"), e.getMessage());
    y.backward(Tensor.vector(1, 10));
    assertArrayEquals(new float[] {2, 20}, x.grad().data());
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> x.mul(2f).backward(Tensor.vector(1)));
    assertEquals(
        "backward: upstream gradient of shape [1] for an output of shape [2]", shape.getMessage());
  }

  @Test
  void secondBackwardOverAFreedGraphIsAClearError() {
    Variable x = Variable.leaf(Tensor.vector(1, 2));
    Variable loss = x.tanh().sum();
    loss.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
    assertEquals(
        "backward: the graph through 'sum' was already freed by an earlier backward(); pass"
            + " retainGraph = true to the first backward() to differentiate the same graph twice",
        e.getMessage());
  }

  @Test
  void retainGraphAllowsASecondBackward() {
    Variable x = Variable.leaf(Tensor.vector(1, 2));
    Variable loss = x.mul(x).sum();
    loss.backward(Tensor.scalar(1), true);
    loss.backward(Tensor.scalar(1), true);
    assertArrayEquals(new float[] {4, 8}, x.grad().data());
  }

  @Test
  void hooksObserveAndMayReplaceTheGradientFlowingThrough() {
    Variable x = Variable.leaf(Tensor.vector(1, 2));
    Variable h = x.mul(3f);
    List<Tensor> seen = new ArrayList<>();
    h.registerHook(
        g -> {
          seen.add(g.copy());
          return g.mul(0.5f);
        });
    h.sum().backward();
    assertArrayEquals(new float[] {1, 1}, seen.get(0).data());
    assertArrayEquals(new float[] {1.5f, 1.5f}, x.grad().data());
    assertNull(h.grad(), "intermediate gradients are not kept by default");
  }

  @Test
  void retainGradKeepsAnIntermediateGradient() {
    Variable x = Variable.leaf(Tensor.vector(1, 2));
    Variable h = x.mul(3f).retainGrad();
    h.square().sum().backward();
    assertArrayEquals(new float[] {6, 12}, h.grad().data());
  }

  @Test
  void noGradRecordsNothingAndNests() {
    Variable x = Variable.leaf(Tensor.vector(1, 2));
    try (NoGrad.Scope outer = NoGrad.enter()) {
      try (NoGrad.Scope inner = NoGrad.enter()) {
        assertFalse(x.mul(x).requiresGrad());
      }
      assertTrue(NoGrad.active());
      assertFalse(x.exp().requiresGrad());
    }
    assertFalse(NoGrad.active());
    assertTrue(x.exp().requiresGrad());
  }

  @Test
  void detachCutsTheGraph() {
    Variable x = Variable.leaf(Tensor.vector(3));
    Variable y = x.mul(x.detach()).sum(); // d/dx (x·c) = c
    y.backward();
    assertEquals(3f, x.grad().item());
  }

  @Test
  void constantsReceiveNoGradient() {
    Variable c = Variable.constant(Tensor.vector(1, 2));
    Variable x = Variable.leaf(Tensor.vector(3, 4));
    x.mul(c).sum().backward();
    assertNull(c.grad());
    assertThrows(IllegalStateException.class, () -> c.mul(2f).sum().backward());
  }

  @Test
  void deepChainsDoNotOverflowTheStack() {
    Variable x = Variable.leaf(Tensor.vector(1));
    Variable h = x;
    for (int i = 0; i < 20_000; i++) {
      h = h.add(0f);
    }
    h.sum().backward();
    assertEquals(1f, x.grad().item());
  }
}
