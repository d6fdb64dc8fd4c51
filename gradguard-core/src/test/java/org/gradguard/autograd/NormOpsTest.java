package org.gradguard.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The normalisation and embedding primitives beyond their {@link OpGradCheckTest} cases: the other
 * modes and layouts, values against naive formulas, and the errors.
 */
class NormOpsTest {
  private static Tensor randn(long seed, int... shape) {
    return Tensor.randn(new Rng(seed), shape);
  }

  private static Tensor positive(long seed, int... shape) {
    return Tensor.uniform(new Rng(seed), 0.5, 2.0, shape);
  }

  @Test
  void batchNormGradientsInEveryLayoutAndMode() {
    // [N, C] and [N, C, L] in train mode, N = 2 (the smallest batch, largest cancellation)
    GradCheck.assertGradients(
        v -> NormOps.batchNormTrain(v[0], v[1], v[2], 1e-5).output(),
        randn(1, 2, 3),
        randn(2, 3),
        randn(3, 3));
    GradCheck.assertGradients(
        v -> NormOps.batchNormTrain(v[0], v[1], v[2], 1e-5).output(),
        randn(4, 3, 2, 4),
        randn(5, 2),
        randn(6, 2));
    // without affine parameters
    GradCheck.assertGradients(
        v -> NormOps.batchNormTrain(v[0], null, null, 1e-3).output(), randn(7, 4, 2, 3));
    // eval mode: the affine map with fixed statistics
    Tensor mean = randn(8, 3);
    Tensor var = positive(9, 3);
    GradCheck.assertGradients(
        v -> NormOps.batchNormEval(v[0], v[1], v[2], mean, var, 1e-5),
        randn(10, 1, 3, 2, 2),
        randn(11, 3),
        randn(12, 3));
    GradCheck.assertGradients(
        v -> NormOps.batchNormEval(v[0], null, v[1], mean, var, 1e-5),
        randn(13, 4, 3),
        randn(14, 3));
  }

  @Test
  void batchNormTrainMatchesTheNaiveFormula() {
    Tensor x = randn(1, 5, 3, 2);
    Tensor w = randn(2, 3);
    Tensor b = randn(3, 3);
    NormOps.BatchNormResult r =
        NormOps.batchNormTrain(
            Variable.constant(x), Variable.constant(w), Variable.constant(b), 0.1);
    Tensor mean = x.mean(true, 0, 2);
    Tensor var = x.variance(0, true, 0, 2);
    Tensor expected =
        x.sub(mean).div(var.add(0.1f).sqrt()).mul(w.reshape(1, 3, 1)).add(b.reshape(1, 3, 1));
    assertClose(expected, r.output().value(), 1e-5);
    assertClose(mean.reshape(3), r.stats().mean(), 1e-6);
    assertClose(var.reshape(3), r.stats().variance(), 1e-6);
    assertEquals(10, r.stats().count());
    assertClose(x.variance(1, false, 0, 2), r.stats().unbiasedVariance(), 1e-5);
    assertTrue(!r.output().requiresGrad(), "constants in, constant out");
  }

  @Test
  void batchNormXGradientSumsToZeroPerChannel() {
    Variable x = Variable.leaf(randn(1, 6, 2, 3));
    NormOps.batchNormTrain(x, null, null, 1e-5).output().backward(randn(2, 6, 2, 3));
    Tensor perChannel = x.grad().sum(false, 0, 2);
    for (float s : perChannel.data()) {
      assertEquals(0, s, 1e-5);
    }
  }

  @Test
  void batchNormRejectsOneValuePerChannelAndBadShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NormOps.batchNormTrain(Variable.leaf(randn(1, 1, 4)), null, null, 1e-5));
    assertTrue(e.getMessage().contains("Expected more than 1 value per channel"), e.getMessage());
    // one sample but several positions per channel is fine (M = H·W)
    NormOps.batchNormTrain(Variable.leaf(randn(1, 1, 2, 2, 2)), null, null, 1e-5);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NormOps.batchNormTrain(
                    Variable.leaf(randn(1, 4, 3)), Variable.leaf(randn(2, 4)), null, 1e-5));
    assertTrue(e.getMessage().contains("weight [4]") && e.getMessage().contains("[4, 3]"));
    assertThrows(
        IllegalArgumentException.class,
        () -> NormOps.batchNormTrain(Variable.leaf(randn(1, 4)), null, null, 1e-5));
    assertThrows(
        IllegalArgumentException.class,
        () -> NormOps.batchNormTrain(Variable.leaf(randn(1, 4, 3)), null, null, 0));
  }

  @Test
  void layerNormMatchesTheCompositeAndChecksGradients() {
    Tensor x = randn(1, 2, 3, 5);
    Tensor w = randn(2, 5);
    Tensor b = randn(3, 5);
    Variable fused =
        NormOps.layerNorm(
            Variable.constant(x), 1, Variable.constant(w), Variable.constant(b), 1e-5);
    Tensor expected =
        x.sub(x.mean(true, -1)).div(x.variance(0, true, -1).add(1e-5f).sqrt()).mul(w).add(b);
    assertClose(expected, fused.value(), 1e-5);
    GradCheck.assertGradients(v -> NormOps.layerNorm(v[0], 1, v[1], null, 1e-5), x, w);
    GradCheck.assertGradients(v -> NormOps.layerNorm(v[0], 3, null, null, 1e-2), x);
  }

  @Test
  void layerNormRejectsMismatchedParameters() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NormOps.layerNorm(
                    Variable.leaf(randn(1, 2, 5)), 1, Variable.leaf(randn(2, 4)), null, 1e-5));
    assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[2, 5]"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> NormOps.layerNorm(Variable.leaf(randn(1, 2, 5)), 3, null, null, 1e-5));
  }

  @Test
  void embeddingLooksUpRowsAndZeroesThePaddingGradient() {
    Tensor table = randn(1, 4, 3);
    int[] idx = {2, 0, 2, 3};
    Variable w = Variable.leaf(table.copy());
    Variable out = EmbeddingOps.embedding(w, idx, new int[] {2, 2}, 2);
    assertArrayEquals(new int[] {2, 2, 3}, out.shape());
    assertArrayEquals(
        table.slice(0, 2, 3).reshape(3).data(),
        out.value().slice(0, 0, 1).slice(1, 0, 1).reshape(3).data());
    Tensor g = randn(2, 2, 2, 3);
    out.backward(g);
    float[] gw = w.grad().data();
    float[] gd = g.data();
    for (int e = 0; e < 3; e++) {
      assertEquals(0f, gw[2 * 3 + e], "padding row " + e);
      assertEquals(gd[3 + e], gw[e], 0f, "row 0 once");
      assertEquals(0f, gw[3 + e], "row 1 unused");
      assertEquals(gd[9 + e], gw[9 + e], 0f, "row 3 once");
    }
    // without padding the repeated row accumulates both upstream rows
    Variable w2 = Variable.leaf(table.copy());
    EmbeddingOps.embedding(w2, idx, new int[] {2, 2}, null).backward(g);
    for (int e = 0; e < 3; e++) {
      assertEquals(gd[e] + gd[6 + e], w2.grad().data()[6 + e], 1e-6);
    }
  }

  @Test
  void embeddingAcceptsAScalarIndexAndRejectsBadOnes() {
    Variable w = Variable.leaf(randn(1, 4, 3));
    assertArrayEquals(
        new int[] {3}, EmbeddingOps.embedding(w, new int[] {1}, new int[0], null).shape());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmbeddingOps.embedding(w, new int[] {1, 4}, new int[] {2}, null));
    assertTrue(e.getMessage().contains("index 4 at position 1"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> EmbeddingOps.embedding(w, new int[] {1, -1}, new int[] {2}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> EmbeddingOps.embedding(w, new int[] {1, 2}, new int[] {3}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> EmbeddingOps.embedding(w, new int[] {1, 2}, new int[] {2}, 4));
    assertNull(
        EmbeddingOps.embedding(
                Variable.constant(randn(1, 4, 3)), new int[] {1}, new int[] {1}, null)
            .op());
  }

  private static void assertClose(Tensor expected, Tensor actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape());
    float[] e = expected.data();
    float[] a = actual.data();
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), "element " + i);
    }
  }
}
