package org.gradguard.tensor.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-vector products: the {@code m == 1} and {@code n == 1} cases of GEMM, where a packed
 * micro-kernel would waste most of its lanes on padding.
 *
 * <p>With one row or one column, the vector operand is contiguous whatever its transposition flag,
 * and the product is either a set of dot products with contiguous matrix rows ({@link #dots}) or a
 * sum of scaled contiguous matrix rows ({@link #axpys}). Both accumulate each output in a fixed
 * order with fused multiply-adds (lane remainders use {@link Math#fma}, which rounds identically),
 * so results do not depend on array offsets or alignment.
 */
final class VectorGemv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  private VectorGemv() {}

  /** GEMM with {@code m == 1} or {@code n == 1} (and {@code k > 0}). */
  static void gemv(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      float[] b,
      int bOff,
      float[] c,
      int cOff,
      boolean accumulate) {
    if (n == 1) {
      // op(B) is a k-vector, contiguous in either layout; c[i] = Σ_p op(A)[i, p] · x[p]
      if (transA) {
        axpys(a, aOff, k, m, b, bOff, c, cOff, accumulate);
      } else {
        dots(a, aOff, m, k, b, bOff, c, cOff, accumulate);
      }
    } else {
      // op(A) is a k-vector, contiguous in either layout; c[j] = Σ_p x[p] · op(B)[p, j]
      if (transB) {
        dots(b, bOff, n, k, a, aOff, c, cOff, accumulate);
      } else {
        axpys(b, bOff, k, n, a, aOff, c, cOff, accumulate);
      }
    }
  }

  /**
   * {@code y[r] (+)= Σ_p M[r, p] · x[p]} for an {@code rows×len} row-major {@code M}. Each row's
   * dot product keeps two vector partial sums (even and odd vector steps), adds them, then adds the
   * lanes in index order and finally the remainder.
   */
  static void dots(
      float[] mat,
      int mOff,
      int rows,
      int len,
      float[] x,
      int xOff,
      float[] y,
      int yOff,
      boolean add) {
    float[] lanes = new float[VL];
    int upper = len / (2 * VL) * (2 * VL);
    for (int r = 0; r < rows; r++) {
      int row = mOff + r * len;
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      int p = 0;
      for (; p < upper; p += 2 * VL) {
        s0 = FloatVector.fromArray(S, mat, row + p).fma(FloatVector.fromArray(S, x, xOff + p), s0);
        s1 =
            FloatVector.fromArray(S, mat, row + p + VL)
                .fma(FloatVector.fromArray(S, x, xOff + p + VL), s1);
      }
      s0.add(s1).intoArray(lanes, 0);
      float s = 0f;
      for (int l = 0; l < VL; l++) {
        s += lanes[l];
      }
      for (; p < len; p++) {
        s = Math.fma(mat[row + p], x[xOff + p], s);
      }
      y[yOff + r] = add ? y[yOff + r] + s : s;
    }
  }

  /**
   * {@code y[j] (+)= Σ_p x[p] · M[p, j]} for a {@code len×cols} row-major {@code M}: for each block
   * of columns, the partial sums stay in registers while {@code p} runs over the depth.
   */
  static void axpys(
      float[] mat,
      int mOff,
      int len,
      int cols,
      float[] x,
      int xOff,
      float[] y,
      int yOff,
      boolean add) {
    int j = 0;
    for (; j + 4 * VL <= cols; j += 4 * VL) {
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector s2 = FloatVector.zero(S);
      FloatVector s3 = FloatVector.zero(S);
      for (int p = 0, at = mOff + j; p < len; p++, at += cols) {
        FloatVector xp = FloatVector.broadcast(S, x[xOff + p]);
        s0 = xp.fma(FloatVector.fromArray(S, mat, at), s0);
        s1 = xp.fma(FloatVector.fromArray(S, mat, at + VL), s1);
        s2 = xp.fma(FloatVector.fromArray(S, mat, at + 2 * VL), s2);
        s3 = xp.fma(FloatVector.fromArray(S, mat, at + 3 * VL), s3);
      }
      if (add) { // no vector may flow through a branch, nor into a method: see VectorGemm.kernelAdd
        s0.add(FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
        s1.add(FloatVector.fromArray(S, y, yOff + j + VL)).intoArray(y, yOff + j + VL);
        s2.add(FloatVector.fromArray(S, y, yOff + j + 2 * VL)).intoArray(y, yOff + j + 2 * VL);
        s3.add(FloatVector.fromArray(S, y, yOff + j + 3 * VL)).intoArray(y, yOff + j + 3 * VL);
      } else {
        s0.intoArray(y, yOff + j);
        s1.intoArray(y, yOff + j + VL);
        s2.intoArray(y, yOff + j + 2 * VL);
        s3.intoArray(y, yOff + j + 3 * VL);
      }
    }
    for (; j + VL <= cols; j += VL) {
      FloatVector s0 = FloatVector.zero(S);
      for (int p = 0, at = mOff + j; p < len; p++, at += cols) {
        s0 = FloatVector.broadcast(S, x[xOff + p]).fma(FloatVector.fromArray(S, mat, at), s0);
      }
      if (add) {
        s0.add(FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
      } else {
        s0.intoArray(y, yOff + j);
      }
    }
    for (; j < cols; j++) {
      float s = 0f;
      for (int p = 0, at = mOff + j; p < len; p++, at += cols) {
        s = Math.fma(x[xOff + p], mat[at], s);
      }
      y[yOff + j] = add ? y[yOff + j] + s : s;
    }
  }
}
