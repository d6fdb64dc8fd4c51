package org.gradguard.tensor.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.RecurrentKernels;
import org.gradguard.tensor.UnaryOp;

/**
 * The sequential part of an Elman recurrent layer: one small product per time step with the same
 * {@code H×H} weight matrix. A general GEMM packs both operands on every call, which for {@code [N,
 * H]·[H, H]} with N = 64, H = 128 costs about as much as the arithmetic; here each step's product
 * is {@link VectorSmallGemm#addProduct}, which packs nothing: it reads {@code h_{t−1}} where it
 * lies and the weight row by row — {@code W_hhᵀ}, transposed once per sequence, in the forward
 * pass, {@code W_hh} as stored in the backward pass — and adds into the step's block of the output
 * in place. The tanh then runs in place on that block too.
 *
 * <p>Each element is accumulated over the depth in order with fused multiply-adds (the weight
 * gradient's in blocks of {@link #KC}), then added to what {@code c} held; so results agree with
 * the reference within the GEMM tolerance. The per-step products run on the calling thread (at N =
 * 64, H = 128 a step is too short to hand off); the weight gradient splits its column panels across
 * {@link Parallel}, which changes no element's order, so results do not depend on the thread count.
 */
final class VectorRecurrence {
  // the panel layout of VectorGemm, whose micro-kernel this class calls
  private static final VectorSpecies<Float> S = VectorGemm.S;
  private static final int VL = VectorGemm.VL;
  private static final int MR = VectorGemm.MR;
  private static final int NR = VectorGemm.NR;

  /** Depth block of the weight-gradient product: a {@code KC×NR} B panel fits the L1 cache. */
  private static final int KC = 256;

  private VectorRecurrence() {}

  /** The {@link org.gradguard.tensor.Backend#elmanForwardSteps} contract. */
  static void forwardSteps(
      boolean tanh, int steps, int batch, int hidden, float[] wHh, float[] h0, float[] out) {
    int nh = batch * hidden;
    // B = W_hhᵀ stored [H, H] row-major, transposed once for all steps
    float[] wT = new float[hidden * hidden];
    VectorSmallGemm.transpose(wHh, 0, hidden, hidden, wT);
    boolean inPlace = tanh && nh % VL == 0;
    float[] pre = inPlace ? null : new float[nh];
    float[] scratch = new float[Math.min(nh, VectorMath.CHUNK)];
    UnaryOp act = tanh ? UnaryOp.TANH : UnaryOp.RELU;
    for (int t = 0; t < steps; t++) {
      int at = t * nh;
      // out_t holds the input projection; the recurrent product is added where it lies, reading
      // h_{t−1} in place (no packing per step)
      if (t > 0) {
        VectorSmallGemm.addProduct(false, batch, hidden, hidden, out, at - nh, wT, 0, out, at);
      } else if (h0 != null) {
        VectorSmallGemm.addProduct(false, batch, hidden, hidden, h0, 0, wT, 0, out, at);
      }
      if (inPlace) {
        VectorMath.tanhInPlace(out, at, nh, scratch);
      } else {
        System.arraycopy(out, at, pre, 0, nh);
        VectorMap.map(act, pre, pre, nh);
        System.arraycopy(pre, 0, out, at, nh);
      }
    }
  }

  /** The {@link org.gradguard.tensor.Backend#elmanBackwardSteps} contract. */
  static void backwardSteps(
      boolean tanh,
      int steps,
      int batch,
      int hidden,
      float[] wHh,
      float[] h0,
      float[] out,
      float[] gOut,
      float[] dA,
      float[] dh0,
      float[] dWhh) {
    int nh = batch * hidden;
    float[] dh = new float[nh];
    for (int t = steps - 1; t >= 0; t--) {
      int at = t * nh;
      RecurrentKernels.elmanGate(tanh, out, gOut, dh, dA, at, nh);
      if (t > 0 || dh0 != null) {
        // dh_{t−1} = dA_t·W_hh, with W_hh as stored ([H, H], k×n): nothing to pack
        java.util.Arrays.fill(dh, 0f);
        VectorSmallGemm.addProduct(false, batch, hidden, hidden, dA, at, wHh, 0, dh, 0);
      }
    }
    if (dh0 != null) {
      System.arraycopy(dh, 0, dh0, 0, nh);
    }
    if (dWhh != null) {
      java.util.Arrays.fill(dWhh, 0, hidden * hidden, 0f);
      // steps 2..T pair dA_t with h_{t−1} = out_{t−1}; step 1 pairs dA_0 with h0
      addTransposedProduct(dA, nh, out, 0, (steps - 1) * batch, hidden, dWhh);
      if (h0 != null) {
        addTransposedProduct(dA, 0, h0, 0, batch, hidden, dWhh);
      }
    }
  }

  /**
   * {@code c[h×h] += Aᵀ·B} for {@code A = a[aOff ..]} and {@code B = b[bOff ..]}, both {@code [k,
   * h]} row-major: the weight gradient {@code Σ_t dA_tᵀ·h_{t−1}} of all steps as one product, in
   * depth blocks of {@link #KC} (the packed blocks stay in the L1/L2 caches).
   */
  static void addTransposedProduct(
      float[] a, int aOff, float[] b, int bOff, int k, int h, float[] c) {
    int colPanels = (h + NR - 1) / NR;
    // column panels of C split across the pool: each part writes its own columns and adds every
    // element's products in the same order, so results do not depend on the thread count
    Parallel.forRange(
        colPanels,
        2L * h * NR * k,
        (from, to) -> addTransposedProduct(a, aOff, b, bOff, k, h, c, from, to));
  }

  /** {@link #addTransposedProduct} for the column panels {@code [j0, j1)} of C. */
  private static void addTransposedProduct(
      float[] a, int aOff, float[] b, int bOff, int k, int h, float[] c, int j0, int j1) {
    int rowPanels = (h + MR - 1) / MR;
    int kc = Math.min(KC, Math.max(k, 1));
    float[] packedA = new float[rowPanels * MR * kc + MR * NR];
    float[] packedB = new float[(j1 - j0) * NR * kc];
    for (int p0 = 0; p0 < k; p0 += KC) {
      int depth = Math.min(KC, k - p0);
      // A's columns i as MR-row panels: element (r, p) of panel q at q·MR·depth + p·MR + r
      for (int q = 0; q < rowPanels; q++) {
        int rows = Math.min(MR, h - q * MR);
        int base = q * MR * depth;
        for (int p = 0; p < depth; p++) {
          int src = aOff + (p0 + p) * h + q * MR;
          int d = base + p * MR;
          for (int r = 0; r < rows; r++) {
            packedA[d + r] = a[src + r];
          }
          for (int r = rows; r < MR; r++) {
            packedA[d + r] = 0f;
          }
        }
      }
      // B's rows as NR-column panels: element (p, j) of panel j0 + q at q·NR·depth + p·NR + j
      for (int q = 0; q < j1 - j0; q++) {
        int cols = Math.min(NR, h - (j0 + q) * NR);
        int base = q * NR * depth;
        for (int p = 0; p < depth; p++) {
          int src = bOff + (p0 + p) * h + (j0 + q) * NR;
          int d = base + p * NR;
          System.arraycopy(b, src, packedB, d, cols);
          java.util.Arrays.fill(packedB, d + cols, d + NR, 0f);
        }
      }
      multiplyPacked(h, h, depth, packedA, packedB, j0, j1, c, packedA, rowPanels * MR * kc);
    }
  }

  /**
   * {@code c[m×n] += Ap·Bp} over depth {@code k} for the column panels {@code [j0, j1)} of C, for A
   * packed in MR-row panels ({@code q·MR·k + p·MR + r}) and those panels of B in NR-column panels
   * ({@code (q − j0)·NR·k + p·NR + j}), both zero-padded; row i of C starts at {@code i·n}. Edge
   * tiles go through {@code tile[tileAt .. tileAt + MR·NR)}.
   */
  private static void multiplyPacked(
      int m,
      int n,
      int k,
      float[] packedA,
      float[] packedB,
      int j0,
      int j1,
      float[] c,
      float[] tile,
      int tileAt) {
    int rowPanels = (m + MR - 1) / MR;
    for (int j = j0; j < j1; j++) {
      int bi = (j - j0) * NR * k;
      int col = j * NR;
      int cols = Math.min(NR, n - col);
      for (int q = 0; q < rowPanels; q++) {
        int rows = Math.min(MR, m - q * MR);
        int ai = q * MR * k;
        if (rows == MR && cols == NR) {
          VectorGemm.kernelAdd(k, packedA, ai, packedB, bi, c, q * MR * n + col, n);
        } else {
          java.util.Arrays.fill(tile, tileAt, tileAt + MR * NR, 0f);
          VectorGemm.kernelAdd(k, packedA, ai, packedB, bi, tile, tileAt, NR);
          for (int r = 0; r < rows; r++) {
            int ci = (q * MR + r) * n + col;
            for (int x = 0; x < cols; x++) {
              c[ci + x] += tile[tileAt + r * NR + x];
            }
          }
        }
      }
    }
  }
}
