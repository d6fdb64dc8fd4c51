package org.gradguard.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class UpdateBuffersTest {
  @Test
  void copiesTheGradientIntoOneReusedBufferAndLeavesTheGradientAlone() {
    Variable p = Variable.leaf(Tensor.wrap(new float[] {1, 2, 3}, 3));
    UpdateBuffers buffers = new UpdateBuffers(1);
    Tensor none = buffers.copyGradient(0, p);
    assertArrayEquals(new float[] {0, 0, 0}, none.data());

    p.backward(Tensor.wrap(new float[] {4, 5, 6}, 3));
    Tensor first = buffers.copyGradient(0, p);
    assertSame(none, first);
    assertNotSame(p.grad(), first);
    assertArrayEquals(new float[] {4, 5, 6}, first.data());
    first.fillInPlace(9); // a transformation scales its updates in place
    assertArrayEquals(new float[] {4, 5, 6}, p.grad().data());

    p.zeroGrad();
    p.backward(Tensor.wrap(new float[] {-1, 0.5f, 7}, 3));
    assertSame(first, buffers.copyGradient(0, p));
    assertArrayEquals(new float[] {-1, 0.5f, 7}, first.data());
    p.zeroGrad();
    assertArrayEquals(new float[] {0, 0, 0}, buffers.copyGradient(0, p).data());
  }

  @Test
  void rejectsANegativeCount() {
    var e = assertThrows(IllegalArgumentException.class, () -> new UpdateBuffers(-1));
    assertTrue(e.getMessage().contains("count must be >= 0, got -1"), e.getMessage());
  }

  /** The optimizer with reused buffers takes exactly the steps of the chain fed fresh copies. */
  @Test
  void optimizerStepsMatchFreshCopiesBitForBit() {
    GradientTransformation chain =
        Transforms.chain(Clip.byGlobalNorm(1.0), Optimizers.adamw(1e-2, 1e-2));
    Rng rng = new Rng(3);
    Variable a = Variable.leaf(Tensor.randn(rng, 4, 3));
    Variable b = Variable.leaf(Tensor.randn(rng, 3));
    Optimizer optimizer = Optimizer.ofVariables(chain, List.of(a, b));
    Tensor refA = a.value().copy();
    Tensor refB = b.value().copy();
    Params params = Params.of(refA, refB);
    TransformState state = chain.init(params);
    for (int step = 0; step < 6; step++) {
      optimizer.zeroGrad();
      Tensor gA = Tensor.randn(rng, 4, 3);
      Tensor gB = Tensor.randn(rng, 3);
      a.backward(gA);
      if (step != 2) { // b has no gradient at step 2: zeros
        b.backward(gB);
      }
      Tensor[] updates = {gA.copy(), step != 2 ? gB.copy() : Tensor.zeros(3)};
      chain.update(updates, state, params, new StepContext(step, Double.NaN));
      refA.addInPlace(updates[0]);
      refB.addInPlace(updates[1]);
      optimizer.step();
      assertTrue(a.value().bitEquals(refA), "step " + step);
      assertTrue(b.value().bitEquals(refB), "step " + step);
    }
  }
}
