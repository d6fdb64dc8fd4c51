package org.gradguard.tensor.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.Parallel;

/**
 * Packed, cache-blocked, register-blocked single-precision GEMM, after Goto and van de Geijn,
 * "Anatomy of high-performance matrix multiplication" (ACM TOMS 34(3), 2008) and BLIS.
 *
 * <p>Loops, outermost first: column blocks of {@code NC} columns of {@code C}; equal depth blocks
 * of at most {@code KC} (a {@code KC×NC} block of {@code op(B)} is packed into panels of {@code NR}
 * columns); row blocks of {@code MC} rows (an {@code MC×KC} block of {@code op(A)} is packed into
 * panels of {@code MR} rows); then an {@code MR×NR} micro-kernel that keeps {@code MR×2} vector
 * accumulators in registers and performs one fused multiply-add per accumulator per step of the
 * depth. The transposition flags are absorbed by the packing routines, so one micro-kernel serves
 * all four variants. Edge panels are zero-padded and their results copied through a small tile
 * buffer.
 *
 * <p>Every element of {@code C} is accumulated in the same order (depth {@code 0..k-1} with fused
 * multiply-adds in float32, one partial sum per depth block added to {@code C}) wherever its tile
 * lies, so results do not depend on the thread count. Work is split over {@link Parallel} by column
 * or row panels only when every thread gets at least {@link #MIN_FLOPS_PER_THREAD}.
 */
final class VectorGemm {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int VL = S.length();

  /** Rows of the micro-kernel. */
  static final int MR = 6;

  /** Columns of the micro-kernel: two vectors. */
  static final int NR = 2 * VL;

  /**
   * Largest depth block: a {@code KC×NR} panel of B (16 KiB) stays in the L1 cache. Depths are cut
   * into equal blocks of at most this size.
   */
  static final int KC = Math.max(64, 4096 / NR);

  /** Row block: an {@code MC×KC} block of A (about 150 KiB) stays in the L2 cache. */
  static final int MC = MR * Math.max(4, 144 * 256 / KC / MR);

  /** Column block: a {@code KC×NC} block of B (about 2 MiB) stays in the L3 cache. */
  static final int NC = NR * Math.max(4, 2048 * 256 / KC / NR);

  /**
   * The least work, in floating-point operations, worth handing to another thread: handing off
   * costs 5–50 µs on the 2-core machines we measured, where one core does 60–90 GFLOP/s, so 6 MFLOP
   * is 70–100 µs of work. Square products are split from n ≈ 180 up; n = 128 runs on one thread.
   */
  static final long MIN_FLOPS_PER_THREAD = 6_000_000L;

  private VectorGemm() {}

  /** The {@link org.gradguard.tensor.Backend#gemm} contract. */
  static void gemm(
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
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      if (!accumulate) {
        Arrays.fill(c, cOff, cOff + m * n, 0f);
      }
      return;
    }
    if (n == 1 || m == 1) {
      VectorGemv.gemv(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
      return;
    }
    Problem p = new Problem(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    long flops = 2L * m * n * k;
    int parts = (int) Math.min(Parallel.threads(), flops / MIN_FLOPS_PER_THREAD);
    if (parts <= 1) {
      p.run(0, m, 0, n);
      return;
    }
    int colPanels = (n + NR - 1) / NR;
    int rowPanels = (m + MR - 1) / MR;
    boolean byColumns = colPanels >= rowPanels;
    int units = byColumns ? colPanels : rowPanels;
    // Parallel.forRange makes total/1e6 chunks at most; scale the cost so that it makes `parts`.
    long costPerUnit = Math.max(1, flops / units * 1_000_000L / MIN_FLOPS_PER_THREAD);
    Parallel.forRange(
        units,
        costPerUnit,
        (from, to) -> {
          if (byColumns) {
            p.run(0, m, from * NR, Math.min(n, to * NR));
          } else {
            p.run(from * MR, Math.min(m, to * MR), 0, n);
          }
        });
  }

  /** One call's arguments; {@link #run} computes a rectangle of C with buffers of its own. */
  private record Problem(
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

    /** Computes rows {@code [r0, r1)} and columns {@code [c0, c1)} of C. */
    void run(int r0, int r1, int c0, int c1) {
      // equal depth blocks of at most KC: 784 = 4 × 196, not 3 × 256 + 16 (a short block pays the
      // micro-kernel's loads and stores of C for little arithmetic)
      int kcMax = ceilDiv(k, ceilDiv(k, KC));
      int mcMax = Math.min(MC, roundUp(r1 - r0, MR));
      int ncMax = Math.min(NC, roundUp(c1 - c0, NR));
      Buffers buf = BUFFERS.get();
      float[] packedA = buf.a(mcMax * kcMax);
      float[] packedB = buf.b(ncMax * kcMax);
      float[] tile = buf.tile;
      for (int jc = c0; jc < c1; jc += NC) {
        int nc = Math.min(NC, c1 - jc);
        for (int pc = 0; pc < k; pc += kcMax) {
          int kc = Math.min(kcMax, k - pc);
          boolean add = accumulate || pc > 0;
          packB(pc, kc, jc, nc, packedB);
          for (int ic = r0; ic < r1; ic += MC) {
            int mc = Math.min(MC, r1 - ic);
            packA(ic, mc, pc, kc, packedA);
            for (int jr = 0; jr < nc; jr += NR) {
              int nr = Math.min(NR, nc - jr);
              for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int cAt = cOff + (ic + ir) * n + jc + jr;
                if (mr == MR && nr == NR && add) {
                  kernelAdd(kc, packedA, ir * kc, packedB, jr * kc, c, cAt, n);
                } else if (mr == MR && nr == NR) {
                  kernelSet(kc, packedA, ir * kc, packedB, jr * kc, c, cAt, n);
                } else {
                  kernelSet(kc, packedA, ir * kc, packedB, jr * kc, tile, 0, NR);
                  for (int r = 0; r < mr; r++) {
                    for (int j = 0; j < nr; j++) {
                      int at = cAt + r * n + j;
                      c[at] = add ? c[at] + tile[r * NR + j] : tile[r * NR + j];
                    }
                  }
                }
              }
            }
          }
        }
      }
    }

    /**
     * Packs rows {@code [i0, i0+mc)}, depths {@code [p0, p0+kc)} of op(A) into panels of {@code MR}
     * rows: element (r, p) of panel q lands at {@code q·MR·kc + p·MR + r}; missing rows are 0.
     */
    private void packA(int i0, int mc, int p0, int kc, float[] dst) {
      for (int ir = 0; ir < mc; ir += MR) {
        int rows = Math.min(MR, mc - ir);
        int base = ir * kc;
        if (transA) { // A is stored k×m
          for (int p = 0; p < kc; p++) {
            int src = aOff + (p0 + p) * m + i0 + ir;
            int d = base + p * MR;
            for (int r = 0; r < rows; r++) {
              dst[d + r] = a[src + r];
            }
            for (int r = rows; r < MR; r++) {
              dst[d + r] = 0f;
            }
          }
        } else if (rows == MR) { // A is stored m×k: six rows read side by side
          int s0 = aOff + (i0 + ir) * k + p0;
          for (int p = 0, d = base; p < kc; p++, d += MR) {
            dst[d] = a[s0 + p];
            dst[d + 1] = a[s0 + k + p];
            dst[d + 2] = a[s0 + 2 * k + p];
            dst[d + 3] = a[s0 + 3 * k + p];
            dst[d + 4] = a[s0 + 4 * k + p];
            dst[d + 5] = a[s0 + 5 * k + p];
          }
        } else {
          for (int r = 0; r < rows; r++) {
            int src = aOff + (i0 + ir + r) * k + p0;
            for (int p = 0; p < kc; p++) {
              dst[base + p * MR + r] = a[src + p];
            }
          }
          for (int r = rows; r < MR; r++) {
            for (int p = 0; p < kc; p++) {
              dst[base + p * MR + r] = 0f;
            }
          }
        }
      }
    }

    /**
     * Packs depths {@code [p0, p0+kc)}, columns {@code [j0, j0+nc)} of op(B) into panels of {@code
     * NR} columns: element (p, j) of panel q lands at {@code q·NR·kc + p·NR + j}; missing columns
     * are 0.
     */
    private void packB(int p0, int kc, int j0, int nc, float[] dst) {
      for (int jr = 0; jr < nc; jr += NR) {
        int cols = Math.min(NR, nc - jr);
        int base = jr * kc;
        if (transB) { // B is stored n×k
          for (int j = 0; j < cols; j++) {
            int src = bOff + (j0 + jr + j) * k + p0;
            for (int p = 0; p < kc; p++) {
              dst[base + p * NR + j] = b[src + p];
            }
          }
          for (int j = cols; j < NR; j++) {
            for (int p = 0; p < kc; p++) {
              dst[base + p * NR + j] = 0f;
            }
          }
        } else if (cols == NR) { // B is stored k×n: one panel row is NR contiguous floats
          // System.arraycopy, not vector loads and stores (which copy W1's first-layer weight in
          // 77 µs against 135, isolated): in a training step FloatVector.intoArray's receiver
          // profile also holds Float128Vector (the half-width species of the double-precision
          // kernels), C2 cannot prove the receiver's class here, inlines both, the store's vector
          // class is then no constant and the intrinsic falls back to boxing (PrintInlining:
          // "VectorSupport::store failed to inline"). W1 measured 5.2–5.4 ms a step with that copy
          // against 3.7–4.2 with arraycopy (TrainStepBenchmark, alternating builds).
          for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bOff + (p0 + p) * n + j0 + jr, dst, base + p * NR, NR);
          }
        } else {
          for (int p = 0; p < kc; p++) {
            int d = base + p * NR;
            System.arraycopy(b, bOff + (p0 + p) * n + j0 + jr, dst, d, cols);
            Arrays.fill(dst, d + cols, d + NR, 0f);
          }
        }
      }
    }
  }

  /**
   * Packing buffers, one set per thread and reused across calls; they grow to at most {@code MC·KC}
   * and {@code KC·NC} floats (about 150 KiB and 2 MiB).
   */
  private static final class Buffers {
    private float[] a = new float[0];
    private float[] b = new float[0];
    final float[] tile = new float[MR * NR];

    float[] a(int size) {
      if (a.length < size) {
        a = new float[size];
      }
      return a;
    }

    float[] b(int size) {
      if (b.length < size) {
        b = new float[size];
      }
      return b;
    }
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }

  /**
   * The {@code MR×NR} micro-kernel that adds: {@code C[0..MR, 0..NR) += Ap · Bp} over depth {@code
   * kc}, where {@code Ap} is an A panel at {@code ai} and {@code Bp} a B panel at {@code bi}, and
   * row {@code r} of the C tile starts at {@code ci + r·ldc}.
   *
   * <p>Written for C2. The loop steps the two panel offsets themselves ({@code ap += MR, bp += NR})
   * and ends on the A offset: C2 (JDK 17) then hoists the range checks of the six scalar loads of A
   * out of the loop and keeps only the two of B's vector loads, and the depth step compiles to 30
   * instructions for its 12 fused multiply-adds. Counting depths {@code p} and computing {@code ai
   * + p·MR} and {@code bi + p·NR} in the body left two range checks on A and a recomputation of
   * both offsets from {@code p} in the loop (38 instructions), and measured 15–25% slower (thread
   * CPU time, W1's GEMM shapes and n = 512, alternating runs). Unrolling two depth steps by hand
   * measured 35% slower (register pressure). No vector value flows through a branch (a vector
   * merged at a control-flow join costs more than half the throughput on JDK 17 and 25). Adding and
   * overwriting are two methods, not one with a flag: C2 compiled the flag's first-seen side only,
   * and the first call with the other side deoptimised the kernel back to code that runs the Vector
   * API's boxed Java fallback until it is recompiled (seconds on a loaded machine).
   */
  static void kernelAdd(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
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
    for (int ap = ai, bp = bi, end = ai + kc * MR; ap < end; ap += MR, bp += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
      FloatVector av = FloatVector.broadcast(S, a[ap]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ap + 4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ap + 5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c01.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldc;
    c10.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c11.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldc;
    c20.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c21.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldc;
    c30.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c31.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldc;
    c40.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c41.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldc;
    c50.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c51.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
  }

  /** {@link #kernelAdd} that overwrites: {@code C[0..MR, 0..NR) = Ap · Bp}. */
  static void kernelSet(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
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
    for (int ap = ai, bp = bi, end = ai + kc * MR; ap < end; ap += MR, bp += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
      FloatVector av = FloatVector.broadcast(S, a[ap]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ap + 4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ap + 5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + VL);
    ci += ldc;
    c10.intoArray(c, ci);
    c11.intoArray(c, ci + VL);
    ci += ldc;
    c20.intoArray(c, ci);
    c21.intoArray(c, ci + VL);
    ci += ldc;
    c30.intoArray(c, ci);
    c31.intoArray(c, ci + VL);
    ci += ldc;
    c40.intoArray(c, ci);
    c41.intoArray(c, ci + VL);
    ci += ldc;
    c50.intoArray(c, ci);
    c51.intoArray(c, ci + VL);
  }
}
