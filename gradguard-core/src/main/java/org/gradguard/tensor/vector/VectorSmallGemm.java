package org.gradguard.tensor.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for products small enough that packing costs as much as the arithmetic: {@code [32, 64]·[64,
 * 64]}, the layer of a deep narrow network, packs 6,144 floats for 262,144 flops, and in W2
 * (deep-narrow) the packing took a quarter of the time of all its products.
 *
 * <p>Here op(A) is read where it lies (one scalar per row and depth step, broadcast), and op(B) row
 * by row, which needs {@code B} stored {@code k×n}: a transposed {@code B} ({@code n×k}) is first
 * transposed into a per-thread buffer, {@code k·n ≤} {@link #MAX_B} floats, a copy that stays in
 * the L1 cache. The register tile is {@link VectorGemm}'s, {@code MR×NR} with {@code MR×2} vector
 * accumulators; rows past the last full tile use a four-row tile and one-row tiles, columns past
 * the last {@code NR} one vector and then {@link Math#fma} per element.
 *
 * <p>Rounding: every element is accumulated over the depth {@code p = 0..k−1} in order with fused
 * multiply-adds from 0 in float32 and the sum then added to {@code C} (set to 0 first when not
 * accumulating), which is what {@link VectorGemm} does for {@code k ≤ KC}: the two agree bit for
 * bit, up to the sign of a zero result. Single-threaded, so results do not depend on the thread
 * count; {@link #handles} admits only products below {@link VectorGemm#MIN_FLOPS_PER_THREAD}, which
 * {@link VectorGemm} would not split either.
 */
final class VectorSmallGemm {
  private static final VectorSpecies<Float> S = VectorGemm.S;
  private static final int VL = VectorGemm.VL;
  private static final int MR = VectorGemm.MR;
  private static final int NR = VectorGemm.NR;

  /**
   * Most floats of {@code op(B)}: 8,192 (32 KiB), so that B stays in the L1/L2 cache while every
   * row tile of A streams past it.
   */
  static final int MAX_B = 8192;

  private static final ThreadLocal<float[]> TRANSPOSED =
      ThreadLocal.withInitial(() -> new float[0]);

  private VectorSmallGemm() {}

  /**
   * Whether this kernel takes the product: {@code m ≥ 2} (one row is {@link VectorGemv}'s), {@code
   * n ≥ NR} (narrower products would run mostly in the scalar column remainder; W4's input gradient
   * {@code [6400, 128]·[128, 2]} ran slower than packed), {@code 1 ≤ k ≤ KC} (one depth block,
   * hence the same rounding as {@link VectorGemm}), {@code k·n ≤ MAX_B}, and {@code 2·m·n·k} below
   * {@link VectorGemm#MIN_FLOPS_PER_THREAD}.
   */
  static boolean handles(int m, int n, int k) {
    return m >= 2
        && n >= NR
        && k >= 1
        && k <= VectorGemm.KC
        && (long) k * n <= MAX_B
        && 2L * m * n * k < VectorGemm.MIN_FLOPS_PER_THREAD;
  }

  /** The {@link org.gradguard.tensor.Backend#gemm} contract, for products that {@link #handles}. */
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
    float[] bk = b;
    int bi = bOff;
    if (transB) { // B is stored n×k: copy it as k×n
      bk = TRANSPOSED.get();
      if (bk.length < k * n) {
        bk = new float[k * n];
        TRANSPOSED.set(bk);
      }
      transpose(b, bOff, n, k, bk);
      bi = 0;
    }
    if (!accumulate) {
      Arrays.fill(c, cOff, cOff + m * n, 0f);
    }
    addProduct(transA, m, n, k, a, aOff, bk, bi, c, cOff, accumulate);
  }

  /**
   * {@code C += op(A)·B} for {@code B} stored {@code k×n} at {@code bi} and {@code C} {@code m×n}
   * at {@code cOff}, any {@code m, n, k ≥ 1}, rounded as {@link #gemm}. {@code C} must not overlap
   * {@code A} or {@code B}. With {@code accumulate} false {@code C} holds zeros, and the full tiles
   * are written by {@link #tileSet}, which does not read them. Modified: {@code c}.
   */
  private static void addProduct(
      boolean transA,
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      float[] bk,
      int bi,
      float[] c,
      int cOff,
      boolean accumulate) {
    // op(A)[i, p] lies at aOff + i·rowStep + p·depthStep
    int rowStep = transA ? 1 : k;
    int depthStep = transA ? m : 1;
    int fullCols = n - n % NR;
    int fullRows = m - m % MR;
    int quadRows = m - m % MR % 4; // then a tile of four rows where at least four are left
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * rowStep;
      int ci = cOff + i * n;
      if (i < fullRows) {
        if (i % MR == 0) {
          // two methods, not a flag inside one: see VectorGemm.kernelAdd
          if (accumulate) {
            for (int j = 0; j < fullCols; j += NR) {
              tile(k, a, ai, rowStep, depthStep, bk, bi + j, n, c, ci + j);
            }
          } else {
            for (int j = 0; j < fullCols; j += NR) {
              tileSet(k, a, ai, rowStep, depthStep, bk, bi + j, n, c, ci + j);
            }
          }
        }
      } else if (i < quadRows) {
        if (i == fullRows) {
          for (int j = 0; j < fullCols; j += NR) {
            tile4(k, a, ai, rowStep, depthStep, bk, bi + j, n, c, ci + j);
          }
        }
      } else {
        for (int j = 0; j < fullCols; j += NR) {
          row(k, a, ai, depthStep, bk, bi + j, n, c, ci + j);
        }
      }
      int j = fullCols;
      if (n - j >= VL) {
        rowVector(k, a, ai, depthStep, bk, bi + j, n, c, ci + j);
        j += VL;
      }
      for (; j < n; j++) {
        float sum = 0f;
        for (int p = 0; p < k; p++) {
          sum = Math.fma(a[ai + p * depthStep], bk[bi + p * n + j], sum);
        }
        c[ci + j] += sum;
      }
    }
  }

  /** {@code dst[p·n + j] = b[off + j·k + p]}: the {@code n×k} matrix at {@code off}, transposed. */
  static void transpose(float[] b, int off, int n, int k, float[] dst) {
    // four rows of b at a time: four sequential reads, and four adjacent floats per written row
    // (one float per row and step wrote a cache line per float: a tenth of a W2 step)
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      int s0 = off + j * k;
      for (int p = 0, d = j; p < k; p++, d += n) {
        dst[d] = b[s0 + p];
        dst[d + 1] = b[s0 + k + p];
        dst[d + 2] = b[s0 + 2 * k + p];
        dst[d + 3] = b[s0 + 3 * k + p];
      }
    }
    for (; j < n; j++) {
      int src = off + j * k;
      for (int p = 0; p < k; p++) {
        dst[p * n + j] = b[src + p];
      }
    }
  }

  /**
   * {@code C[0..MR, 0..NR) += op(A)[0..MR, ·]·B[·, 0..NR)}: row r of op(A) at {@code ai + r·rs},
   * its depth step {@code ds}; B row p at {@code bi + p·ldb}; C row r at {@code ci + r·ldb}.
   */
  private static void tile(
      int k, float[] a, int ai, int rs, int ds, float[] b, int bi, int ldb, float[] c, int ci) {
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
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      int ap = ai + p * ds;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
      FloatVector av = FloatVector.broadcast(S, a[ap]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + rs]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2 * rs]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3 * rs]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ap + 4 * rs]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ap + 5 * rs]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c01.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c10.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c11.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c20.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c21.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c30.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c31.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c40.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c41.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c50.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c51.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
  }

  /**
   * {@link #tile} that overwrites: {@code C[0..MR, 0..NR) = op(A)[0..MR, ·]·B[·, 0..NR)}, for a
   * product that does not accumulate. The same sums as {@link #tile} adds to zeros (an accumulator
   * that starts at +0 never holds −0), written without reading {@code C}: the loads and adds of
   * {@link #tile}'s last rows were where C2 (JDK 17) gave up the store intrinsic and ran the Vector
   * API's boxed fallback, about a tenth of a W2 step.
   */
  private static void tileSet(
      int k, float[] a, int ai, int rs, int ds, float[] b, int bi, int ldb, float[] c, int ci) {
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
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      int ap = ai + p * ds;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
      FloatVector av = FloatVector.broadcast(S, a[ap]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + rs]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2 * rs]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3 * rs]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ap + 4 * rs]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ap + 5 * rs]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + VL);
    ci += ldb;
    c10.intoArray(c, ci);
    c11.intoArray(c, ci + VL);
    ci += ldb;
    c20.intoArray(c, ci);
    c21.intoArray(c, ci + VL);
    ci += ldb;
    c30.intoArray(c, ci);
    c31.intoArray(c, ci + VL);
    ci += ldb;
    c40.intoArray(c, ci);
    c41.intoArray(c, ci + VL);
    ci += ldb;
    c50.intoArray(c, ci);
    c51.intoArray(c, ci + VL);
  }

  /**
   * {@link #tile} for four rows, where fewer than {@code MR} are left: a one-row tile loads two
   * vectors of B for two fused multiply-adds, this one for eight.
   */
  private static void tile4(
      int k, float[] a, int ai, int rs, int ds, float[] b, int bi, int ldb, float[] c, int ci) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      int ap = ai + p * ds;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
      FloatVector av = FloatVector.broadcast(S, a[ap]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ap + rs]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ap + 2 * rs]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ap + 3 * rs]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
    }
    c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c01.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c10.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c11.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c20.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c21.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
    ci += ldb;
    c30.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c31.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
  }

  /** {@link #tile} for one row: {@code C[0, 0..NR) += op(A)[0, ·]·B[·, 0..NR)}. */
  private static void row(
      int k, float[] a, int ai, int ds, float[] b, int bi, int ldb, float[] c, int ci) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      int bp = bi + p * ldb;
      FloatVector av = FloatVector.broadcast(S, a[ai + p * ds]);
      c0 = av.fma(FloatVector.fromArray(S, b, bp), c0);
      c1 = av.fma(FloatVector.fromArray(S, b, bp + VL), c1);
    }
    c0.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
    c1.add(FloatVector.fromArray(S, c, ci + VL)).intoArray(c, ci + VL);
  }

  /** One row, one vector: {@code C[0, 0..VL) += op(A)[0, ·]·B[·, 0..VL)}. */
  private static void rowVector(
      int k, float[] a, int ai, int ds, float[] b, int bi, int ldb, float[] c, int ci) {
    FloatVector c0 = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      FloatVector av = FloatVector.broadcast(S, a[ai + p * ds]);
      c0 = av.fma(FloatVector.fromArray(S, b, bi + p * ldb), c0);
    }
    c0.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
  }
}
