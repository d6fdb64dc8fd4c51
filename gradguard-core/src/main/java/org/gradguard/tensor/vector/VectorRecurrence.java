package org.gradguard.tensor.vector;

import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.PackedOperand;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.RecurrentKernels;
import org.gradguard.tensor.UnaryOp;

/**
 * The sequential part of an Elman recurrent layer: one small product per time step with the same
 * {@code H×H} weight matrix. A general GEMM packs both operands on every call, which for {@code [N,
 * H]·[H, H]} with N = 64, H = 128 costs about as much as the arithmetic; here the weight is packed
 * once per sequence into panels of {@link #NR} columns, and each step packs only its left operand
 * ({@code N×H}) into panels of six rows for an {@code MR×NR} register-tile micro-kernel (fused
 * multiply-adds, as {@link VectorGemm}'s).
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
    // B = W_hhᵀ: element (p, j) is W_hh[j, p]
    float[] packed = pack(wHh, hidden, true);
    float[] pre = new float[nh];
    float[] tile = new float[scratchSize(batch, hidden)];
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
      float[] h0,
      float[] out,
      float[] gOut,
      float[] dA,
      float[] dh0,
      float[] dWhh) {
    int nh = batch * hidden;
    // B = W_hh: element (p, j) is W_hh[p, j]
    float[] packed = pack(wHh, hidden, false);
    float[] dh = new float[nh];
    float[] tile = new float[scratchSize(batch, hidden)];
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
      multiplyPacked(h, h, depth, packedA, packedB, j0, j1, c, 0, packedA, rowPanels * MR * kc);
    }
  }

  /**
   * Packs the {@code n×n} matrix {@code w} (its transpose when {@code transpose}) as the right
   * operand B into panels of NR columns: element (p, j) lands at {@code (j/NR)·NR·n + p·NR + j%NR};
   * the columns past n in the last panel are 0.
   */
  static float[] pack(float[] w, int n, boolean transpose) {
    return packOperand(w, 0, n, n, transpose).panels;
  }

  /**
   * {@code c[0 .. m·n) += a[aOff ..][m×n] · B} for B packed by {@link #pack} ({@code n×n}). {@code
   * scratch} holds the packed rows of A ({@link #scratchSize}).
   */
  static void addProduct(
      float[] a, int aOff, int m, int n, float[] packed, float[] c, float[] scratch) {
    addRowsProduct(a, aOff, m, n, n, packed, c, 0, scratch);
  }

  /**
   * {@code c[cOff + i·n + j] += Σ_p a[aOff + i·k + p]·B[p, j]} for B ({@code k×n}) in NR-column
   * panels: A's rows packed into MR-row panels in {@code scratch} ({@link #scratchSize}{@code (m,
   * k)}), then the register-tile kernel, on the calling thread.
   */
  private static void addRowsProduct(
      float[] a,
      int aOff,
      int m,
      int k,
      int n,
      float[] packedB,
      float[] c,
      int cOff,
      float[] scratch) {
    int rowPanels = (m + MR - 1) / MR;
    int tileAt = rowPanels * MR * k;
    // A in panels of MR rows: element (r, p) of panel q at q·MR·k + p·MR + r; missing rows 0
    for (int q = 0; q < rowPanels; q++) {
      int rows = Math.min(MR, m - q * MR);
      int base = q * MR * k;
      for (int r = 0; r < MR; r++) {
        if (r < rows) {
          int src = aOff + (q * MR + r) * k;
          for (int p = 0; p < k; p++) {
            scratch[base + p * MR + r] = a[src + p];
          }
        } else {
          for (int p = 0; p < k; p++) {
            scratch[base + p * MR + r] = 0f;
          }
        }
      }
    }
    multiplyPacked(m, n, k, scratch, packedB, 0, (n + NR - 1) / NR, c, cOff, scratch, tileAt);
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
      int cOff,
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
          VectorGemm.kernelAdd(k, packedA, ai, packedB, bi, c, cOff + q * MR * n + col, n);
        } else {
          java.util.Arrays.fill(tile, tileAt, tileAt + MR * NR, 0f);
          VectorGemm.kernelAdd(k, packedA, ai, packedB, bi, tile, tileAt, NR);
          for (int r = 0; r < rows; r++) {
            int ci = cOff + (q * MR + r) * n + col;
            for (int x = 0; x < cols; x++) {
              c[ci + x] += tile[tileAt + r * NR + x];
            }
          }
        }
      }
    }
  }

  /**
   * A {@link PackedOperand} in this class's layout: {@code op(B)} ({@code k×n}) in panels of NR
   * columns, element (p, j) at {@code (j/NR)·NR·k + p·NR + j%NR}, the columns past n zero. It keeps
   * the scratch its products pack A into, so that a sequence's steps allocate nothing; one thread
   * at a time multiplies by it, as {@link PackedOperand} says.
   */
  static final class Panels implements PackedOperand {
    private final float[] panels;
    private final int depth;
    private final int columns;
    private float[] scratch = new float[0];

    Panels(float[] panels, int depth, int columns) {
      this.panels = panels;
      this.depth = depth;
      this.columns = columns;
    }

    @Override
    public int depth() {
      return depth;
    }

    @Override
    public int columns() {
      return columns;
    }

    /** Scratch for a product with {@code m} rows of A, grown when too small. */
    private float[] scratch(int m) {
      int size = scratchSize(m, depth);
      if (scratch.length < size) {
        scratch = new float[size];
      }
      return scratch;
    }
  }

  /** The {@link org.gradguard.tensor.Backend#packOperand} contract in {@link Panels}. */
  static Panels packOperand(float[] b, int bOff, int k, int n, boolean transB) {
    int panels = (n + NR - 1) / NR;
    float[] dst = new float[panels * NR * k];
    for (int q = 0; q < panels; q++) {
      int base = q * NR * k;
      int cols = Math.min(NR, n - q * NR);
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < cols; j++) {
          int col = q * NR + j;
          dst[base + p * NR + j] = transB ? b[bOff + col * k + p] : b[bOff + p * n + col];
        }
      }
    }
    return new Panels(dst, k, n);
  }

  /**
   * The {@link org.gradguard.tensor.Backend#addPackedProduct} contract, by {@link #addRowsProduct}.
   */
  static void addPackedProduct(int m, float[] a, int aOff, Panels b, float[] c, int cOff) {
    addRowsProduct(a, aOff, m, b.depth, b.columns, b.panels, c, cOff, b.scratch(m));
  }

  /** The scratch {@link #addProduct} needs for {@code m} rows of depth {@code n}. */
  static int scratchSize(int m, int n) {
    return (m + MR - 1) / MR * MR * n + MR * NR;
  }
}
