package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend#gemm} against a hand-computed product and against {@link ReferenceBackend}
 * over many shapes, every transposition and both values of {@code accumulate}.
 *
 * <p>Tolerance per element: {@code |Δ| ≤ 1e-5·(1 + Σ_p |op(A)[i,p]·op(B)[p,j]|)} (the two kernels
 * add the same products in different orders, each in float32).
 */
class VectorBackendGemmTest {
  private static final Backend VECTOR = new VectorBackend();
  private static final Backend REFERENCE = new ReferenceBackend();
  private static final boolean[] FLAGS = {false, true};

  @Test
  void handComputedProductInEveryLayout() {
    // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]], A·B = [[58, 64], [139, 154]]
    float[] a = {1, 2, 3, 4, 5, 6};
    float[] aT = {1, 4, 2, 5, 3, 6};
    float[] b = {7, 8, 9, 10, 11, 12};
    float[] bT = {7, 9, 11, 8, 10, 12};
    float[] expected = {58, 64, 139, 154};
    for (boolean ta : FLAGS) {
      for (boolean tb : FLAGS) {
        float[] c = {100, 200, 300, 400};
        VECTOR.gemm(ta, tb, 2, 2, 3, ta ? aT : a, 0, tb ? bT : b, 0, c, 0, false);
        assertArrayEquals(expected, c, "transA " + ta + ", transB " + tb);
        VECTOR.gemm(ta, tb, 2, 2, 3, ta ? aT : a, 0, tb ? bT : b, 0, c, 0, true);
        assertArrayEquals(
            new float[] {116, 128, 278, 308}, c, "accumulate, transA " + ta + ", transB " + tb);
      }
    }
  }

  /** 0 · NaN is NaN in every kernel: a NaN in one factor is never hidden by a zero in the other. */
  @Test
  void zeroTimesNaNIsNaNOnBothBackends() {
    for (int[] mnk : new int[][] {{1, 1, 2}, {2, 3, 2}, {7, 20, 5}, {12, 40, 9}}) {
      int m = mnk[0];
      int n = mnk[1];
      int k = mnk[2];
      float[] a = new float[m * k]; // all zero
      float[] b = new float[k * n];
      Arrays.fill(b, 1f);
      b[n - 1] = Float.NaN; // row 0, last column
      for (Backend be : new Backend[] {new ReferenceBackend(), new VectorBackend()}) {
        float[] c = new float[m * n];
        be.gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
        for (int i = 0; i < m; i++) {
          assertTrue(Float.isNaN(c[i * n + n - 1]), be + " " + Arrays.toString(mnk) + " row " + i);
          if (n > 1) {
            assertEquals(0f, c[i * n], be + " " + Arrays.toString(mnk));
          }
        }
      }
    }
  }

  @Test
  void handComputedMatrixVectorProducts() {
    float[] a = {1, 2, 3, 4, 5, 6}; // 2×3, or 3×2 when transposed
    float[] x = {1, -1, 2};
    float[] c = new float[2];
    VECTOR.gemm(false, false, 2, 1, 3, a, 0, x, 0, c, 0, false);
    assertArrayEquals(new float[] {5, 11}, c); // [1-2+6, 4-5+12]
    VECTOR.gemm(false, false, 1, 2, 3, x, 0, new float[] {1, 2, 3, 4, 5, 6}, 0, c, 0, false);
    assertArrayEquals(new float[] {8, 10}, c); // x·B with B 3×2: [1-3+10, 2-4+12]
    float[] y = {1, 2};
    float[] c3 = new float[3];
    VECTOR.gemm(true, false, 3, 1, 2, a, 0, y, 0, c3, 0, false);
    assertArrayEquals(new float[] {9, 12, 15}, c3); // Aᵀ·y with A 2×3
  }

  @Test
  void matchesReferenceOverSmallAndOddShapes() {
    int[] dims = {1, 2, 3, 5, 8, 13, 17, 31, 34};
    Rng rng = new Rng(11);
    for (int m : dims) {
      for (int n : dims) {
        for (int k : dims) {
          for (boolean ta : FLAGS) {
            for (boolean tb : FLAGS) {
              compare(rng, ta, tb, m, n, k, ta ^ tb);
            }
          }
        }
      }
    }
  }

  @Test
  void matchesReferenceAcrossCacheBlocks() {
    // depth beyond KC, rows beyond MC, columns beyond NC, prime and vector-unaligned sizes
    int[][] shapes = {
      {300, 1, 300},
      {1, 300, 300},
      {300, 300, 1},
      {97, 53, 300},
      {2 * VectorGemm.MC + 5, 2 * VectorGemm.NR + 3, 2 * VectorGemm.KC + 7},
      {7, VectorGemm.NC + 2 * VectorGemm.NR + 1, 5},
      {VectorGemm.MR, VectorGemm.NR, VectorGemm.KC},
      {VectorGemm.MR + 1, VectorGemm.NR - 1, VectorGemm.KC + 1},
    };
    Rng rng = new Rng(12);
    for (int[] s : shapes) {
      for (boolean ta : FLAGS) {
        for (boolean tb : FLAGS) {
          for (boolean acc : FLAGS) {
            compare(rng, ta, tb, s[0], s[1], s[2], acc);
          }
        }
      }
    }
  }

  @Test
  void matchesReferenceWhenSplitAcrossThreads() {
    int before = Parallel.threads();
    try {
      Parallel.setThreads(2);
      Rng rng = new Rng(13);
      // wide (split by column panels) and tall (split by row panels), both above the threshold
      compare(rng, false, true, 130, 260, 200, false);
      compare(rng, true, false, 1000, 20, 300, true);
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void respectsOffsetsAndLeavesTheRestOfTheArraysAlone() {
    Rng rng = new Rng(14);
    // the small kernel's shape, and one that is packed (full and partial panels of B, two depth
    // blocks), so that every packing routine reads from an offset
    int[][] shapes = {{19, 23, 29}, {2 * VectorGemm.MR + 1, 3 * VectorGemm.NR + 5, 300}};
    assertTrue(VectorSmallGemm.handles(19, 23, 29));
    assertFalse(VectorSmallGemm.handles(shapes[1][0], shapes[1][1], shapes[1][2]));
    for (int[] s : shapes) {
      respectsOffsets(rng, s[0], s[1], s[2]);
    }
  }

  private static void respectsOffsets(Rng rng, int m, int n, int k) {
    for (boolean ta : FLAGS) {
      for (boolean tb : FLAGS) {
        for (boolean acc : FLAGS) {
          float[] a = random(rng, 5 + m * k + 3);
          float[] b = random(rng, 7 + k * n + 2);
          float[] c = random(rng, 11 + m * n + 4);
          float[] aCopy = a.clone();
          float[] bCopy = b.clone();
          float[] expected = c.clone();
          REFERENCE.gemm(ta, tb, m, n, k, a, 5, b, 7, expected, 11, acc);
          VECTOR.gemm(ta, tb, m, n, k, a, 5, b, 7, c, 11, acc);
          assertArrayEquals(aCopy, a, "A modified");
          assertArrayEquals(bCopy, b, "B modified");
          for (int i = 0; i < c.length; i++) {
            boolean inside = i >= 11 && i < 11 + m * n;
            if (inside) {
              assertEquals(expected[i], c[i], 1e-3f, "C[" + i + "] of " + m + "×" + n + "×" + k);
            } else {
              assertEquals(expected[i], c[i], 0f, "C[" + i + "] outside the output changed");
            }
          }
        }
      }
    }
  }

  @Test
  void emptyProducts() {
    float[] c = {1, 2, 3, 4, 5, 6};
    VECTOR.gemm(false, false, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, true);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c, "k = 0 with accumulate: unchanged");
    VECTOR.gemm(true, true, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, false);
    assertArrayEquals(new float[6], c, "k = 0 without accumulate: zeros");
    float[] d = {7};
    VECTOR.gemm(false, false, 0, 1, 4, new float[0], 0, new float[4], 0, d, 0, false);
    VECTOR.gemm(false, false, 1, 0, 4, new float[4], 0, new float[0], 0, d, 0, false);
    assertArrayEquals(new float[] {7}, d, "m = 0 or n = 0: nothing written");
  }

  @Test
  void sameThreadCountGivesBitIdenticalResultsAndThreadCountDoesNotMatter() {
    int before = Parallel.threads();
    Rng rng = new Rng(15);
    int m = 150;
    int n = 170;
    int k = 260;
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    List<float[]> results = new ArrayList<>();
    try {
      for (int threads : new int[] {1, 1, 2, 2}) {
        Parallel.setThreads(threads);
        float[] c = new float[m * n];
        VECTOR.gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
        results.add(c);
      }
    } finally {
      Parallel.setThreads(before);
    }
    for (int i = 1; i < results.size(); i++) {
      assertTrue(Arrays.equals(results.get(0), results.get(i)), "run " + i + " differs");
    }
  }

  /** Compares one random product against the reference with the documented bound. */
  private static void compare(Rng rng, boolean ta, boolean tb, int m, int n, int k, boolean acc) {
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    float[] c0 = random(rng, m * n);
    float[] expected = c0.clone();
    float[] actual = c0.clone();
    REFERENCE.gemm(ta, tb, m, n, k, a, 0, b, 0, expected, 0, acc);
    VECTOR.gemm(ta, tb, m, n, k, a, 0, b, 0, actual, 0, acc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double magnitude = acc ? Math.abs(c0[i * n + j]) : 0;
        for (int p = 0; p < k; p++) {
          float av = ta ? a[p * m + i] : a[i * k + p];
          float bv = tb ? b[j * k + p] : b[p * n + j];
          magnitude += Math.abs((double) av * bv);
        }
        double bound = 1e-5 * (1 + magnitude);
        double diff = Math.abs(expected[i * n + j] - actual[i * n + j]);
        if (!(diff <= bound)) {
          throw new AssertionError(
              String.format(
                  "gemm transA=%b transB=%b accumulate=%b m=%d n=%d k=%d: C[%d,%d] = %s,"
                      + " reference %s, |Δ| %.3g > %.3g",
                  ta, tb, acc, m, n, k, i, j, actual[i * n + j], expected[i * n + j], diff, bound));
        }
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
