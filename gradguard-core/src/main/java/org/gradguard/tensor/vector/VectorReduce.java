package org.gradguard.tensor.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.gradguard.tensor.ReduceOp;

/**
 * Vectorised {@link org.gradguard.tensor.Backend#reduce} of the middle axis of {@code [outer, len,
 * inner]}.
 *
 * <p>Sums accumulate in double, as the reference does. With {@code inner > 1} each output keeps one
 * double accumulator and adds {@code l = 0..len-1} in order — exactly the reference's operations,
 * so the sums are bit-identical. With {@code inner == 1} each row is summed in two vectors of
 * {@code VL/2} double lanes, the two are added, then their lanes in order, then the remainder; in
 * double the difference from a sequential sum is far below float32 rounding. Maximum and minimum
 * follow {@link Math#max}/{@link Math#min}: NaN propagates, and {@code -0 < +0} (the reference
 * keeps whichever zero comes first; the values compare equal).
 */
final class VectorReduce {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Half-width floats, converted lane for lane to full-width doubles. */
  private static final VectorSpecies<Float> SH =
      VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));

  private static final VectorSpecies<Double> SD =
      VectorSpecies.of(double.class, VectorShape.forBitSize(SH.length() * 64));
  private static final int HL = SH.length();

  /** Inner columns summed per pass, so the double accumulators stay in the L1 cache. */
  private static final int COLUMN_BLOCK = 1024;

  private VectorReduce() {}

  /** SUM, MAX and MIN, the operations {@link #reduce} knows. */
  static boolean covers(ReduceOp op) {
    return op == ReduceOp.SUM || op == ReduceOp.MAX || op == ReduceOp.MIN;
  }

  /** The {@link org.gradguard.tensor.Backend#reduce} contract, for an op that {@link #covers}. */
  static void reduce(ReduceOp op, float[] x, int outer, int len, int inner, float[] out) {
    if (op == ReduceOp.SUM) {
      if (inner == 1) {
        for (int o = 0; o < outer; o++) {
          out[o] = (float) sumRow(x, o * len, len);
        }
      } else {
        double[] acc = new double[Math.min(inner, COLUMN_BLOCK)];
        for (int o = 0; o < outer; o++) {
          sumColumns(x, o * len * inner, len, inner, out, o * inner, acc);
        }
      }
      return;
    }
    boolean max = op == ReduceOp.MAX;
    for (int o = 0; o < outer; o++) {
      if (inner == 1) {
        out[o] = extremeRow(max, x, o * len, len);
      } else {
        extremeColumns(max, x, o * len * inner, len, inner, out, o * inner);
      }
    }
  }

  /** {@code Σ x[off .. off+len)} in double. */
  static double sumRow(float[] x, int off, int len) {
    DoubleVector s0 = DoubleVector.zero(SD);
    DoubleVector s1 = DoubleVector.zero(SD);
    int upper = len / (2 * HL) * (2 * HL);
    int i = 0;
    for (; i < upper; i += 2 * HL) {
      // widening inline: a method returning a vector would not be compiled reliably
      s0 = s0.add(FloatVector.fromArray(SH, x, off + i).convertShape(VectorOperators.F2D, SD, 0));
      s1 =
          s1.add(
              FloatVector.fromArray(SH, x, off + i + HL).convertShape(VectorOperators.F2D, SD, 0));
    }
    double[] lanes = new double[HL];
    s0.add(s1).intoArray(lanes, 0);
    double s = 0;
    for (double lane : lanes) {
      s += lane;
    }
    for (; i < len; i++) {
      s += x[off + i];
    }
    return s;
  }

  /** {@code out[oOff + j] = Σ_l x[off + l·inner + j]}, each column summed in order in double. */
  private static void sumColumns(
      float[] x, int off, int len, int inner, float[] out, int oOff, double[] acc) {
    for (int j0 = 0; j0 < inner; j0 += acc.length) {
      int cols = Math.min(acc.length, inner - j0);
      java.util.Arrays.fill(acc, 0, cols, 0d);
      // the scalar tail always runs (see VectorDense.addScaledInPlace): 1..HL columns, not 0..HL-1
      int upper = (cols - 1) / HL * HL;
      for (int l = 0, row = off + j0; l < len; l++, row += inner) {
        int j = 0;
        for (; j < upper; j += HL) {
          DoubleVector.fromArray(SD, acc, j)
              .add(FloatVector.fromArray(SH, x, row + j).convertShape(VectorOperators.F2D, SD, 0))
              .intoArray(acc, j);
        }
        for (; j < cols; j++) {
          acc[j] += x[row + j];
        }
      }
      for (int j = 0; j < cols; j++) {
        out[oOff + j0 + j] = (float) acc[j];
      }
    }
  }

  /** The maximum (or minimum) of {@code x[off .. off+len)}, {@code len > 0}. */
  private static float extremeRow(boolean max, float[] x, int off, int len) {
    int i = 0;
    float m = x[off];
    if (len >= 2 * VL) {
      float[] lanes = new float[VL];
      // one method per operator: a vector must not flow through a branch (see VectorGemm.kernelAdd)
      if (max) {
        maxLanes(x, off, len, lanes);
      } else {
        minLanes(x, off, len, lanes);
      }
      m = lanes[0];
      for (int l = 1; l < VL; l++) {
        m = max ? Math.max(m, lanes[l]) : Math.min(m, lanes[l]);
      }
      i = S.loopBound(len);
    }
    for (; i < len; i++) {
      m = max ? Math.max(m, x[off + i]) : Math.min(m, x[off + i]);
    }
    return m;
  }

  /** Lane-wise maxima of the whole vectors of {@code x[off .. off+len)}, into {@code lanes}. */
  private static void maxLanes(float[] x, int off, int len, float[] lanes) {
    FloatVector acc = FloatVector.fromArray(S, x, off);
    int upper = S.loopBound(len);
    for (int i = VL; i < upper; i += VL) {
      acc = acc.max(FloatVector.fromArray(S, x, off + i));
    }
    acc.intoArray(lanes, 0);
  }

  /** Lane-wise minima of the whole vectors of {@code x[off .. off+len)}, into {@code lanes}. */
  private static void minLanes(float[] x, int off, int len, float[] lanes) {
    FloatVector acc = FloatVector.fromArray(S, x, off);
    int upper = S.loopBound(len);
    for (int i = VL; i < upper; i += VL) {
      acc = acc.min(FloatVector.fromArray(S, x, off + i));
    }
    acc.intoArray(lanes, 0);
  }

  /** Columnwise maximum (or minimum) over {@code len} rows of {@code inner} values. */
  private static void extremeColumns(
      boolean max, float[] x, int off, int len, int inner, float[] out, int oOff) {
    System.arraycopy(x, off, out, oOff, inner);
    int upper = S.loopBound(inner);
    for (int l = 1, row = off + inner; l < len; l++, row += inner) {
      int j = 0;
      if (max) {
        for (; j < upper; j += VL) {
          FloatVector.fromArray(S, out, oOff + j)
              .max(FloatVector.fromArray(S, x, row + j))
              .intoArray(out, oOff + j);
        }
      } else {
        for (; j < upper; j += VL) {
          FloatVector.fromArray(S, out, oOff + j)
              .min(FloatVector.fromArray(S, x, row + j))
              .intoArray(out, oOff + j);
        }
      }
      for (; j < inner; j++) {
        float v = x[row + j];
        out[oOff + j] = max ? Math.max(out[oOff + j], v) : Math.min(out[oOff + j], v);
      }
    }
  }
}
