package org.gradguard.tensor.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.UnaryOp;

/**
 * Vectorised {@link org.gradguard.tensor.Backend#map}. NEG, ABS, SQRT, RELU, SIGN, SQUARE and
 * NON_FINITE give exactly the reference's values; EXP, LOG, TANH and SIGMOID use {@link VectorMath}
 * and agree with the reference to 2 units in the last place.
 *
 * <p>Elements past the last whole vector are copied into a vector-sized buffer and go through the
 * same vector code, so an element's result does not depend on its position. Operations this class
 * does not know run the scalar definition {@link UnaryOp#apply}. Each operation is its own small
 * method with one loop and no vector-typed parameters, which is what C2 compiles into vector
 * instructions reliably (see {@link VectorMath}).
 */
final class VectorMap {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  private VectorMap() {}

  /** {@code out[i] = op(x[i])} for {@code i < n}; {@code out} may be {@code x}. */
  static void map(UnaryOp op, float[] x, float[] out, int n) {
    int whole = S.loopBound(n);
    if (!apply(op, x, out, whole)) {
      for (int i = 0; i < n; i++) {
        out[i] = op.apply(x[i]);
      }
      return;
    }
    if (whole < n) {
      float[] tail = new float[VL];
      System.arraycopy(x, whole, tail, 0, n - whole);
      apply(op, tail, tail, VL);
      System.arraycopy(tail, 0, out, whole, n - whole);
    }
  }

  /** Applies {@code op} to the first {@code n} elements, a multiple of VL; false if unknown. */
  private static boolean apply(UnaryOp op, float[] x, float[] out, int n) {
    switch (op) {
      case NEG -> neg(x, out, n);
      case ABS -> abs(x, out, n);
      case SQRT -> sqrt(x, out, n);
      case SQUARE -> square(x, out, n);
      case RELU -> relu(x, out, n);
      case SIGN -> sign(x, out, n);
      case NON_FINITE -> nonFinite(x, out, n);
      case EXP -> VectorMath.exp(x, 0, out, 0, n);
      case LOG -> VectorMath.log(x, out, n);
      case TANH -> VectorMath.tanh(x, out, n, new float[Math.min(n, VectorMath.CHUNK)]);
      case SIGMOID -> VectorMath.sigmoid(x, out, n, new float[Math.min(n, VectorMath.CHUNK)]);
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void neg(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, x, i).neg().intoArray(out, i);
    }
  }

  private static void abs(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, x, i).abs().intoArray(out, i);
    }
  }

  private static void sqrt(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, x, i).lanewise(VectorOperators.SQRT).intoArray(out, i);
    }
  }

  private static void square(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector a = FloatVector.fromArray(S, x, i);
      a.mul(a).intoArray(out, i);
    }
  }

  /** {@code Math.max(x, 0)} lane by lane, as the reference: NaN stays NaN, −0 gives +0. */
  private static void relu(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector a = FloatVector.fromArray(S, x, i);
      a.max(0f).intoArray(out, i);
    }
  }

  /** {@link Math#signum}: ±1, and ±0 and NaN unchanged. */
  private static void sign(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector a = FloatVector.fromArray(S, x, i);
      a.blend(1f, a.compare(VectorOperators.GT, 0f))
          .blend(-1f, a.compare(VectorOperators.LT, 0f))
          .intoArray(out, i);
    }
  }

  private static void nonFinite(float[] x, float[] out, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector a = FloatVector.fromArray(S, x, i);
      a.broadcast(0f).blend(1f, a.test(VectorOperators.IS_FINITE).not()).intoArray(out, i);
    }
  }
}
