package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gradguard.tensor.PackedOperand;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend#packOperand} and {@link VectorBackend#addPackedProduct} against {@link
 * ReferenceBackend}'s row-major operand and GEMM, over shapes around the register tile (MR rows, NR
 * columns), both storage orders of B, and offsets into A, B and C; C's elements outside its block
 * stay as they were.
 */
class VectorBackendPackedTest {
  private final ReferenceBackend ref = new ReferenceBackend();
  private final VectorBackend vec = new VectorBackend();

  private static float[] random(int n, long seed) {
    return Tensor.randn(new Rng(seed), Math.max(n, 1)).data();
  }

  @Test
  void packedProductsAgreeWithTheReferenceGemm() {
    int[] ms = {1, 5, 6, 7, 13, 64};
    int[] ks = {1, 3, 16, 37, 128};
    int[] ns = {1, 8, 15, 16, 17, 33, 96};
    long seed = 0;
    for (int m : ms) {
      for (int k : ks) {
        for (int n : ns) {
          for (boolean transB : new boolean[] {false, true}) {
            int aOff = 3;
            int bOff = 5;
            int cOff = 7;
            float[] a = random(aOff + m * k, seed++);
            float[] b = random(bOff + k * n, seed++);
            float[] c0 = random(cOff + m * n + 4, seed++);
            float[] expected = c0.clone();
            float[] actual = c0.clone();
            PackedOperand rp = ref.packOperand(b, bOff, k, n, transB);
            PackedOperand vp = vec.packOperand(b, bOff, k, n, transB);
            assertEquals(k, vp.depth());
            assertEquals(n, vp.columns());
            ref.addPackedProduct(m, a, aOff, rp, expected, cOff);
            vec.addPackedProduct(m, a, aOff, vp, actual, cOff);
            String at = "m=" + m + " k=" + k + " n=" + n + " transB=" + transB;
            for (int i = 0; i < expected.length; i++) {
              boolean inside = i >= cOff && i < cOff + m * n;
              double tol = inside ? 1e-5 * (1 + k) : 0;
              assertEquals(expected[i], actual[i], tol, at + " element " + i);
            }
          }
        }
      }
    }
  }

  /**
   * One operand for products of different heights, as a sequence's steps use it, its scratch
   * reused.
   */
  @Test
  void anOperandServesProductsOfDifferentHeights() {
    int k = 20;
    int n = 19;
    float[] b = random(k * n, 40);
    PackedOperand rp = ref.packOperand(b, 0, k, n, true);
    PackedOperand vp = vec.packOperand(b, 0, k, n, true);
    long seed = 41;
    for (int m : new int[] {13, 5, 13, 1, 8}) {
      float[] a = random(m * k, seed++);
      float[] expected = new float[m * n];
      float[] actual = new float[m * n];
      ref.addPackedProduct(m, a, 0, rp, expected, 0);
      vec.addPackedProduct(m, a, 0, vp, actual, 0);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-5 * (1 + k), "m=" + m + " element " + i);
      }
    }
  }

  @Test
  void anOperandFromAnotherBackendStillMultiplies() {
    float[] a = random(4 * 3, 1);
    float[] b = random(3 * 5, 2);
    float[] expected = new float[20];
    float[] actual = new float[20];
    PackedOperand rowMajor = ref.packOperand(b, 0, 3, 5, false);
    ref.addPackedProduct(4, a, 0, rowMajor, expected, 0);
    vec.addPackedProduct(4, a, 0, rowMajor, actual, 0);
    for (int i = 0; i < 20; i++) {
      assertEquals(expected[i], actual[i], 1e-5, "element " + i);
    }
  }
}
