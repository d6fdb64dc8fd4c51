package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gradguard.tensor.ReduceOp;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend#reduce} against {@link ReferenceBackend#reduce} for every {@link ReduceOp}
 * over {@code [outer, len, inner]} shapes around the vector width.
 *
 * <p>Sums: bit-identical when {@code inner > 1} (same double operations in the same order); when
 * {@code inner == 1} the double lanes add in another order, so {@code |Δ| ≤ ulp(reference) +
 * 1e-12·Σ|x|}. Max and min: equal values (a signed zero may differ in sign), NaN wherever the
 * reference has NaN.
 */
class VectorBackendReduceTest {
  private static final int[] LENGTHS = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 64, 100, 1031};
  private static final int[] INNERS = {1, 2, 3, 4, 5, 8, 9, 17, 1030};

  @Test
  void handComputed() {
    float[] x = {1, 2, 3, 4, 5, 6}; // [2, 3]
    float[] out = new float[3];
    VectorBackend vb = new VectorBackend();
    vb.reduce(ReduceOp.SUM, x, 1, 2, 3, out); // over rows
    assertArrayEquals(new float[] {5, 7, 9}, out);
    float[] rows = new float[2];
    vb.reduce(ReduceOp.MAX, x, 2, 3, 1, rows); // over columns
    assertArrayEquals(new float[] {3, 6}, rows);
    vb.reduce(ReduceOp.MIN, x, 1, 2, 3, out);
    assertArrayEquals(new float[] {1, 2, 3}, out);
  }

  @Test
  void everyOpAndShapeMatchesTheReference() {
    Rng rng = new Rng(9);
    for (ReduceOp op : ReduceOp.values()) {
      for (int len : LENGTHS) {
        for (int inner : INNERS) {
          if ((long) len * inner > 200_000) {
            continue;
          }
          int outer = 1 + rng.nextInt(3);
          float[] x = new float[outer * len * inner];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * Math.exp(3 * rng.nextGaussian()));
          }
          if (op != ReduceOp.SUM && x.length > 3) {
            x[rng.nextInt(x.length)] = Float.NaN;
          }
          check(op, x, outer, len, inner);
        }
      }
    }
  }

  private static void check(ReduceOp op, float[] x, int outer, int len, int inner) {
    float[] expected = new float[outer * inner];
    float[] actual = new float[outer * inner];
    new ReferenceBackend().reduce(op, x, outer, len, inner, expected);
    new VectorBackend().reduce(op, x, outer, len, inner, actual);
    String where = op + " [" + outer + ", " + len + ", " + inner + "]";
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int at = o * inner + i;
        float e = expected[at];
        float a = actual[at];
        if (Float.isNaN(e) || Float.isNaN(a)) {
          assertEquals(Float.isNaN(e), Float.isNaN(a), where + ": NaN mismatch at " + at);
        } else if (op == ReduceOp.SUM && inner == 1) {
          double magnitude = 0;
          for (int l = 0; l < len; l++) {
            magnitude += Math.abs(x[(o * len + l) * inner + i]);
          }
          assertEquals(e, a, Math.ulp(e) + 1e-12 * magnitude, where + " at " + at);
        } else if (op == ReduceOp.SUM) {
          assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(a), where + " at " + at);
        } else {
          assertEquals(e, a, 0f, where + " at " + at);
        }
      }
    }
  }
}
