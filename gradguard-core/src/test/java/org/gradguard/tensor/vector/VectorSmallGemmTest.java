package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorSmallGemm} against a hand-computed product, against {@link ReferenceBackend} (the
 * GEMM tolerance of {@link VectorBackendGemmTest}) and bit for bit against the packed {@link
 * VectorGemm}, over shapes including 1, odd sizes and sizes that are not multiples of the vector
 * length or the register tile, every transposition and both values of {@code accumulate}.
 */
class VectorSmallGemmTest {
  private static final ReferenceBackend REFERENCE = new ReferenceBackend();
  private static final boolean[] FLAGS = {false, true};
  private static final int VL = VectorGemm.VL;
  private static final int[] DIMS = {
    1, 2, 3, 5, VectorGemm.MR, VectorGemm.MR + 1, VL - 1, VL, VL + 1, 13, 2 * VL, 2 * VL + 3, 33, 64
  };

  @Test
  void handComputedProductInEveryLayout() {
    // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]], A·B = [[58, 64], [139, 154]]
    float[] a = {1, 2, 3, 4, 5, 6};
    float[] aT = {1, 4, 2, 5, 3, 6};
    float[] b = {7, 8, 9, 10, 11, 12};
    float[] bT = {7, 9, 11, 8, 10, 12};
    for (boolean ta : FLAGS) {
      for (boolean tb : FLAGS) {
        float[] c = {100, 200, 300, 400};
        VectorSmallGemm.gemm(ta, tb, 2, 2, 3, ta ? aT : a, 0, tb ? bT : b, 0, c, 0, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c, "transA " + ta + ", transB " + tb);
        VectorSmallGemm.gemm(ta, tb, 2, 2, 3, ta ? aT : a, 0, tb ? bT : b, 0, c, 0, true);
        assertArrayEquals(new float[] {116, 128, 278, 308}, c, "accumulate " + ta + ", " + tb);
      }
    }
  }

  @Test
  void matchesReferenceAndThePackedKernelOverManyShapes() {
    Rng rng = new Rng(21);
    for (int m : DIMS) {
      for (int n : DIMS) {
        for (int k : DIMS) {
          for (boolean ta : FLAGS) {
            for (boolean tb : FLAGS) {
              compare(rng, ta, tb, m, n, k, (m + n + k) % 2 == 0);
            }
          }
        }
      }
    }
  }

  @Test
  void matchesAtTheLargestDepthAndWidthItTakes() {
    Rng rng = new Rng(22);
    int k = VectorGemm.KC;
    int n = VectorSmallGemm.MAX_B / k;
    for (boolean ta : FLAGS) {
      for (boolean tb : FLAGS) {
        for (boolean acc : FLAGS) {
          compare(rng, ta, tb, 7, n, k, acc);
          compare(rng, ta, tb, 2 * VectorGemm.MR, n - 1, k - 3, acc);
        }
      }
    }
  }

  @Test
  void respectsOffsetsAndLeavesTheRestOfTheArraysAlone() {
    Rng rng = new Rng(23);
    int m = 7;
    int n = 2 * VL + 3;
    int k = 9;
    for (boolean ta : FLAGS) {
      for (boolean tb : FLAGS) {
        float[] a = random(rng, m * k + 5);
        float[] b = random(rng, k * n + 3);
        float[] c = random(rng, m * n + 11);
        float[] expected = c.clone();
        VectorGemm.gemm(ta, tb, m, n, k, a, 5, b, 3, expected, 4, true);
        float[] actual = c.clone();
        float[] aBefore = a.clone();
        float[] bBefore = b.clone();
        VectorSmallGemm.gemm(ta, tb, m, n, k, a, 5, b, 3, actual, 4, true);
        assertArrayEquals(expected, actual, "transA " + ta + ", transB " + tb);
        assertArrayEquals(aBefore, a);
        assertArrayEquals(bBefore, b);
        for (int i = 0; i < 4; i++) {
          assertEquals(c[i], actual[i]);
        }
        for (int i = 4 + m * n; i < c.length; i++) {
          assertEquals(c[i], actual[i]);
        }
      }
    }
  }

  @Test
  void takesSmallProductsOnlyAndTheDeepNarrowLayer() {
    assertTrue(VectorSmallGemm.handles(32, 64, 64)); // W2's layer
    assertTrue(VectorSmallGemm.handles(64, 64, 32)); // and its weight gradient
    assertFalse(VectorSmallGemm.handles(1, 64, 64)); // a matrix-vector product
    assertFalse(VectorSmallGemm.handles(64, 1, 64));
    assertFalse(VectorSmallGemm.handles(6400, 2, 128)); // narrow: mostly scalar column remainder
    assertFalse(VectorSmallGemm.handles(64, 64, 0));
    assertFalse(VectorSmallGemm.handles(2, 2, VectorGemm.KC + 1)); // two depth blocks
    assertFalse(VectorSmallGemm.handles(2, VectorSmallGemm.MAX_B + 1, 1)); // B too large
    assertFalse(VectorSmallGemm.handles(512, 256, 32)); // worth splitting across threads
  }

  /**
   * One random product: within the GEMM tolerance of the reference, and bit-identical to {@link
   * VectorGemm} where that takes the product itself (random entries: no result is a signed zero).
   */
  private static void compare(Rng rng, boolean ta, boolean tb, int m, int n, int k, boolean acc) {
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    float[] c0 = random(rng, m * n);
    float[] reference = c0.clone();
    float[] packed = c0.clone();
    float[] actual = c0.clone();
    REFERENCE.gemm(ta, tb, m, n, k, a, 0, b, 0, reference, 0, acc);
    VectorGemm.gemm(ta, tb, m, n, k, a, 0, b, 0, packed, 0, acc);
    VectorSmallGemm.gemm(ta, tb, m, n, k, a, 0, b, 0, actual, 0, acc);
    String what =
        String.format("transA=%b transB=%b accumulate=%b m=%d n=%d k=%d", ta, tb, acc, m, n, k);
    if (m > 1 && n > 1) { // VectorGemm hands those to VectorGemv, which adds in another order
      assertArrayEquals(packed, actual, what + ": differs from VectorGemm");
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double magnitude = acc ? Math.abs(c0[i * n + j]) : 0;
        for (int p = 0; p < k; p++) {
          float av = ta ? a[p * m + i] : a[i * k + p];
          float bv = tb ? b[j * k + p] : b[p * n + j];
          magnitude += Math.abs((double) av * bv);
        }
        double diff = Math.abs(reference[i * n + j] - actual[i * n + j]);
        assertTrue(
            diff <= 1e-5 * (1 + magnitude),
            what
                + ": C["
                + i
                + ","
                + j
                + "] = "
                + actual[i * n + j]
                + ", reference "
                + reference[i * n + j]);
      }
    }
  }

  private static float[] random(Rng rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (2 * rng.nextDouble() - 1);
    }
    return x;
  }
}
