package org.gradguard.health;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link ScanKernels} on the Vector API. Loaded by name from {@link Scans} only when the JVM
 * has the module {@code jdk.incubator.vector}, so a JVM without it never touches this class.
 *
 * <p>Sums are taken in float lanes over blocks of {@link #BLOCK} elements (two accumulators per
 * sum, each a fused multiply-add per square); each block's lanes are then added in lane order into
 * a double sum, and the remainder in double, so results are reproducible run to run. Only scalars
 * cross blocks: JDK 17's C2 boxed vectors carried by the outer loop. Against widening every element
 * to double this measured about 0.6× the CPU time per call on AVX2. Error: a block sum of m
 * non-negative float terms (squares, |x|) is within about {@code (m/(2·VL) + 1)·2⁻²⁴} relative of
 * the exact sum, so every sum of squares or magnitudes is within {@code BLOCK·2⁻²⁴ ≈ 6·10⁻⁵}
 * relative of the double one (a signed sum within that times the sum of magnitudes); PyTorch takes
 * these norms in float32 throughout. Where float32 cannot keep that bound (a square overflows or
 * underflows float32, an entry is NaN or infinite, a shift is not a float) the loop falls back to
 * widening every element ({@code *Wide}), so NaN and infinity propagate exactly as in {@link
 * ScalarScans} and no finite input overflows.
 *
 * <p>Minima and maxima of finite input equal {@link Math#min}/{@link Math#max}, signed zeros
 * included (see {@link #fixZeroSigns}); counts compare lane for lane with the scalar predicates
 * (NaN is never counted).
 */
final class VectorScans implements ScanKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Half-width floats, widened lane for lane to full-width doubles. */
  private static final VectorSpecies<Float> SH =
      VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));

  private static final VectorSpecies<Double> SD =
      VectorSpecies.of(double.class, VectorShape.forBitSize(SH.length() * 64));
  private static final int HL = SH.length();

  /**
   * Floats summed per block before the block's lanes are added into double accumulators. Each float
   * lane of a block adds {@code BLOCK / (2·VL)} terms (at most 128 on 4-lane SSE, 64 on AVX2, 32 on
   * AVX-512), so a block sum of non-negative terms has a relative error below {@code BLOCK·2⁻²⁴ ≈
   * 6·10⁻⁵} (Higham, Accuracy and Stability of Numerical Algorithms, §4.2: {@code (m−1)·u} for m
   * terms), far below what a health statistic needs; the double additions of the block sums add
   * nothing visible.
   */
  static final int BLOCK = 1024;

  /**
   * Below this a float-block sum of squares is recomputed in double: squares of entries under about
   * 1e-19 underflow float32, so each may be off by 2⁻¹⁴⁹ absolute; 2⁻⁹⁰ keeps even 2³¹ such errors
   * under 2⁻²⁴ relative.
   */
  private static final double TINY = 0x1p-90;

  private static final VectorOperators.Conversion<Float, Double> F2D = VectorOperators.F2D;
  private static final int NEGATIVE_ZERO_BITS = Float.floatToRawIntBits(-0f);

  VectorScans() {}

  @Override
  public void gradientAndParameter(float[] g, float[] p, int n, Scans.GradientScan out) {
    // two passes: a loop fused over both arrays holds too many vectors and measured slower
    double[] param = new double[2];
    sumSqAndSumAbs(p, n, param);
    out.paramSumSq = param[0];
    out.paramSumAbs = param[1];
    if (g == null) {
      return;
    }
    gradient(g, n, out);
    if (exactNeeded(out.gradSumSq)) {
      out.gradSumSq = sumSqWide(g, 0, n);
    }
    fixZeroSigns(g, n, out);
  }

  /** Float blocks of {@code Σ g²}, and the raw min and max by compare-and-blend. */
  private static void gradient(float[] g, int n, Scans.GradientScan out) {
    int upper = n / (2 * VL) * (2 * VL);
    float[] buf = new float[VL];
    double ss = 0;
    float mn = Float.POSITIVE_INFINITY;
    float mx = Float.NEGATIVE_INFINITY;
    // only scalars cross blocks: vectors carried by the outer loop were boxed by C2 (JDK 17)
    for (int b = 0; b < upper; b += BLOCK) {
      int end = Math.min(b + BLOCK, upper);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector min = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
      FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int i = b; i < end; i += 2 * VL) {
        FloatVector u = FloatVector.fromArray(S, g, i);
        FloatVector v = FloatVector.fromArray(S, g, i + VL);
        s0 = u.fma(u, s0);
        s1 = v.fma(v, s1);
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
      float a = g[i];
      ss += (double) a * a;
      mn = Math.min(mn, a);
      mx = Math.max(mx, a);
    }
    out.gradSumSq = ss;
    out.finiteMin = mn;
    out.finiteMax = mx;
  }

  /**
   * The extremes are kept by compare-and-blend, twice as fast as the lane-wise {@link Math#min}
   * (which orders −0 before +0); so when an extreme is zero, a pass for the sign of the zeros makes
   * it what {@link Math#min}/{@link Math#max} would give. NaN never enters an extreme; it makes the
   * sum NaN, and then {@link Scans} rescans. Modified: {@code out}'s extremes.
   */
  private static void fixZeroSigns(float[] g, int n, Scans.GradientScan out) {
    float mn = out.finiteMin;
    float mx = out.finiteMax;
    if (mn != 0 && mx != 0) {
      return;
    }
    boolean negativeZero = false;
    boolean positiveZero = false;
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToRawIntBits(g[i]);
      negativeZero |= bits == NEGATIVE_ZERO_BITS;
      positiveZero |= bits == 0;
    }
    if (mn == 0) {
      out.finiteMin = negativeZero ? -0f : 0f;
    }
    if (mx == 0) {
      out.finiteMax = positiveZero ? 0f : -0f;
    }
  }

  @Override
  public void sumSqAndSumAbs(float[] u, int n, double[] out) {
    int upper = n / (2 * VL) * (2 * VL);
    float[] buf = new float[VL];
    double ss = 0;
    double sa = 0;
    for (int b = 0; b < upper; b += BLOCK) {
      int end = Math.min(b + BLOCK, upper);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = FloatVector.zero(S);
      for (int i = b; i < end; i += 2 * VL) {
        FloatVector x = FloatVector.fromArray(S, u, i);
        FloatVector y = FloatVector.fromArray(S, u, i + VL);
        s0 = x.fma(x, s0);
        s1 = y.fma(y, s1);
        a0 = a0.add(x.abs());
        a1 = a1.add(y.abs());
      }
      ss += lanes(s0.add(s1), buf);
      sa += lanes(a0.add(a1), buf);
    }
    double q = ss;
    double a = sa;
    for (int i = upper; i < n; i++) {
      q += (double) u[i] * u[i];
      a += Math.abs(u[i]);
    }
    if (exactNeeded(q) || !(a < Double.POSITIVE_INFINITY)) {
      sumSqAndSumAbsWide(u, n, out);
      return;
    }
    out[0] = q;
    out[1] = a;
  }

  /** {@link #sumSqAndSumAbs} with every element widened to double. */
  private static void sumSqAndSumAbsWide(float[] u, int n, double[] out) {
    int upper = n / (2 * HL) * (2 * HL);
    DoubleVector s0 = DoubleVector.zero(SD);
    DoubleVector s1 = DoubleVector.zero(SD);
    DoubleVector a0 = DoubleVector.zero(SD);
    DoubleVector a1 = DoubleVector.zero(SD);
    for (int i = 0; i < upper; i += 2 * HL) {
      DoubleVector c = (DoubleVector) FloatVector.fromArray(SH, u, i).convertShape(F2D, SD, 0);
      DoubleVector d = (DoubleVector) FloatVector.fromArray(SH, u, i + HL).convertShape(F2D, SD, 0);
      s0 = c.fma(c, s0);
      s1 = d.fma(d, s1);
      a0 = a0.add(c.abs());
      a1 = a1.add(d.abs());
    }
    double ss = lanes(s0.add(s1));
    double sa = lanes(a0.add(a1));
    for (int i = upper; i < n; i++) {
      ss += (double) u[i] * u[i];
      sa += Math.abs(u[i]);
    }
    out[0] = ss;
    out[1] = sa;
  }

  @Override
  public double sumSq(float[] x, int off, int n) {
    int upper = off + n / (2 * VL) * (2 * VL);
    float[] buf = new float[VL];
    double ss = 0;
    for (int b = off; b < upper; b += BLOCK) {
      int end = Math.min(b + BLOCK, upper);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      for (int i = b; i < end; i += 2 * VL) {
        FloatVector u = FloatVector.fromArray(S, x, i);
        FloatVector v = FloatVector.fromArray(S, x, i + VL);
        s0 = u.fma(u, s0);
        s1 = v.fma(v, s1);
      }
      ss += lanes(s0.add(s1), buf);
    }
    double q = ss;
    for (int i = upper; i < off + n; i++) {
      q += (double) x[i] * x[i];
    }
    return exactNeeded(q) ? sumSqWide(x, off, n) : q;
  }

  /** {@link #sumSq} with every element widened to double. */
  private static double sumSqWide(float[] x, int off, int n) {
    int upper = off + n / (2 * HL) * (2 * HL);
    DoubleVector s0 = DoubleVector.zero(SD);
    DoubleVector s1 = DoubleVector.zero(SD);
    for (int i = off; i < upper; i += 2 * HL) {
      DoubleVector c = (DoubleVector) FloatVector.fromArray(SH, x, i).convertShape(F2D, SD, 0);
      DoubleVector d = (DoubleVector) FloatVector.fromArray(SH, x, i + HL).convertShape(F2D, SD, 0);
      s0 = c.fma(c, s0);
      s1 = d.fma(d, s1);
    }
    double ss = lanes(s0.add(s1));
    for (int i = upper; i < off + n; i++) {
      ss += (double) x[i] * x[i];
    }
    return ss;
  }

  @Override
  public void shiftedMoments(float[] x, int n, double shift, double[] out) {
    float k = (float) shift;
    if (k != shift) {
      shiftedMomentsWide(x, n, shift, out); // x − shift would not be the float difference
      return;
    }
    int upper = n / (2 * VL) * (2 * VL);
    float[] buf = new float[VL];
    double ss = 0;
    double sq = 0;
    for (int b = 0; b < upper; b += BLOCK) {
      int end = Math.min(b + BLOCK, upper);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector q0 = FloatVector.zero(S);
      FloatVector q1 = FloatVector.zero(S);
      for (int i = b; i < end; i += 2 * VL) {
        FloatVector c = FloatVector.fromArray(S, x, i).sub(k);
        FloatVector d = FloatVector.fromArray(S, x, i + VL).sub(k);
        s0 = s0.add(c);
        s1 = s1.add(d);
        q0 = c.fma(c, q0);
        q1 = d.fma(d, q1);
      }
      ss += lanes(s0.add(s1), buf);
      sq += lanes(q0.add(q1), buf);
    }
    double s = ss;
    double q = sq;
    for (int i = upper; i < n; i++) {
      double c = x[i] - shift;
      s += c;
      q += c * c;
    }
    if (exactNeeded(q) || !Double.isFinite(s)) {
      shiftedMomentsWide(x, n, shift, out);
      return;
    }
    out[0] = s;
    out[1] = q;
  }

  /** {@link #shiftedMoments} with every element widened to double. */
  private static void shiftedMomentsWide(float[] x, int n, double shift, double[] out) {
    int upper = n / (2 * HL) * (2 * HL);
    DoubleVector k = DoubleVector.broadcast(SD, shift);
    DoubleVector s0 = DoubleVector.zero(SD);
    DoubleVector s1 = DoubleVector.zero(SD);
    DoubleVector q0 = DoubleVector.zero(SD);
    DoubleVector q1 = DoubleVector.zero(SD);
    for (int i = 0; i < upper; i += 2 * HL) {
      DoubleVector c =
          ((DoubleVector) FloatVector.fromArray(SH, x, i).convertShape(F2D, SD, 0)).sub(k);
      DoubleVector d =
          ((DoubleVector) FloatVector.fromArray(SH, x, i + HL).convertShape(F2D, SD, 0)).sub(k);
      s0 = s0.add(c);
      s1 = s1.add(d);
      q0 = c.fma(c, q0);
      q1 = d.fma(d, q1);
    }
    double s = lanes(s0.add(s1));
    double q = lanes(q0.add(q1));
    for (int i = upper; i < n; i++) {
      double c = x[i] - shift;
      s += c;
      q += c * c;
    }
    out[0] = s;
    out[1] = q;
  }

  @Override
  public long countOutside(float[] x, int n, float lo, float hi) {
    int upper = S.loopBound(n);
    long count = 0;
    for (int i = 0; i < upper; i += VL) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      count += v.compare(VectorOperators.LE, lo).or(v.compare(VectorOperators.GE, hi)).trueCount();
    }
    for (int i = upper; i < n; i++) {
      float v = x[i];
      count += (v <= lo | v >= hi) ? 1 : 0;
    }
    return count;
  }

  @Override
  public long countAbsAtLeast(float[] x, int n, float hi) {
    int upper = S.loopBound(n);
    long count = 0;
    for (int i = 0; i < upper; i += VL) {
      count += FloatVector.fromArray(S, x, i).abs().compare(VectorOperators.GE, hi).trueCount();
    }
    for (int i = upper; i < n; i++) {
      count += Math.abs(x[i]) >= hi ? 1 : 0;
    }
    return count;
  }

  @Override
  public void momentsAndPositive(
      float[] x, int rows, int units, double shift, double[] out, boolean[] active) {
    float k = (float) shift;
    if (k != shift) {
      // x − shift would not be the float difference
      shiftedMomentsWide(x, rows * units, shift, out);
      ScalarScans.INSTANCE.markPositive(x, rows, units, active);
      return;
    }
    int upper = S.loopBound(units);
    // the largest positive output of each unit so far (0 while none): row by row, so the output is
    // read in storage order once; a unit is active when its peak is above 0
    float[] peak = new float[upper];
    float[] buf = new float[VL];
    double s = 0;
    double q = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * units;
      // float sums of at most BLOCK terms, as the other loops; only scalars cross them
      for (int b = 0; b < upper; b += BLOCK) {
        int end = Math.min(b + BLOCK, upper);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector q0 = FloatVector.zero(S);
        for (int u = b; u < end; u += VL) {
          FloatVector v = FloatVector.fromArray(S, x, base + u);
          FloatVector c = v.sub(k);
          s0 = s0.add(c);
          q0 = c.fma(c, q0);
          FloatVector p = FloatVector.fromArray(S, peak, u);
          p.blend(v, v.compare(VectorOperators.GT, p)).intoArray(peak, u); // NaN never enters
        }
        s += lanes(s0, buf);
        q += lanes(q0, buf);
      }
      for (int u = upper; u < units; u++) {
        float v = x[base + u];
        double c = v - shift;
        s += c;
        q += c * c;
        active[u] |= v > 0;
      }
    }
    for (int u = 0; u < upper; u++) {
      active[u] |= peak[u] > 0;
    }
    if (exactNeeded(q) || !Double.isFinite(s)) {
      shiftedMomentsWide(x, rows * units, shift, out);
      return;
    }
    out[0] = s;
    out[1] = q;
  }

  /**
   * True when a float-block sum of squares cannot be trusted to {@code BLOCK·2⁻²⁴} relative: it is
   * NaN or infinite (an entry is, or a square overflowed float32 though not double), or below
   * {@link #TINY}, where squares that underflow float32 would dominate the error. Zero is below
   * too: an all-zero block may hide squares that underflowed. The wide loop then recomputes it.
   */
  private static boolean exactNeeded(double sumSq) {
    return !(sumSq >= TINY && sumSq < Double.POSITIVE_INFINITY);
  }

  /**
   * The lanes of a block's float sums added in lane order in double, through {@code buf} (length
   * {@code VL}): a store and {@code VL} scalar additions per block, where a lane-splitting float to
   * double conversion is not compiled to vector instructions on every JDK.
   */
  private static double lanes(FloatVector block, float[] buf) {
    block.intoArray(buf, 0);
    double s = 0;
    for (float x : buf) {
      s += x;
    }
    return s;
  }

  /** The lanes of {@code v} summed in lane order. */
  private static double lanes(DoubleVector v) {
    double[] a = new double[HL];
    v.intoArray(a, 0);
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s;
  }
}
