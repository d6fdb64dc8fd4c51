package org.gradguard.tensor.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendental functions over float arrays, built only from exactly rounded lane operations (add,
 * multiply, fused multiply-add, divide, integer and bit operations).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: on the machines we measured it is not
 * intrinsified (30–150 ns per element, slower than scalar {@link Math#exp}), and where it is, its
 * results may differ between the interpreter and compiled code — which would break bit-identical
 * reruns. The routines here give the same bits in every execution mode.
 *
 * <p>The polynomials are Stephen Moshier's single-precision Cephes ones ({@code expf}, {@code
 * logf}, {@code tanhf}). Accuracy against the correctly rounded result, checked by {@code
 * VectorBackendMapTest}: at most 2 units in the last place, with the reference's special values
 * (NaN, ±∞, ±0, subnormal results).
 *
 * <p>Shape of the code, for the JIT: every method is one loop over whole vectors with array and int
 * parameters only. A method that takes or returns a vector is not reliably inlined, and an
 * out-of-line vector is boxed on the heap, which costs an order of magnitude; so {@code tanh} and
 * {@code sigmoid} run {@code exp} as a separate pass over cache-sized chunks instead of calling it
 * per vector. All lengths {@code n} are multiples of the vector length.
 *
 * <p>The passes of {@code tanh} and {@code sigmoid} are called through one interface call site that
 * sees all of them ({@link #runPasses}), which C2 compiles as a megamorphic virtual call and so
 * never inlines: each pass is compiled on its own, within its own inlining budget. Called directly,
 * the passes were inlined into {@code tanh} until C2 hit its node-count cutoff in the middle of
 * one, whose store then ran as the Vector API's boxed Java fallback — a fifth of a W2 (deep-narrow)
 * training step.
 */
final class VectorMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Elements per pass of the two-pass functions: small enough to stay in the L1 cache. */
  static final int CHUNK = 512;

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
   * {@code out[oi+i] = e^x[xi+i]}. Range reduction {@code x = n·ln2 + r} with {@code |r| ≤ ln2/2},
   * a degree-7 polynomial for {@code e^r}, and scaling by {@code 2^n} in two steps so that results
   * in the subnormal range round once. Overflows to +∞ above about 88.72, underflows to 0 below
   * about -103.97; NaN gives NaN. {@code out} may be {@code x} at the same offset.
   */
  static void exp(float[] x, int xi, float[] out, int oi, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector xc = FloatVector.fromArray(S, x, xi + i).max(-104f).min(88.8f); // NaN stays
      FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
      FloatVector k = t.sub(ROUND_MAGIC);
      IntVector ki = (IntVector) t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
      FloatVector r = k.fma(k.broadcast(-LN2_HI), xc);
      r = k.fma(k.broadcast(-LN2_LO), r);
      FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
      p = p.fma(r, r.broadcast(8.3334519073e-3f));
      p = p.fma(r, r.broadcast(4.1665795894e-2f));
      p = p.fma(r, r.broadcast(1.6666665459e-1f));
      p = p.fma(r, r.broadcast(5.0000001201e-1f));
      p = p.fma(r.mul(r), r).add(1f);
      IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
      IntVector k2 = ki.sub(k1);
      FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      p.mul(s1).mul(s2).intoArray(out, oi + i);
    }
  }

  /**
   * {@code out[i] = ln x[i]}. Splits {@code x = m·2^e} with {@code m ∈ [√½, √2)} (subnormals are
   * scaled up first) and evaluates {@code ln m} by a degree-9 polynomial in {@code m - 1}. Negative
   * and NaN give NaN, ±0 gives -∞, +∞ gives +∞. {@code out} may be {@code x}.
   */
  static void log(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      VectorMask<Float> sub = v.lt(Float.MIN_NORMAL);
      IntVector bits = v.blend(v.mul(8388608f), sub).reinterpretAsInts(); // ·2^23
      IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(126);
      e = e.blend(e.sub(23), sub.cast(e.species()));
      FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats(); // [0.5, 1)
      VectorMask<Float> lowM = m.lt(SQRT_HALF);
      e = e.blend(e.sub(1), lowM.cast(e.species()));
      FloatVector f = m.blend(m.add(m), lowM).sub(1f);
      FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
      FloatVector z = f.mul(f);
      FloatVector y = f.fma(7.0376836292e-2f, -1.1514610310e-1f);
      y = y.fma(f, f.broadcast(1.1676998740e-1f));
      y = y.fma(f, f.broadcast(-1.2420140846e-1f));
      y = y.fma(f, f.broadcast(1.4249322787e-1f));
      y = y.fma(f, f.broadcast(-1.6668057665e-1f));
      y = y.fma(f, f.broadcast(2.0000714765e-1f));
      y = y.fma(f, f.broadcast(-2.4999993993e-1f));
      y = y.fma(f, f.broadcast(3.3333331174e-1f));
      y = y.mul(f).mul(z);
      y = fe.fma(fe.broadcast(LN2_LO), y);
      y = z.fma(z.broadcast(-0.5f), y);
      FloatVector r = f.add(y);
      r = fe.fma(fe.broadcast(LN2_HI), r);
      r = r.blend(Float.NEGATIVE_INFINITY, v.eq(0f));
      r = r.blend(Float.POSITIVE_INFINITY, v.eq(Float.POSITIVE_INFINITY));
      r.blend(Float.NaN, v.lt(0f).or(v.test(VectorOperators.IS_NAN))).intoArray(out, i);
    }
  }

  /**
   * {@code out[i] = tanh x[i]}, odd: below {@code |x| = 0.625} an odd polynomial {@code x +
   * x³P(x²)} (so -0 stays -0); above, {@code 1 - 2/(e^{2|x|} + 1)} with the sign of {@code x},
   * which saturates to exactly ±1. {@code out} may be {@code x}; {@code scratch} holds at least
   * {@link #CHUNK} floats.
   */
  static void tanh(float[] x, float[] out, int n, float[] scratch) {
    runPasses(TANH_PASSES, x, out, n, scratch);
  }

  /**
   * One pass of a two- or more-pass function over a chunk: reads {@code x[xi ..]} and/or {@code
   * scratch[0 ..]}, writes {@code scratch} or {@code out[xi ..]}, {@code n ≤ CHUNK} elements.
   */
  @FunctionalInterface
  private interface Pass {
    void run(float[] x, int xi, float[] scratch, float[] out, int n);
  }

  private static final Pass[] TANH_PASSES = {
    (x, xi, scratch, out, n) -> twiceAbs(x, xi, scratch, n),
    (x, xi, scratch, out, n) -> exp(scratch, 0, scratch, 0, n),
    (x, xi, scratch, out, n) -> tanhLarge(x, xi, scratch, n),
    (x, xi, scratch, out, n) -> tanhFinish(x, xi, scratch, out, n)
  };

  private static final Pass[] SIGMOID_PASSES = {
    (x, xi, scratch, out, n) -> negAbs(x, xi, scratch, n),
    (x, xi, scratch, out, n) -> exp(scratch, 0, scratch, 0, n),
    (x, xi, scratch, out, n) -> sigmoidFinish(x, xi, scratch, out, n)
  };

  /**
   * Runs {@code passes} in order over each chunk of {@link #CHUNK} elements; see the class docs.
   */
  private static void runPasses(Pass[] passes, float[] x, float[] out, int n, float[] scratch) {
    for (int c = 0; c < n; c += CHUNK) {
      int len = Math.min(CHUNK, n - c);
      for (Pass pass : passes) {
        pass.run(x, c, scratch, out, len); // megamorphic on purpose: not inlined
      }
    }
  }

  private static void twiceAbs(float[] x, int xi, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector a = FloatVector.fromArray(S, x, xi + i).abs();
      a.add(a).intoArray(out, i);
    }
  }

  /**
   * Given {@code e = e^{2|x|}}, overwrites it with the large-|x| branch of {@link #tanh}, {@code
   * ±(1 - 2/(e + 1))} with the sign of x. A pass of its own: with both branches in one loop, C2
   * (JDK 17) ran out of inlining budget and left the final store as a boxed, un-intrinsified call.
   */
  private static void tanhLarge(float[] x, int xi, float[] e, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector v = FloatVector.fromArray(S, x, xi + i);
      FloatVector ev = FloatVector.fromArray(S, e, i);
      FloatVector large = ev.broadcast(2f).div(ev.add(1f)).neg().add(1f);
      large.blend(large.neg(), v.lt(0f)).intoArray(e, i);
    }
  }

  /** Given the large branch in {@code large}, evaluates the small one and picks per lane. */
  private static void tanhFinish(float[] x, int xi, float[] large, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector v = FloatVector.fromArray(S, x, xi + i);
      FloatVector a = v.abs();
      FloatVector z = a.mul(a);
      FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f);
      p = p.fma(z, z.broadcast(-5.37397155531e-2f));
      p = p.fma(z, z.broadcast(1.33314422036e-1f));
      p = p.fma(z, z.broadcast(-3.33332819422e-1f));
      // the odd polynomial on the signed x is the negated one on |x|, bit for bit, -0 included
      FloatVector small = p.mul(z).fma(v, v);
      FloatVector.fromArray(S, large, i).blend(small, a.lt(0.625f)).intoArray(out, xi + i);
    }
  }

  /**
   * {@code out[i] = 1/(1 + e^{-x[i]})}, as {@code 1/(1 + e^{-|x|})} for {@code x ≥ 0} and {@code
   * e^{-|x|}/(1 + e^{-|x|})} below, so that nothing overflows. {@code out} may be {@code x}; {@code
   * scratch} holds at least {@link #CHUNK} floats.
   */
  static void sigmoid(float[] x, float[] out, int n, float[] scratch) {
    runPasses(SIGMOID_PASSES, x, out, n, scratch);
  }

  private static void negAbs(float[] x, int xi, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, x, xi + i).abs().neg().intoArray(out, i);
    }
  }

  /** Given {@code e = e^{-|x|}}, the two branches of {@link #sigmoid}. */
  private static void sigmoidFinish(float[] x, int xi, float[] e, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector v = FloatVector.fromArray(S, x, xi + i);
      FloatVector ev = FloatVector.fromArray(S, e, i);
      FloatVector num = ev.blend(1f, v.compare(VectorOperators.GE, 0f));
      num.div(ev.add(1f)).intoArray(out, xi + i);
    }
  }
}
