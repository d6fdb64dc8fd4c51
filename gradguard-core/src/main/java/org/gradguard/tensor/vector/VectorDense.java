package org.gradguard.tensor.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised optimizer passes and activation gradients of {@link org.gradguard.tensor.Backend}'s
 * dense-step kernels.
 *
 * <p>Kernels the contract defines "in double" load half-width float vectors, widen them lane for
 * lane to full-width double vectors, apply the reference's operations in the reference's order
 * (separate multiply and add, never a fused multiply-add; IEEE division and square root) and round
 * once: the results are bit-identical to {@link org.gradguard.tensor.ReferenceBackend}'s. The float
 * kernels ({@code reluBackward}, {@code tanhBackward}) are bit-identical too. Only {@code
 * sumOfSquares} adds in a different order (two vectors of partial sums in double), and the measured
 * passes ({@code copyMeasured}, {@code addInPlaceMeasured}) sum blocks of {@link #MEASURE_BLOCK}
 * elements in float lanes (within 2⁻¹⁹ relative of the double sums; what they copy or add, and the
 * extremes, are exact). Tails shorter than a vector run the scalar formula.
 */
final class VectorDense {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Half-width floats, widened lane for lane to full-width doubles. */
  static final VectorSpecies<Float> SH =
      VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));

  static final VectorSpecies<Double> SD =
      VectorSpecies.of(double.class, VectorShape.forBitSize(SH.length() * 64));
  static final int HL = SH.length();

  private VectorDense() {}

  static boolean allFinite(float[] x, int n) {
    // v·0 is 0 for finite v and NaN for NaN and ±∞; NaN sticks in the sum.
    FloatVector acc = FloatVector.zero(S);
    int upper = (n - 1) / VL * VL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += VL) {
      acc = acc.add(FloatVector.fromArray(S, x, i).mul(0f));
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += x[i] * 0f;
    }
    return s == s;
  }

  static double sumOfSquares(float[] x, int n) {
    DoubleVector s0 = DoubleVector.zero(SD);
    DoubleVector s1 = DoubleVector.zero(SD);
    int upper = (n - 1) / (2 * HL) * (2 * HL); // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += 2 * HL) {
      DoubleVector a =
          ((DoubleVector) FloatVector.fromArray(SH, x, i).convertShape(VectorOperators.F2D, SD, 0));
      DoubleVector b =
          ((DoubleVector)
              FloatVector.fromArray(SH, x, i + HL).convertShape(VectorOperators.F2D, SD, 0));
      s0 = s0.add(a.mul(a));
      s1 = s1.add(b.mul(b));
    }
    double[] lanes = new double[HL];
    s0.add(s1).intoArray(lanes, 0);
    double s = 0;
    for (double lane : lanes) {
      s += lane;
    }
    for (; i < n; i++) {
      double a = x[i];
      s += a * a;
    }
    return s;
  }

  static void scaleInPlace(float[] x, int n, double factor) {
    int upper = (n - 1) / HL * HL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += HL) {
      DoubleVector a =
          ((DoubleVector) FloatVector.fromArray(SH, x, i).convertShape(VectorOperators.F2D, SD, 0));
      ((FloatVector) a.mul(factor).convertShape(VectorOperators.D2F, SH, 0)).intoArray(x, i);
    }
    for (; i < n; i++) {
      x[i] = (float) (factor * x[i]);
    }
  }

  static void addScaledInPlace(float[] x, float[] y, int n, double alpha) {
    // the scalar tail always runs (1..HL elements when n > 0): a tail that never ran while C2
    // profiled this method made the first odd n deoptimise it back to the interpreter, where the
    // Vector API runs its boxed fallback until it is compiled again
    int upper = (n - 1) / HL * HL;
    int i = 0;
    for (; i < upper; i += HL) {
      DoubleVector a =
          ((DoubleVector) FloatVector.fromArray(SH, x, i).convertShape(VectorOperators.F2D, SD, 0));
      DoubleVector b =
          ((DoubleVector) FloatVector.fromArray(SH, y, i).convertShape(VectorOperators.F2D, SD, 0));
      ((FloatVector) a.add(b.mul(alpha)).convertShape(VectorOperators.D2F, SH, 0)).intoArray(x, i);
    }
    for (; i < n; i++) {
      x[i] = (float) (x[i] + alpha * y[i]);
    }
  }

  static void reluBackward(float[] g, float[] x, float[] out, int n) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int upper = (n - 1) / VL * VL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += VL) {
      VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
      FloatVector.fromArray(S, g, i).mul(zero.blend(one, pos)).intoArray(out, i);
    }
    for (; i < n; i++) {
      out[i] = g[i] * (x[i] > 0 ? 1f : 0f);
    }
  }

  static void tanhBackward(float[] g, float[] y, float[] out, int n) {
    int upper = (n - 1) / VL * VL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += VL) {
      FloatVector yv = FloatVector.fromArray(S, y, i);
      FloatVector.fromArray(S, g, i)
          .mul(FloatVector.broadcast(S, 1f).sub(yv.mul(yv)))
          .intoArray(out, i);
    }
    for (; i < n; i++) {
      out[i] = g[i] * (1f - y[i] * y[i]);
    }
  }

  static void momentumUpdate(
      float[] d,
      float[] buf,
      int n,
      double momentum,
      double keep,
      boolean nesterov,
      boolean first) {
    if (first) {
      System.arraycopy(d, 0, buf, 0, n);
    } else if (nesterov) {
      momentumTrace(d, buf, n, momentum, keep);
    } else {
      momentumTraceOut(d, buf, n, momentum, keep);
      return; // d = buf already
    }
    if (nesterov) {
      addScaledInPlace(d, buf, n, momentum);
    }
  }

  /** {@code buf = (float) (momentum·buf + keep·d)}. */
  private static void momentumTrace(float[] d, float[] buf, int n, double momentum, double keep) {
    int upper = (n - 1) / HL * HL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += HL) {
      DoubleVector b =
          ((DoubleVector)
              FloatVector.fromArray(SH, buf, i).convertShape(VectorOperators.F2D, SD, 0));
      DoubleVector g =
          ((DoubleVector) FloatVector.fromArray(SH, d, i).convertShape(VectorOperators.F2D, SD, 0));
      ((FloatVector) b.mul(momentum).add(g.mul(keep)).convertShape(VectorOperators.D2F, SH, 0))
          .intoArray(buf, i);
    }
    for (; i < n; i++) {
      buf[i] = (float) (momentum * buf[i] + keep * d[i]);
    }
  }

  /**
   * {@link #momentumTrace} that also writes the new buffer into {@code d}, in the same pass: the
   * plain momentum step's output is its buffer, and a separate copy was a third pass over both. Two
   * loops, not one with a flag, for the reason {@code VectorGemm.kernelAdd} gives: C2 compiles the
   * side of a flag it has seen.
   */
  private static void momentumTraceOut(
      float[] d, float[] buf, int n, double momentum, double keep) {
    int upper = (n - 1) / HL * HL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += HL) {
      DoubleVector b =
          ((DoubleVector)
              FloatVector.fromArray(SH, buf, i).convertShape(VectorOperators.F2D, SD, 0));
      DoubleVector g =
          ((DoubleVector) FloatVector.fromArray(SH, d, i).convertShape(VectorOperators.F2D, SD, 0));
      FloatVector f =
          (FloatVector) b.mul(momentum).add(g.mul(keep)).convertShape(VectorOperators.D2F, SH, 0);
      f.intoArray(buf, i);
      f.intoArray(d, i);
    }
    for (; i < n; i++) {
      float f = (float) (momentum * buf[i] + keep * d[i]);
      buf[i] = f;
      d[i] = f;
    }
  }

  static void adamUpdate(
      float[] d,
      float[] m,
      float[] v,
      int n,
      double b1,
      double b2,
      double bc1,
      double bc2Sqrt,
      double eps) {
    double c1 = 1 - b1;
    double c2 = 1 - b2;
    int upper = (n - 1) / HL * HL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += HL) {
      DoubleVector g =
          ((DoubleVector) FloatVector.fromArray(SH, d, i).convertShape(VectorOperators.F2D, SD, 0));
      DoubleVector mv =
          ((DoubleVector) FloatVector.fromArray(SH, m, i).convertShape(VectorOperators.F2D, SD, 0));
      DoubleVector vv =
          ((DoubleVector) FloatVector.fromArray(SH, v, i).convertShape(VectorOperators.F2D, SD, 0));
      FloatVector mf =
          (FloatVector) mv.mul(b1).add(g.mul(c1)).convertShape(VectorOperators.D2F, SH, 0);
      FloatVector vf =
          (FloatVector) vv.mul(b2).add(g.mul(c2).mul(g)).convertShape(VectorOperators.D2F, SH, 0);
      mf.intoArray(m, i);
      vf.intoArray(v, i);
      DoubleVector mr = ((DoubleVector) mf.convertShape(VectorOperators.F2D, SD, 0)).div(bc1);
      DoubleVector den =
          ((DoubleVector) vf.convertShape(VectorOperators.F2D, SD, 0))
              .lanewise(VectorOperators.SQRT)
              .div(bc2Sqrt)
              .add(eps);
      ((FloatVector) mr.div(den).convertShape(VectorOperators.D2F, SH, 0)).intoArray(d, i);
    }
    for (; i < n; i++) {
      double g = d[i];
      m[i] = (float) (b1 * m[i] + c1 * g);
      v[i] = (float) (b2 * v[i] + c2 * g * g);
      d[i] = (float) ((m[i] / bc1) / (Math.sqrt(v[i]) / bc2Sqrt + eps));
    }
  }

  /**
   * Floats summed per block in float lanes before the block's lanes are added, in lane order, into
   * a double sum: each lane adds at most 32 terms, so a block sum of non-negative terms is within
   * {@code 31·2⁻²⁴ < 2⁻¹⁹} relative of the double sum (Higham, Accuracy and Stability of Numerical
   * Algorithms, §4.2: {@code (m−1)·u} for m terms), and so is every measured sum. Widening every
   * element to double instead measured about twice the time of these loops on AVX2.
   */
  static final int MEASURE_BLOCK = 32 * VL;

  /**
   * Below this a float-block sum of squares is recomputed in double: squares of entries under about
   * 1e-19 underflow float32; 2⁻⁹⁰ keeps even 2³¹ such errors of 2⁻¹⁴⁹ under 2⁻²⁴ relative.
   */
  private static final double TINY = 0x1p-90;

  static void copyMeasured(float[] src, float[] dst, int n, double[] out) {
    int upper = (n - 1) / (2 * VL) * (2 * VL); // the tail always runs: see addScaledInPlace
    float[] buf = new float[VL];
    double ss = 0;
    float mn = Float.POSITIVE_INFINITY;
    float mx = Float.NEGATIVE_INFINITY;
    // only scalars cross blocks: vectors carried by an outer loop were boxed by C2 (JDK 17)
    for (int b = 0; b < upper; b += MEASURE_BLOCK) {
      int end = Math.min(b + MEASURE_BLOCK, upper);
      // the copy by arraycopy, the block then measured from the L1 cache: storing the loaded
      // vectors failed C2's store intrinsic inside a training step (JDK 17), boxing every vector
      System.arraycopy(src, b, dst, b, end - b);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector min = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
      FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int i = b; i < end; i += 2 * VL) {
        FloatVector u = FloatVector.fromArray(S, src, i);
        FloatVector v = FloatVector.fromArray(S, src, i + VL);
        s0 = u.fma(u, s0);
        s1 = v.fma(v, s1);
        // compare-and-blend: twice as fast as the lane-wise Math.min; zeros and NaN are redone
        // below
        min = min.blend(u, u.compare(VectorOperators.LT, min));
        max = max.blend(u, u.compare(VectorOperators.GT, max));
        min = min.blend(v, v.compare(VectorOperators.LT, min));
        max = max.blend(v, v.compare(VectorOperators.GT, max));
      }
      ss += lanes(s0.add(s1), buf);
      mn = Math.min(mn, min.reduceLanes(VectorOperators.MIN));
      mx = Math.max(mx, max.reduceLanes(VectorOperators.MAX));
    }
    for (int i = upper; i < n; i++) {
      float v = src[i];
      dst[i] = v;
      ss += (double) v * v;
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    // rare: NaN or ∞ (the blends skip NaN), squares that overflow float32, or a zero extreme whose
    // sign the blends may have got wrong — then the reference's exact pass
    if (!(ss < Double.POSITIVE_INFINITY) || mn == 0 || mx == 0) {
      exactMeasure(src, n, out);
      return;
    }
    if (ss < TINY) {
      // tiny gradients (a vanishing layer's), whose squares underflow float32: summed again in
      // double lanes, where they do not
      ss = sumOfSquares(src, n);
    }
    out[0] = ss;
    out[1] = mn;
    out[2] = mx;
  }

  /**
   * 2⁶⁴: scaling by it is exact and lifts the squares of entries down to about 1e-38 above
   * float32's underflow.
   */
  private static final float UP = 0x1p64f;

  /** The squares and absolute values scaled back down from {@link #UP}: 2⁻¹²⁸ and 2⁻⁶⁴. */
  private static final double DOWN_SQ = 0x1p-128;

  private static final double DOWN = 0x1p-64;

  /**
   * Σ v² and Σ |v| over {@code [from, to)} (a multiple of {@code VL} long) from the entries scaled
   * by 2⁶⁴, into {@code out[at]} and {@code out[at + 1]}, as {@link #addInPlaceMeasured} sums a
   * block; leaves a pair that is already exact as it is. Returns false when the scaled sums still
   * cannot be trusted ({@link #inexact}).
   */
  private static boolean scaledBlockSums(float[] v, int from, int to, double[] out, int at) {
    if (!inexact(out[at], out[at + 1])) {
      return true;
    }
    if (!(out[at] < Double.POSITIVE_INFINITY)) {
      return false; // NaN or ∞: the reference's formulas
    }
    float[] buf = new float[VL];
    FloatVector q = FloatVector.zero(S);
    FloatVector a = FloatVector.zero(S);
    for (int i = from; i < to; i += VL) {
      FloatVector u = FloatVector.fromArray(S, v, i).mul(UP);
      q = u.fma(u, q);
      a = a.add(u.abs());
    }
    double sq = lanes(q, buf);
    double abs = lanes(a, buf);
    if (inexact(sq, abs)) {
      return false;
    }
    out[at] = sq * DOWN_SQ;
    out[at + 1] = abs * DOWN;
    return true;
  }

  /** {@link #copyMeasured}'s statistics by the reference's formulas; {@code src} only read. */
  private static void exactMeasure(float[] src, int n, double[] out) {
    double s = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = src[i];
      s += (double) v * v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    out[0] = s;
    out[1] = min;
    out[2] = max;
  }

  static void addInPlaceMeasured(float[] x, float[] y, int n, double[] out) {
    int upper = (n - 1) / (2 * VL) * (2 * VL); // the tail always runs: see addScaledInPlace
    float[] buf = new float[VL];
    double[] block = new double[4];
    double xs = 0;
    double xa = 0;
    double ys = 0;
    double ya = 0;
    for (int b = 0; b < upper; b += MEASURE_BLOCK) {
      int end = Math.min(b + MEASURE_BLOCK, upper);
      // measure the block, then add it: x is overwritten only after its sums are known to be good,
      // and the second pass finds the block in the L1 cache. One accumulator per sum (two each,
      // eight live vectors, measured faster alone but twice as slow inside a W3 training step),
      // fed two vectors at a time: the chain through an accumulator is one add per 2·VL elements
      // instead of one fused multiply-add per VL (110 -> 101 µs for W1's 270k floats, isolated)
      FloatVector qx = FloatVector.zero(S);
      FloatVector ax = FloatVector.zero(S);
      FloatVector qy = FloatVector.zero(S);
      FloatVector ay = FloatVector.zero(S);
      for (int i = b; i < end; i += 2 * VL) {
        FloatVector u0 = FloatVector.fromArray(S, x, i);
        FloatVector u1 = FloatVector.fromArray(S, x, i + VL);
        FloatVector v0 = FloatVector.fromArray(S, y, i);
        FloatVector v1 = FloatVector.fromArray(S, y, i + VL);
        qx = qx.add(u0.fma(u0, u1.mul(u1)));
        ax = ax.add(u0.abs().add(u1.abs()));
        qy = qy.add(v0.fma(v0, v1.mul(v1)));
        ay = ay.add(v0.abs().add(v1.abs()));
      }
      block[0] = lanes(qx, buf);
      block[1] = lanes(ax, buf);
      block[2] = lanes(qy, buf);
      block[3] = lanes(ay, buf);
      if (inexact(block[0], block[1]) || inexact(block[2], block[3])) {
        // tiny values (a vanishing layer's updates) are summed again scaled by 2⁶⁴, NaN and ∞
        // and what underflows even then by the reference's formulas
        if (!(scaledBlockSums(x, b, end, block, 0) && scaledBlockSums(y, b, end, block, 2))) {
          exactSums(x, y, b, end, block);
        }
      }
      xs += block[0];
      xa += block[1];
      ys += block[2];
      ya += block[3];
      // a plain loop, which C2 vectorises itself: a Vector API store here failed its intrinsic
      // inside a training step (JDK 17), boxing every vector
      for (int j = b; j < end; j++) {
        x[j] = x[j] + y[j];
      }
    }
    for (int i = upper; i < n; i++) {
      double a = x[i];
      double c = y[i];
      xs += a * a;
      xa += Math.abs(a);
      ys += c * c;
      ya += Math.abs(c);
      x[i] = x[i] + y[i];
    }
    out[0] = xs;
    out[1] = xa;
    out[2] = ys;
    out[3] = ya;
  }

  /**
   * True when a float-block sum of squares cannot be trusted to the block bound: NaN or infinite
   * (an entry is, or a square overflowed float32), or below {@link #TINY} while some entry is not
   * zero (squares that underflowed float32 would dominate it).
   */
  private static boolean inexact(double sumSq, double sumAbs) {
    return !(sumSq < Double.POSITIVE_INFINITY) || (sumSq < TINY && sumAbs != 0);
  }

  /**
   * The four sums of {@code x, y} over {@code [from, to)} in double, as the reference takes them.
   */
  private static void exactSums(float[] x, float[] y, int from, int to, double[] out) {
    double xs = 0;
    double xa = 0;
    double ys = 0;
    double ya = 0;
    for (int i = from; i < to; i++) {
      double a = x[i];
      double c = y[i];
      xs += a * a;
      xa += Math.abs(a);
      ys += c * c;
      ya += Math.abs(c);
    }
    out[0] = xs;
    out[1] = xa;
    out[2] = ys;
    out[3] = ya;
  }

  /**
   * The lanes of a block's float sums added in lane order in double, through {@code buf} (length
   * {@code VL}).
   */
  private static double lanes(FloatVector block, float[] buf) {
    block.intoArray(buf, 0);
    double s = 0;
    for (float lane : buf) {
      s += lane;
    }
    return s;
  }
}
