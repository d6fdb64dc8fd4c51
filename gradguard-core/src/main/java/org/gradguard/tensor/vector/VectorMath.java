package org.gradguard.tensor.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Transcendental functions on float vectors, built only from exactly rounded lane operations (add,
 * multiply, fused multiply-add, divide, integer and bit operations).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: on the machines we measured it is not
 * intrinsified (30–150 ns per element, slower than scalar {@link Math#exp}), and where it is, its
 * results may differ between the interpreter and compiled code — which would break bit-identical
 * reruns. The routines here give the same bits in every execution mode.
 *
 * <p>The polynomials are Stephen Moshier's single-precision Cephes ones ({@code expf}, {@code
 * logf}, {@code tanhf}). Accuracy against the correctly rounded result, checked by {@code
 * VectorBackendMapTest}: at most a few units in the last place over the whole float range, with the
 * reference's special values (NaN, ±∞, ±0, subnormal results).
 */
final class VectorMath {
  private static final float LOG2E = 1.44269504088896341f;
  // 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer in the low mantissa bits
  private static final float ROUND_MAGIC = 12582912f;
  private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
  // ln 2 split in two: LN2_HI has few significant bits, so n·LN2_HI is exact
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float SQRT_HALF = 0.707106781186547524f;

  private VectorMath() {}

  /**
   * {@code e^x}. Range reduction {@code x = n·ln2 + r} with {@code |r| ≤ ln2/2}, a degree-7
   * polynomial for {@code e^r}, and scaling by {@code 2^n} in two steps so that results in the
   * subnormal range round once. Overflows to +∞ above about 88.72, underflows to 0 below about
   * -103.97; NaN gives NaN.
   */
  static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(-104f).min(88.8f); // NaN stays NaN
    FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
    FloatVector n = t.sub(ROUND_MAGIC);
    IntVector ni = (IntVector) t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
    FloatVector r = mulAdd(n, -LN2_HI, xc);
    r = mulAdd(n, -LN2_LO, r);
    FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
    p = mulAdd(p, r, 8.3334519073e-3f);
    p = mulAdd(p, r, 4.1665795894e-2f);
    p = mulAdd(p, r, 1.6666665459e-1f);
    p = mulAdd(p, r, 5.0000001201e-1f);
    p = p.fma(r.mul(r), r).add(1f);
    IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
    IntVector n2 = ni.sub(n1);
    FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(s1).mul(s2);
  }

  /**
   * {@code ln x}. Splits {@code x = m·2^e} with {@code m ∈ [√½, √2)} (subnormals are scaled up
   * first) and evaluates {@code ln m} by a degree-9 polynomial in {@code m - 1}. Negative and NaN
   * give NaN, ±0 gives -∞, +∞ gives +∞.
   */
  static FloatVector log(FloatVector x) {
    VectorMask<Float> sub = x.lt(Float.MIN_NORMAL);
    FloatVector xs = x.blend(x.mul(8388608f), sub); // ·2^23
    IntVector bits = xs.reinterpretAsInts();
    IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(126);
    e = e.blend(e.sub(23), sub.cast(e.species()));
    FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats(); // [0.5, 1)
    VectorMask<Float> lowM = m.lt(SQRT_HALF);
    e = e.blend(e.sub(1), lowM.cast(e.species()));
    FloatVector f = m.blend(m.add(m), lowM).sub(1f);
    FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
    FloatVector z = f.mul(f);
    FloatVector y = f.fma(7.0376836292e-2f, -1.1514610310e-1f);
    y = mulAdd(y, f, 1.1676998740e-1f);
    y = mulAdd(y, f, -1.2420140846e-1f);
    y = mulAdd(y, f, 1.4249322787e-1f);
    y = mulAdd(y, f, -1.6668057665e-1f);
    y = mulAdd(y, f, 2.0000714765e-1f);
    y = mulAdd(y, f, -2.4999993993e-1f);
    y = mulAdd(y, f, 3.3333331174e-1f);
    y = y.mul(f).mul(z);
    y = mulAdd(fe, LN2_LO, y);
    y = mulAdd(z, -0.5f, y);
    FloatVector r = f.add(y);
    r = mulAdd(fe, LN2_HI, r);
    r = r.blend(Float.NEGATIVE_INFINITY, x.eq(0f));
    r = r.blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY));
    return r.blend(Float.NaN, x.lt(0f).or(x.test(VectorOperators.IS_NAN)));
  }

  /**
   * {@code tanh x}, odd: evaluated at {@code |x|} and given the sign of {@code x} (so -0 stays -0).
   * Below {@code |x| = 0.625} an odd polynomial {@code a + a³P(a²)}; above, {@code 1 - 2/(e^{2a} +
   * 1)}, which saturates to exactly 1.
   */
  static FloatVector tanh(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector z = a.mul(a);
    FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f);
    p = mulAdd(p, z, -5.37397155531e-2f);
    p = mulAdd(p, z, 1.33314422036e-1f);
    p = mulAdd(p, z, -3.33332819422e-1f);
    FloatVector small = p.mul(z).fma(a, a);
    FloatVector twoOver = FloatVector.broadcast(x.species(), 2f).div(exp(a.add(a)).add(1f));
    FloatVector large = twoOver.neg().add(1f);
    FloatVector y = large.blend(small, a.lt(0.625f));
    IntVector sign = x.reinterpretAsInts().and(0x80000000);
    return y.reinterpretAsInts().or(sign).reinterpretAsFloats();
  }

  /**
   * The logistic function {@code 1/(1 + e^{-x})}, as {@code 1/(1 + e^{-|x|})} for {@code x ≥ 0} and
   * {@code e^{-|x|}/(1 + e^{-|x|})} below, so that nothing overflows.
   */
  static FloatVector sigmoid(FloatVector x) {
    FloatVector e = exp(x.abs().neg());
    FloatVector num = e.blend(1f, x.compare(VectorOperators.GE, 0f));
    return num.div(e.add(1f));
  }

  /** {@code a·b + c} with one rounding. */
  private static FloatVector mulAdd(FloatVector a, FloatVector b, float c) {
    return a.fma(b, a.broadcast(c));
  }

  /** {@code a·b + c} with one rounding. */
  private static FloatVector mulAdd(FloatVector a, float b, FloatVector c) {
    return a.fma(a.broadcast(b), c);
  }
}
