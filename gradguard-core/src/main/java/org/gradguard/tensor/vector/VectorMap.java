package org.gradguard.tensor.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.UnaryOp;

/**
 * Vectorised {@link org.gradguard.tensor.Backend#map}. NEG, ABS, SQRT, RELU, SIGN, SQUARE and
 * NON_FINITE give exactly the reference's values; EXP, LOG, TANH and SIGMOID use {@link VectorMath}
 * and agree with the reference to a few units in the last place.
 *
 * <p>Elements past the last whole vector are copied into a vector-sized buffer and go through the
 * same vector code, so an element's result does not depend on its position. Operations this class
 * does not know run the scalar definition {@link UnaryOp#apply}.
 */
final class VectorMap {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  private VectorMap() {}

  /** {@code out[i] = op(x[i])} for {@code i < n}; {@code out} may be {@code x}. */
  static void map(UnaryOp op, float[] x, float[] out, int n) {
    int upper = S.loopBound(n);
    if (!run(op, x, out, 0, upper)) {
      for (int i = 0; i < n; i++) {
        out[i] = op.apply(x[i]);
      }
      return;
    }
    if (upper < n) {
      float[] tail = new float[VL];
      System.arraycopy(x, upper, tail, 0, n - upper);
      run(op, tail, tail, 0, VL);
      System.arraycopy(tail, 0, out, upper, n - upper);
    }
  }

  /**
   * Applies {@code op} to whole vectors in {@code [from, to)}; returns false, doing nothing, for an
   * op without a vector form. One loop per op keeps every vector operator a compile-time constant,
   * which the JIT needs to emit vector instructions.
   */
  private static boolean run(UnaryOp op, float[] x, float[] out, int from, int to) {
    switch (op) {
      case NEG -> {
        for (int i = from; i < to; i += VL) {
          v(x, i).neg().intoArray(out, i);
        }
      }
      case ABS -> {
        for (int i = from; i < to; i += VL) {
          v(x, i).abs().intoArray(out, i);
        }
      }
      case SQRT -> {
        for (int i = from; i < to; i += VL) {
          v(x, i).lanewise(VectorOperators.SQRT).intoArray(out, i);
        }
      }
      case SQUARE -> {
        for (int i = from; i < to; i += VL) {
          FloatVector a = v(x, i);
          a.mul(a).intoArray(out, i);
        }
      }
      case RELU -> {
        // x > 0 ? x : 0, so NaN and -0 give +0 as in the reference
        for (int i = from; i < to; i += VL) {
          FloatVector a = v(x, i);
          FloatVector.zero(S).blend(a, a.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
      }
      case SIGN -> {
        // Math.signum: ±1, and ±0 and NaN returned unchanged
        for (int i = from; i < to; i += VL) {
          FloatVector a = v(x, i);
          FloatVector s = a.blend(1f, a.compare(VectorOperators.GT, 0f));
          s.blend(-1f, a.compare(VectorOperators.LT, 0f)).intoArray(out, i);
        }
      }
      case NON_FINITE -> {
        for (int i = from; i < to; i += VL) {
          FloatVector a = v(x, i);
          FloatVector.zero(S).blend(1f, a.test(VectorOperators.IS_FINITE).not()).intoArray(out, i);
        }
      }
      case EXP -> {
        for (int i = from; i < to; i += VL) {
          VectorMath.exp(v(x, i)).intoArray(out, i);
        }
      }
      case LOG -> {
        for (int i = from; i < to; i += VL) {
          VectorMath.log(v(x, i)).intoArray(out, i);
        }
      }
      case TANH -> {
        for (int i = from; i < to; i += VL) {
          VectorMath.tanh(v(x, i)).intoArray(out, i);
        }
      }
      case SIGMOID -> {
        for (int i = from; i < to; i += VL) {
          VectorMath.sigmoid(v(x, i)).intoArray(out, i);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static FloatVector v(float[] x, int i) {
    return FloatVector.fromArray(S, x, i);
  }
}
