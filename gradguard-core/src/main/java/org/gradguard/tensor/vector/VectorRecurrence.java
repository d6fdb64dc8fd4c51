package org.gradguard.tensor.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.RecurrentKernels;
import org.gradguard.tensor.UnaryOp;

/**
 * The sequential part of an Elman recurrent layer: one small product per time step with the same
 * {@code H×H} weight matrix. A general GEMM packs both operands on every call, which for {@code [N,
 * H]·[H, H]} with N = 64, H = 128 costs about as much as the arithmetic; here the weight is packed
 * once per sequence into panels of {@link #NR} columns and each step's left operand is read in
 * place, six rows at a time ({@code MR×NR} register tile, fused multiply-adds, as {@link
 * VectorGemm}'s micro-kernel).
 *
 * <p>Each element is accumulated over the depth {@code p = 0..H−1} in order with fused
 * multiply-adds, then added to what {@code c} held; so results agree with the reference within the
 * GEMM tolerance and do not depend on the thread count (the kernel runs on the calling thread).
 */
final class VectorRecurrence {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();
  private static final int MR = 6;
  private static final int NR = 2 * VL;

  private VectorRecurrence() {}

  /** The {@link org.gradguard.tensor.Backend#elmanForwardSteps} contract. */
  static void forwardSteps(
      boolean tanh, int steps, int batch, int hidden, float[] wHh, float[] h0, float[] out) {
    int nh = batch * hidden;
    // B = W_hhᵀ: element (p, j) is W_hh[j, p]
    float[] packed = pack(wHh, hidden, true);
    float[] pre = new float[nh];
    float[] tile = new float[MR * NR];
    UnaryOp act = tanh ? UnaryOp.TANH : UnaryOp.RELU;
    for (int t = 0; t < steps; t++) {
      int at = t * nh;
      System.arraycopy(out, at, pre, 0, nh);
      if (t > 0) {
        addProduct(out, at - nh, batch, hidden, packed, pre, tile);
      } else if (h0 != null) {
        addProduct(h0, 0, batch, hidden, packed, pre, tile);
      }
      VectorMap.map(act, pre, pre, nh);
      System.arraycopy(pre, 0, out, at, nh);
    }
  }

  /** The {@link org.gradguard.tensor.Backend#elmanBackwardSteps} contract. */
  static void backwardSteps(
      boolean tanh,
      int steps,
      int batch,
      int hidden,
      float[] wHh,
      float[] out,
      float[] gOut,
      float[] dA,
      float[] dh0) {
    int nh = batch * hidden;
    // B = W_hh: element (p, j) is W_hh[p, j]
    float[] packed = pack(wHh, hidden, false);
    float[] dh = new float[nh];
    float[] tile = new float[MR * NR];
    for (int t = steps - 1; t >= 0; t--) {
      int at = t * nh;
      RecurrentKernels.elmanGate(tanh, out, gOut, dh, dA, at, nh);
      if (t > 0 || dh0 != null) {
        java.util.Arrays.fill(dh, 0f);
        addProduct(dA, at, batch, hidden, packed, dh, tile);
      }
    }
    if (dh0 != null) {
      System.arraycopy(dh, 0, dh0, 0, nh);
    }
  }

  /**
   * Packs the {@code n×n} matrix {@code w} (its transpose when {@code transpose}) as the right
   * operand B into panels of NR columns: element (p, j) lands at {@code (j/NR)·NR·n + p·NR + j%NR};
   * the columns past n in the last panel are 0.
   */
  static float[] pack(float[] w, int n, boolean transpose) {
    int panels = (n + NR - 1) / NR;
    float[] dst = new float[panels * NR * n];
    for (int q = 0; q < panels; q++) {
      int base = q * NR * n;
      int cols = Math.min(NR, n - q * NR);
      for (int p = 0; p < n; p++) {
        for (int j = 0; j < cols; j++) {
          int col = q * NR + j;
          dst[base + p * NR + j] = transpose ? w[col * n + p] : w[p * n + col];
        }
      }
    }
    return dst;
  }

  /**
   * {@code c[0 .. m·n) += a[aOff ..][m×n] · B} for B packed by {@link #pack} ({@code n×n}). {@code
   * tile} is scratch of {@code MR·NR} floats.
   */
  static void addProduct(
      float[] a, int aOff, int m, int n, float[] packed, float[] c, float[] tile) {
    int panels = (n + NR - 1) / NR;
    for (int q = 0; q < panels; q++) {
      int bi = q * NR * n;
      int col = q * NR;
      int cols = Math.min(NR, n - col);
      for (int r = 0; r < m; r += MR) {
        int rows = Math.min(MR, m - r);
        if (cols == NR) {
          kernel6(n, a, aOff + r * n, rows, packed, bi, c, r * n + col, n);
        } else {
          // the last, partial panel: into the scratch tile, then the valid columns into c
          java.util.Arrays.fill(tile, 0f);
          kernel6(n, a, aOff + r * n, rows, packed, bi, tile, 0, NR);
          for (int i = 0; i < rows; i++) {
            int ci = (r + i) * n + col;
            for (int j = 0; j < cols; j++) {
              c[ci + j] += tile[i * NR + j];
            }
          }
        }
      }
    }
  }

  /**
   * {@code C[0..rows, 0..NR) += A[0..rows, 0..k) · Bp}, with row r of A at {@code ai + r·k}
   * (unpacked) and row r of C at {@code ci + r·ldc}, for {@code 1 ≤ rows ≤ 6}. With fewer than six
   * rows the missing ones repeat the last row of A (a full tile costs less than narrower kernels)
   * and are not stored.
   */
  private static void kernel6(
      int k, float[] a, int ai, int rows, float[] b, int bi, float[] c, int ci, int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    int a0 = ai;
    int a1 = ai + Math.min(1, rows - 1) * k;
    int a2 = ai + Math.min(2, rows - 1) * k;
    int a3 = ai + Math.min(3, rows - 1) * k;
    int a4 = ai + Math.min(4, rows - 1) * k;
    int a5 = ai + Math.min(5, rows - 1) * k;
    for (int p = 0; p < k; p++) {
      int bp = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
      FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[a1 + p]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[a2 + p]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[a3 + p]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[a4 + p]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[a5 + p]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    store(c00, c01, c, ci);
    if (rows > 1) {
      store(c10, c11, c, ci + ldc);
    }
    if (rows > 2) {
      store(c20, c21, c, ci + 2 * ldc);
    }
    if (rows > 3) {
      store(c30, c31, c, ci + 3 * ldc);
    }
    if (rows > 4) {
      store(c40, c41, c, ci + 4 * ldc);
    }
    if (rows > 5) {
      store(c50, c51, c, ci + 5 * ldc);
    }
  }

  /** {@code c[ci .. ci + NR) += [lo, hi]}. */
  private static void store(FloatVector lo, FloatVector hi, float[] c, int ci) {
    lo.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    hi.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
  }
}
