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
 * sumOfSquares} and the sums of {@code copyMeasured} and {@code addInPlaceMeasured} add in a
 * different order (vectors of partial sums in double). Tails shorter than a vector run the scalar
 * formula.
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
    } else {
      // buf = (float) (momentum·buf + keep·d)
      int upper = (n - 1) / HL * HL; // the tail always runs: see addScaledInPlace
      int i = 0;
      for (; i < upper; i += HL) {
        DoubleVector b =
            ((DoubleVector)
                FloatVector.fromArray(SH, buf, i).convertShape(VectorOperators.F2D, SD, 0));
        DoubleVector g =
            ((DoubleVector)
                FloatVector.fromArray(SH, d, i).convertShape(VectorOperators.F2D, SD, 0));
        ((FloatVector) b.mul(momentum).add(g.mul(keep)).convertShape(VectorOperators.D2F, SH, 0))
            .intoArray(buf, i);
      }
      for (; i < n; i++) {
        buf[i] = (float) (momentum * buf[i] + keep * d[i]);
      }
    }
    if (nesterov) {
      addScaledInPlace(d, buf, n, momentum);
    } else {
      System.arraycopy(buf, 0, d, 0, n);
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

  static void copyMeasured(float[] src, float[] dst, int n, double[] out) {
    // lane-wise MIN and MAX are Math.min and Math.max (NaN sticks, −0 < +0), so the extremes
    // equal the reference's exactly; only the sum of squares adds in another order
    FloatVector mn = FloatVector.broadcast(SH, Float.POSITIVE_INFINITY);
    FloatVector mx = FloatVector.broadcast(SH, Float.NEGATIVE_INFINITY);
    DoubleVector s0 = DoubleVector.zero(SD);
    DoubleVector s1 = DoubleVector.zero(SD);
    int upper = (n - 1) / (2 * HL) * (2 * HL); // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += 2 * HL) {
      FloatVector a = FloatVector.fromArray(SH, src, i);
      FloatVector b = FloatVector.fromArray(SH, src, i + HL);
      a.intoArray(dst, i);
      b.intoArray(dst, i + HL);
      mn = mn.min(a).min(b);
      mx = mx.max(a).max(b);
      DoubleVector da = (DoubleVector) a.convertShape(VectorOperators.F2D, SD, 0);
      DoubleVector db = (DoubleVector) b.convertShape(VectorOperators.F2D, SD, 0);
      s0 = s0.add(da.mul(da));
      s1 = s1.add(db.mul(db));
    }
    double s = lanes(s0.add(s1));
    float min = mn.reduceLanes(VectorOperators.MIN);
    float max = mx.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      float v = src[i];
      dst[i] = v;
      double a = v;
      s += a * a;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    out[0] = s;
    out[1] = min;
    out[2] = max;
  }

  static void addInPlaceMeasured(float[] x, float[] y, int n, double[] out) {
    DoubleVector xs = DoubleVector.zero(SD);
    DoubleVector xa = DoubleVector.zero(SD);
    DoubleVector ys = DoubleVector.zero(SD);
    DoubleVector ya = DoubleVector.zero(SD);
    int upper = (n - 1) / HL * HL; // the tail always runs: see addScaledInPlace
    int i = 0;
    for (; i < upper; i += HL) {
      FloatVector a = FloatVector.fromArray(SH, x, i);
      FloatVector b = FloatVector.fromArray(SH, y, i);
      a.add(b).intoArray(x, i);
      DoubleVector da = (DoubleVector) a.convertShape(VectorOperators.F2D, SD, 0);
      DoubleVector db = (DoubleVector) b.convertShape(VectorOperators.F2D, SD, 0);
      xs = xs.add(da.mul(da));
      xa = xa.add(da.abs());
      ys = ys.add(db.mul(db));
      ya = ya.add(db.abs());
    }
    double sxs = lanes(xs);
    double sxa = lanes(xa);
    double sys = lanes(ys);
    double sya = lanes(ya);
    for (; i < n; i++) {
      double a = x[i];
      double b = y[i];
      sxs += a * a;
      sxa += Math.abs(a);
      sys += b * b;
      sya += Math.abs(b);
      x[i] = x[i] + y[i];
    }
    out[0] = sxs;
    out[1] = sxa;
    out[2] = sys;
    out[3] = sya;
  }

  /** The lanes of {@code v} added in lane order. */
  private static double lanes(DoubleVector v) {
    double[] a = new double[HL];
    v.intoArray(a, 0);
    double s = 0;
    for (double lane : a) {
      s += lane;
    }
    return s;
  }
}
