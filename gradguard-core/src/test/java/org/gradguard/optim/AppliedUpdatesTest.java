package org.gradguard.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link AppliedUpdates}: the parameters end bit-identical to {@code addInPlace}, and the sums are
 * those of the values before the update and of the update (within the measured passes' 2⁻¹⁹).
 */
class AppliedUpdatesTest {
  @Test
  void addsLikeAddInPlaceAndMeasuresTheValuesBeforeTheUpdate() {
    Rng rng = new Rng(1);
    int[][] shapes = {{1}, {3}, {17, 5}, {256, 33}, {0}};
    Tensor[] values = new Tensor[shapes.length];
    Tensor[] expected = new Tensor[shapes.length];
    Tensor[] updates = new Tensor[shapes.length];
    for (int i = 0; i < shapes.length; i++) {
      values[i] = Tensor.randn(rng, shapes[i]);
      expected[i] = values[i].copy();
      updates[i] = Tensor.randn(rng, shapes[i]).mulInPlace(1e-3f);
    }
    double[][] before = new double[shapes.length][4];
    for (int i = 0; i < shapes.length; i++) {
      for (int j = 0; j < values[i].numel(); j++) {
        double p = values[i].data()[j];
        double u = updates[i].data()[j];
        before[i][0] += p * p;
        before[i][1] += Math.abs(p);
        before[i][2] += u * u;
        before[i][3] += Math.abs(u);
      }
      expected[i].addInPlace(updates[i]);
    }
    AppliedUpdates a = AppliedUpdates.applyInPlace(Params.of(values), updates);
    assertEquals(shapes.length, a.size());
    for (int i = 0; i < shapes.length; i++) {
      assertTrue(values[i].bitEquals(expected[i]), "parameter " + i);
      double[] got = {a.paramSumSq(i), a.paramSumAbs(i), a.updateSumSq(i), a.updateSumAbs(i)};
      for (int k = 0; k < 4; k++) {
        assertEquals(before[i][k], got[k], 0x1p-19 * before[i][k], "parameter " + i + " sum " + k);
      }
    }
  }

  @Test
  void handComputed() {
    Tensor p = Tensor.vector(3, -4);
    AppliedUpdates a =
        AppliedUpdates.applyInPlace(Params.of(p), new Tensor[] {Tensor.vector(1, 2)});
    assertEquals(25.0, a.paramSumSq(0), 0.0);
    assertEquals(7.0, a.paramSumAbs(0), 0.0);
    assertEquals(5.0, a.updateSumSq(0), 0.0);
    assertEquals(3.0, a.updateSumAbs(0), 0.0);
    assertTrue(p.bitEquals(Tensor.vector(4, -2)));
  }

  @Test
  void rejectsMismatchedUpdatesAndIndices() {
    Params ps = Params.of(Tensor.zeros(2, 3));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AppliedUpdates.applyInPlace(ps, new Tensor[] {Tensor.zeros(3, 2)}));
    assertEquals(
        "AppliedUpdates.applyInPlace: update for p0 has shape [3, 2], parameter has [2, 3]",
        e.getMessage());
    AppliedUpdates a = AppliedUpdates.applyInPlace(ps, new Tensor[] {Tensor.zeros(2, 3)});
    var i = assertThrows(IndexOutOfBoundsException.class, () -> a.paramSumSq(1));
    assertEquals("AppliedUpdates: parameter index must be in [0, 1), got 1", i.getMessage());
  }
}
