package org.gradguard.tensor.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.BinaryOp;

/**
 * Vectorised {@link org.gradguard.tensor.Backend#zip}, exactly equal to the reference (every
 * vectorised operation is a correctly rounded lane operation or a comparison).
 *
 * <p>Adjacent dimensions that both operands traverse contiguously, or both hold constant, are
 * merged; what remains is an outer loop over rows and an inner run in which each operand is either
 * contiguous (stride 1) or one broadcast value (stride 0). That covers equal shapes and scalar
 * broadcasting (a single run), row vectors broadcast over the last axis, and column vectors (one
 * value per row). A broadcast value is read from a vector-sized buffer at a fixed offset, so a
 * single loop per operation serves all four stride combinations. POW, and any operation or stride
 * pattern not covered, goes to {@link #fallback}.
 */
final class VectorZip {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  private VectorZip() {}

  /** The reference kernel for what this class does not cover. */
  interface Fallback {
    void zip(
        BinaryOp op,
        float[] a,
        int[] aStrides,
        float[] b,
        int[] bStrides,
        float[] out,
        int[] outShape);
  }

  static void zip(
      BinaryOp op,
      float[] a,
      int[] aStrides,
      float[] b,
      int[] bStrides,
      float[] out,
      int[] shape,
      Fallback fallback) {
    int rank = shape.length;
    if (rank == 0 || !vectorised(op) || shape[rank - 1] == 0) {
      fallback.zip(op, a, aStrides, b, bStrides, out, shape);
      return;
    }
    // merge trailing dimensions into one run of length len with strides sa, sb in {0, 1}
    int d = rank - 1;
    int sa = aStrides[d];
    int sb = bStrides[d];
    if (shape[d] == 1) {
      sa = 0;
      sb = 0;
    }
    if ((sa != 0 && sa != 1) || (sb != 0 && sb != 1)) {
      fallback.zip(op, a, aStrides, b, bStrides, out, shape);
      return;
    }
    int len = shape[d];
    for (d--; d >= 0; d--) {
      if (shape[d] == 0) {
        return;
      }
      if (shape[d] != 1 && (aStrides[d] != sa * len || bStrides[d] != sb * len)) {
        break;
      }
      len *= shape[d];
    }
    // dimensions 0..d form the outer loop
    int outerDims = d + 1;
    int rows = 1;
    for (int i = 0; i < outerDims; i++) {
      rows *= shape[i];
    }
    if (rows == 0) {
      return;
    }
    float[] aBuf = sa == 0 ? new float[VL] : a;
    float[] bBuf = sb == 0 ? new float[VL] : b;
    int[] idx = new int[outerDims];
    int ai = 0;
    int bi = 0;
    for (int row = 0, o = 0; row < rows; row++, o += len) {
      if (sa == 0) {
        Arrays.fill(aBuf, a[ai]);
      }
      if (sb == 0) {
        Arrays.fill(bBuf, b[bi]);
      }
      run(op, aBuf, sa == 0 ? 0 : ai, sa, bBuf, sb == 0 ? 0 : bi, sb, out, o, len);
      for (int k = outerDims - 1; k >= 0; k--) {
        idx[k]++;
        ai += aStrides[k];
        bi += bStrides[k];
        if (idx[k] < shape[k]) {
          break;
        }
        ai -= aStrides[k] * shape[k];
        bi -= bStrides[k] * shape[k];
        idx[k] = 0;
      }
    }
  }

  private static boolean vectorised(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, MAX, MIN, EQ, NE, LT, LE, GT, GE -> true;
      default -> false;
    };
  }

  /**
   * {@code out[o+i] = op(a[ai + i·sa], b[bi + i·sb])} for {@code i < len}, strides 0 or 1. A
   * stride-0 operand must be a buffer of at least one vector filled with its value. Each operation
   * is its own one-loop method with no vector-typed parameters, which C2 compiles into vector
   * instructions reliably (see {@link VectorMath}).
   */
  private static void run(
      BinaryOp op,
      float[] a,
      int ai,
      int sa,
      float[] b,
      int bi,
      int sb,
      float[] out,
      int o,
      int len) {
    int upper = S.loopBound(len);
    switch (op) {
      case ADD -> add(a, ai, sa, b, bi, sb, out, o, upper);
      case SUB -> sub(a, ai, sa, b, bi, sb, out, o, upper);
      case MUL -> mul(a, ai, sa, b, bi, sb, out, o, upper);
      case DIV -> div(a, ai, sa, b, bi, sb, out, o, upper);
      case MAX -> max(a, ai, sa, b, bi, sb, out, o, upper);
      case MIN -> min(a, ai, sa, b, bi, sb, out, o, upper);
      case EQ -> eq(a, ai, sa, b, bi, sb, out, o, upper);
      case NE -> ne(a, ai, sa, b, bi, sb, out, o, upper);
      case LT -> lt(a, ai, sa, b, bi, sb, out, o, upper);
      case LE -> le(a, ai, sa, b, bi, sb, out, o, upper);
      case GT -> gt(a, ai, sa, b, bi, sb, out, o, upper);
      case GE -> ge(a, ai, sa, b, bi, sb, out, o, upper);
      default -> throw new IllegalStateException("VectorZip: no vector loop for " + op);
    }
    for (int i = upper; i < len; i++) {
      out[o + i] = op.apply(a[ai + i * sa], b[bi + i * sb]);
    }
  }

  private static void add(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, a, ai + i * sa)
          .add(FloatVector.fromArray(S, b, bi + i * sb))
          .intoArray(out, o + i);
    }
  }

  private static void sub(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, a, ai + i * sa)
          .sub(FloatVector.fromArray(S, b, bi + i * sb))
          .intoArray(out, o + i);
    }
  }

  private static void mul(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, a, ai + i * sa)
          .mul(FloatVector.fromArray(S, b, bi + i * sb))
          .intoArray(out, o + i);
    }
  }

  private static void div(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, a, ai + i * sa)
          .div(FloatVector.fromArray(S, b, bi + i * sb))
          .intoArray(out, o + i);
    }
  }

  private static void max(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, a, ai + i * sa)
          .max(FloatVector.fromArray(S, b, bi + i * sb))
          .intoArray(out, o + i);
    }
  }

  private static void min(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector.fromArray(S, a, ai + i * sa)
          .min(FloatVector.fromArray(S, b, bi + i * sb))
          .intoArray(out, o + i);
    }
  }

  private static void eq(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector x = FloatVector.fromArray(S, a, ai + i * sa);
      FloatVector y = FloatVector.fromArray(S, b, bi + i * sb);
      x.broadcast(0f).blend(1f, x.compare(VectorOperators.EQ, y)).intoArray(out, o + i);
    }
  }

  private static void ne(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector x = FloatVector.fromArray(S, a, ai + i * sa);
      FloatVector y = FloatVector.fromArray(S, b, bi + i * sb);
      x.broadcast(0f).blend(1f, x.compare(VectorOperators.NE, y)).intoArray(out, o + i);
    }
  }

  private static void lt(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector x = FloatVector.fromArray(S, a, ai + i * sa);
      FloatVector y = FloatVector.fromArray(S, b, bi + i * sb);
      x.broadcast(0f).blend(1f, x.compare(VectorOperators.LT, y)).intoArray(out, o + i);
    }
  }

  private static void le(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector x = FloatVector.fromArray(S, a, ai + i * sa);
      FloatVector y = FloatVector.fromArray(S, b, bi + i * sb);
      x.broadcast(0f).blend(1f, x.compare(VectorOperators.LE, y)).intoArray(out, o + i);
    }
  }

  private static void gt(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector x = FloatVector.fromArray(S, a, ai + i * sa);
      FloatVector y = FloatVector.fromArray(S, b, bi + i * sb);
      x.broadcast(0f).blend(1f, x.compare(VectorOperators.GT, y)).intoArray(out, o + i);
    }
  }

  private static void ge(
      float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
    for (int i = 0; i < n; i += VL) {
      FloatVector x = FloatVector.fromArray(S, a, ai + i * sa);
      FloatVector y = FloatVector.fromArray(S, b, bi + i * sb);
      x.broadcast(0f).blend(1f, x.compare(VectorOperators.GE, y)).intoArray(out, o + i);
    }
  }
}
