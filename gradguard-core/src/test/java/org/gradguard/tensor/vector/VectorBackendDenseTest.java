package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The dense-step kernels of {@link VectorBackend} (optimizer passes, activation gradients,
 * batch-norm column kernels) against {@link ReferenceBackend}, bit for bit, over lengths and shapes
 * that exercise whole vectors, tails and single elements; {@code sumOfSquares} within double
 * rounding. Each kernel also has a hand-computed case.
 */
class VectorBackendDenseTest {
  private static final int[] LENGTHS = {
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1031
  };
  private static final int[][] SHAPES = {
    {1, 1}, {2, 1}, {1, 9}, {3, 4}, {5, 7}, {2, 8}, {7, 16}, {4, 17}, {33, 5}, {128, 256}, {13, 259}
  };

  private final ReferenceBackend ref = new ReferenceBackend();
  private final VectorBackend vec = new VectorBackend();

  @Test
  void allFiniteFindsEveryNonFiniteValueAtEveryPosition() {
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int n : LENGTHS) {
      float[] x = random(n, 1, 1e30f);
      assertTrue(vec.allFinite(x, n), "n=" + n);
      assertEquals(ref.allFinite(x, n), vec.allFinite(x, n));
      for (int at = 0; at < n; at += Math.max(1, n / 7)) {
        for (float b : bad) {
          float keep = x[at];
          x[at] = b;
          assertFalse(vec.allFinite(x, n), "n=" + n + " at=" + at + " value=" + b);
          assertFalse(vec.allFinite(x, at + 1), "prefix " + (at + 1));
          assertEquals(at == 0 || ref.allFinite(x, at), vec.allFinite(x, at), "prefix " + at);
          x[at] = keep;
        }
      }
    }
    assertTrue(vec.allFinite(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0f, -0f}, 4));
    assertTrue(vec.allFinite(new float[] {Float.NaN}, 0));
  }

  @Test
  void sumOfSquaresMatchesWithinDoubleRounding() {
    assertEquals(30.0, vec.sumOfSquares(new float[] {1, -2, 3, 4}, 4), 0.0);
    assertEquals(0.0, vec.sumOfSquares(new float[] {5}, 0), 0.0);
    for (int n : LENGTHS) {
      float[] x = random(n, 2, 3f);
      double r = ref.sumOfSquares(x, n);
      assertEquals(r, vec.sumOfSquares(x, n), 1e-14 * r, "n=" + n);
    }
    assertTrue(Double.isNaN(vec.sumOfSquares(new float[] {1, 2, 3, 4, 5, 6, 7, Float.NaN, 1}, 9)));
  }

  @Test
  void scaleAndAddScaledAreBitIdentical() {
    float[] x = {1, -2, 0.1f};
    vec.scaleInPlace(x, 3, 0.5);
    assertArrayEquals(new float[] {0.5f, -1f, (float) (0.5 * 0.1f)}, x, 0f);
    float[] y = {2, 4, 8};
    vec.addScaledInPlace(x, y, 3, 0.25);
    assertArrayEquals(new float[] {1f, 0f, (float) ((float) (0.5 * 0.1f) + 2.0)}, x, 0f);
    for (int n : LENGTHS) {
      for (double f : new double[] {-0.05, 1e-3, 0.9, 3.7e5}) {
        float[] a = random(n, 3, 10f);
        float[] b = a.clone();
        float[] other = random(n, 4, 10f);
        ref.scaleInPlace(a, n, f);
        vec.scaleInPlace(b, n, f);
        assertBitEqual(a, b, "scale n=" + n + " f=" + f);
        ref.addScaledInPlace(a, other, n, f);
        vec.addScaledInPlace(b, other, n, f);
        assertBitEqual(a, b, "addScaled n=" + n + " f=" + f);
      }
    }
  }

  @Test
  void activationGradientsAreBitIdentical() {
    float[] g = {2, -3, Float.NaN, 5, -1};
    float[] x = {1, 0, 1, -2, -0f};
    float[] out = new float[5];
    vec.reluBackward(g, x, out, 5);
    assertBitEqual(new float[] {2, -0f, Float.NaN, 0, -0f}, out, "relu hand");
    vec.tanhBackward(new float[] {2, 1, 4}, new float[] {0.5f, 1, -0.25f}, out, 3);
    assertArrayEquals(new float[] {1.5f, 0f, 3.75f}, java.util.Arrays.copyOf(out, 3), 0f);
    for (int n : LENGTHS) {
      float[] gr = random(n, 5, 4f);
      float[] xs = random(n, 6, 1f);
      float[] a = new float[n];
      float[] b = new float[n];
      ref.reluBackward(gr, xs, a, n);
      vec.reluBackward(gr, xs, b, n);
      assertBitEqual(a, b, "relu n=" + n);
      ref.tanhBackward(gr, xs, a, n);
      vec.tanhBackward(gr, xs, b, n);
      assertBitEqual(a, b, "tanh n=" + n);
      float[] inPlace = gr.clone();
      vec.tanhBackward(inPlace, xs, inPlace, n);
      assertBitEqual(a, inPlace, "tanh in place n=" + n);
    }
  }

  @Test
  void momentumIsBitIdenticalForEveryVariant() {
    float[] d = {1, 2};
    float[] buf = {10, 20};
    vec.momentumUpdate(d, buf, 2, 0.9, 1.0, false, false);
    assertArrayEquals(new float[] {10f, 20f}, d, 0f);
    assertArrayEquals(buf, d, 0f);
    d = new float[] {1, 2};
    buf = new float[] {0, 0};
    vec.momentumUpdate(d, buf, 2, 0.5, 1.0, true, true);
    assertArrayEquals(new float[] {1, 2}, buf, 0f);
    assertArrayEquals(new float[] {1.5f, 3f}, d, 0f);
    for (int n : LENGTHS) {
      for (boolean nesterov : new boolean[] {false, true}) {
        for (boolean first : new boolean[] {false, true}) {
          float[] d1 = random(n, 7, 2f);
          float[] b1 = random(n, 8, 2f);
          float[] d2 = d1.clone();
          float[] b2 = b1.clone();
          ref.momentumUpdate(d1, b1, n, 0.9, nesterov ? 1 : 0.7, nesterov, first);
          vec.momentumUpdate(d2, b2, n, 0.9, nesterov ? 1 : 0.7, nesterov, first);
          String at = "n=" + n + " nesterov=" + nesterov + " first=" + first;
          assertBitEqual(d1, d2, "d " + at);
          assertBitEqual(b1, b2, "buf " + at);
        }
      }
    }
  }

  @Test
  void adamIsBitIdentical() {
    // first step from zero moments: m = 0.1·g, v = 0.001·g², d = (m/0.1)/(√v/√0.001 + eps) =
    // g/(|g|+eps)
    float[] d = {2, -4};
    float[] m = new float[2];
    float[] v = new float[2];
    vec.adamUpdate(d, m, v, 2, 0.9, 0.999, 1 - 0.9, Math.sqrt(1 - 0.999), 0);
    assertArrayEquals(new float[] {(float) (0.1 * 2), (float) (0.1 * -4)}, m, 0f);
    assertEquals(1f, d[0], 1e-6f);
    assertEquals(-1f, d[1], 1e-6f);
    for (int n : LENGTHS) {
      for (double eps : new double[] {1e-8, 0}) {
        float[] d1 = random(n, 9, 1f);
        float[] m1 = random(n, 10, 0.1f);
        float[] v1 = random(n, 11, 0.01f);
        for (int i = 0; i < n; i++) {
          v1[i] = Math.abs(v1[i]);
        }
        float[] d2 = d1.clone();
        float[] m2 = m1.clone();
        float[] v2 = v1.clone();
        double bc1 = 1 - Math.pow(0.9, 7);
        double bc2 = Math.sqrt(1 - Math.pow(0.999, 7));
        ref.adamUpdate(d1, m1, v1, n, 0.9, 0.999, bc1, bc2, eps);
        vec.adamUpdate(d2, m2, v2, n, 0.9, 0.999, bc1, bc2, eps);
        String at = "n=" + n + " eps=" + eps;
        assertBitEqual(d1, d2, "d " + at);
        assertBitEqual(m1, m2, "m " + at);
        assertBitEqual(v1, v2, "v " + at);
      }
    }
  }

  @Test
  void columnKernelsAreBitIdentical() {
    // hand-computed: columns (1, 3) and (2, 6): means 2 and 4, biased variances 1 and 4
    double[] mean = new double[2];
    double[] var = new double[2];
    vec.columnMeanVariance(new float[] {1, 2, 3, 6}, 2, 2, mean, var);
    assertArrayEquals(new double[] {2, 4}, mean, 0);
    assertArrayEquals(new double[] {1, 4}, var, 0);
    float[] y = new float[4];
    vec.columnAffine(
        new float[] {1, 2, 3, 6}, 2, 2, mean, new double[] {1, 0.5}, new double[] {0, 1}, y);
    assertArrayEquals(new float[] {-1, 0, 1, 2}, y, 0f);
    for (int[] s : SHAPES) {
      int rows = s[0];
      int cols = s[1];
      int n = rows * cols;
      float[] x = random(n, 12, 3f);
      float[] g = random(n, 13, 1f);
      double[][] a = new double[6][cols];
      double[][] b = new double[6][cols];
      ref.columnMeanVariance(x, rows, cols, a[0], a[1]);
      vec.columnMeanVariance(x, rows, cols, b[0], b[1]);
      String at = rows + "x" + cols;
      assertArrayEquals(a[0], b[0], 0, "mean " + at);
      assertArrayEquals(a[1], b[1], 0, "variance " + at);
      double[] scale = new double[cols];
      double[] shift = new double[cols];
      double[] outScale = new double[cols];
      for (int j = 0; j < cols; j++) {
        scale[j] = 1 / Math.sqrt(a[1][j] + 1e-5);
        shift[j] = 0.1 * j;
        outScale[j] = 0.9 * scale[j];
      }
      float[] ya = new float[n];
      float[] yb = new float[n];
      ref.columnAffine(x, rows, cols, a[0], scale, shift, ya);
      vec.columnAffine(x, rows, cols, a[0], scale, shift, yb);
      assertBitEqual(ya, yb, "affine " + at);
      ref.columnGradSums(g, x, rows, cols, a[0], scale, a[2], a[3]);
      vec.columnGradSums(g, x, rows, cols, a[0], scale, b[2], b[3]);
      assertArrayEquals(a[2], b[2], 0, "sumG " + at);
      assertArrayEquals(a[3], b[3], 0, "sumGx " + at);
      for (int j = 0; j < cols; j++) {
        a[4][j] = a[2][j] / rows;
        a[5][j] = a[3][j] / rows;
      }
      ref.batchNormInputGrad(g, x, rows, cols, a[0], scale, outScale, a[4], a[5], ya);
      vec.batchNormInputGrad(g, x, rows, cols, a[0], scale, outScale, a[4], a[5], yb);
      assertBitEqual(ya, yb, "input grad " + at);
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

  private static void assertBitEqual(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])
          && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
        throw new AssertionError(
            what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
      }
    }
  }
}
