package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The measured passes of {@link VectorBackend} ({@code copyMeasured}, {@code addInPlaceMeasured})
 * against {@link ReferenceBackend}: the arrays they write bit for bit, minima and maxima exactly
 * (signed zeros and NaN included), sums within double rounding, over lengths that exercise whole
 * vectors, tails and single elements, with entries from tiny to huge; and a hand-computed case
 * each.
 */
class VectorBackendMeasuredTest {
  private static final int[] LENGTHS = {
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 255, 256, 257, 513, 1031, 4099
  };
  // 1e-20 and 1e-30: squares underflow float32 (the scaled re-sum); 1e-40: subnormal, even scaled
  private static final float[] SCALES = {1e-40f, 1e-30f, 1e-20f, 1e-3f, 1f, 1e30f};

  private final ReferenceBackend ref = new ReferenceBackend();
  private final VectorBackend vec = new VectorBackend();

  @Test
  void copyMeasuredHandComputed() {
    float[] src = {3, -4, 0.5f, -0f, 2};
    float[] dst = new float[5];
    double[] out = new double[3];
    vec.copyMeasured(src, dst, 5, out);
    assertArrayEquals(src, dst);
    assertEquals(9 + 16 + 0.25 + 4, out[0], 0.0);
    assertEquals(-4.0, out[1], 0.0);
    assertEquals(3.0, out[2], 0.0);
    vec.copyMeasured(src, dst, 0, out);
    assertEquals(0.0, out[0], 0.0);
    assertEquals(Double.POSITIVE_INFINITY, out[1], 0.0);
    assertEquals(Double.NEGATIVE_INFINITY, out[2], 0.0);
  }

  @Test
  void copyMeasuredMatchesTheReference() {
    for (int n : LENGTHS) {
      for (float scale : SCALES) {
        float[] src = random(n, n + 7, scale);
        checkCopy(src, n, "n=" + n + " scale=" + scale);
      }
    }
  }

  @Test
  void copyMeasuredKeepsSignedZerosAndNonFiniteValuesAsTheReference() {
    float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int n : new int[] {1, 3, 8, 17, 33, 100}) {
      for (float special : specials) {
        for (int at = 0; at < n; at += Math.max(1, n / 5)) {
          // all zeros of one sign but one of the special value: the extremes' zero signs matter
          for (float fill : new float[] {0f, -0f, 1f}) {
            float[] src = new float[n];
            java.util.Arrays.fill(src, fill);
            src[at] = special;
            checkCopy(src, n, "n=" + n + " fill=" + fill + " " + special + " at " + at);
          }
        }
      }
    }
  }

  @Test
  void addInPlaceMeasuredHandComputed() {
    float[] x = {1, -2, 3};
    float[] y = {0.5f, 0.5f, -1};
    double[] out = new double[4];
    vec.addInPlaceMeasured(x, y, 3, out);
    assertArrayEquals(new float[] {1.5f, -1.5f, 2}, x);
    assertArrayEquals(new double[] {14, 6, 1.5, 2}, out, 0.0);
    vec.addInPlaceMeasured(x, y, 0, out);
    assertArrayEquals(new double[] {0, 0, 0, 0}, out, 0.0);
    assertArrayEquals(new float[] {1.5f, -1.5f, 2}, x, "n = 0 writes nothing");
  }

  @Test
  void addInPlaceMeasuredMatchesTheReference() {
    for (int n : LENGTHS) {
      for (float xs : SCALES) {
        for (float ys : SCALES) {
          float[] x = random(n, 2L * n + 1, xs);
          float[] y = random(n, 3L * n + 5, ys);
          checkAdd(x, y, n, "n=" + n + " scales " + xs + ", " + ys);
        }
      }
    }
  }

  @Test
  void addInPlaceMeasuredPropagatesNonFiniteValuesAsTheReference() {
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int n : new int[] {1, 5, 16, 33}) {
      for (float special : specials) {
        for (int at = 0; at < n; at += Math.max(1, n / 4)) {
          float[] x = random(n, n, 1f);
          float[] y = random(n, n + 1, 1f);
          x[at] = special;
          checkAdd(x, y, n, "x[" + at + "]=" + special);
          x = random(n, n, 1f);
          y[at] = special;
          checkAdd(x, y, n, "y[" + at + "]=" + special);
        }
      }
    }
  }

  @Test
  void prefixesLeaveTheRestAlone() {
    float[] src = random(40, 11, 1f);
    float[] dst = new float[40];
    vec.copyMeasured(src, dst, 13, new double[3]);
    for (int i = 13; i < 40; i++) {
      assertEquals(0f, dst[i], "dst[" + i + "]");
    }
    float[] x = random(40, 12, 1f);
    float[] before = x.clone();
    vec.addInPlaceMeasured(x, src, 13, new double[4]);
    for (int i = 13; i < 40; i++) {
      assertEquals(before[i], x[i], "x[" + i + "]");
    }
  }

  private void checkCopy(float[] src, int n, String what) {
    float[] keep = src.clone();
    float[] d1 = new float[n];
    float[] d2 = new float[n];
    double[] r = new double[3];
    double[] v = new double[3];
    ref.copyMeasured(src, d1, n, r);
    vec.copyMeasured(src, d2, n, v);
    assertBits(keep, src, what + ": src modified");
    assertBits(d1, d2, what + ": copy");
    assertSum(r[0], v[0], what + ": Σx²");
    assertEquals(
        Float.floatToRawIntBits((float) r[1]),
        Float.floatToRawIntBits((float) v[1]),
        what + ": min");
    assertEquals(
        Float.floatToRawIntBits((float) r[2]),
        Float.floatToRawIntBits((float) v[2]),
        what + ": max");
  }

  private void checkAdd(float[] x, float[] y, int n, String what) {
    float[] x1 = x.clone();
    float[] x2 = x.clone();
    float[] keep = y.clone();
    double[] r = new double[4];
    double[] v = new double[4];
    ref.addInPlaceMeasured(x1, y, n, r);
    vec.addInPlaceMeasured(x2, y, n, v);
    assertBits(keep, y, what + ": y modified");
    assertBits(x1, x2, what + ": x + y");
    for (int k = 0; k < 4; k++) {
      assertSum(r[k], v[k], what + ": sum " + k);
    }
  }

  /**
   * Within the float-block bound of a sum of non-negative terms (2⁻¹⁹ relative, {@code
   * VectorDense.MEASURE_BLOCK}); NaN and ∞ exactly.
   */
  private static void assertSum(double expected, double actual, String what) {
    if (!Double.isFinite(expected)) {
      assertEquals(expected, actual, what);
      return;
    }
    assertTrue(
        Math.abs(expected - actual) <= 0x1p-19 * expected,
        what + ": " + expected + " vs " + actual);
  }

  private static void assertBits(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(expected[i]),
          Float.floatToRawIntBits(actual[i]),
          what + " at " + i + ": " + expected[i] + " vs " + actual[i]);
    }
  }

  private static float[] random(int n, long seed, float scale) {
    Rng rng = new Rng(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
    }
    return x;
  }
}
