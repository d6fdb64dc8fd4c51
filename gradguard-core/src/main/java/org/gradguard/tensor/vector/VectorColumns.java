package org.gradguard.tensor.vector;

import static org.gradguard.tensor.vector.VectorDense.HL;
import static org.gradguard.tensor.vector.VectorDense.SD;
import static org.gradguard.tensor.vector.VectorDense.SH;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vectorised per-column kernels of a row-major {@code [rows, cols]} matrix, the batch-norm kernels
 * of {@link org.gradguard.tensor.Backend}.
 *
 * <p>The reference walks one column at a time down a stride of {@code cols}; here a vector of
 * {@code HL} adjacent columns walks down the rows, each lane keeping its own double accumulator and
 * adding the rows in order {@code i = 0..rows−1}. So every sum and every element is computed by
 * exactly the reference's operations: the results are bit-identical. Columns left over after the
 * last whole vector run the scalar formula.
 */
final class VectorColumns {
  private VectorColumns() {}

  static void columnMeanVariance(float[] x, int rows, int cols, double[] mean, double[] variance) {
    int upper = SH.loopBound(cols);
    int j = 0;
    for (; j < upper; j += HL) {
      DoubleVector s = DoubleVector.zero(SD);
      for (int at = j; at < rows * cols; at += cols) {
        s =
            s.add(
                ((DoubleVector)
                    FloatVector.fromArray(SH, x, at).convertShape(VectorOperators.F2D, SD, 0)));
      }
      DoubleVector mu = s.div(rows);
      DoubleVector ss = DoubleVector.zero(SD);
      for (int at = j; at < rows * cols; at += cols) {
        DoubleVector dv =
            ((DoubleVector)
                    FloatVector.fromArray(SH, x, at).convertShape(VectorOperators.F2D, SD, 0))
                .sub(mu);
        ss = ss.add(dv.mul(dv));
      }
      mu.intoArray(mean, j);
      ss.div(rows).intoArray(variance, j);
    }
    for (; j < cols; j++) {
      double s = 0;
      for (int i = 0; i < rows; i++) {
        s += x[i * cols + j];
      }
      double mu = s / rows;
      double ss = 0;
      for (int i = 0; i < rows; i++) {
        double dv = x[i * cols + j] - mu;
        ss += dv * dv;
      }
      mean[j] = mu;
      variance[j] = ss / rows;
    }
  }

  static void columnAffine(
      float[] x, int rows, int cols, double[] center, double[] scale, double[] shift, float[] y) {
    int upper = SH.loopBound(cols);
    int j = 0;
    for (; j < upper; j += HL) {
      DoubleVector c = DoubleVector.fromArray(SD, center, j);
      DoubleVector sc = DoubleVector.fromArray(SD, scale, j);
      DoubleVector sh = DoubleVector.fromArray(SD, shift, j);
      for (int at = j; at < rows * cols; at += cols) {
        DoubleVector xv =
            ((DoubleVector)
                FloatVector.fromArray(SH, x, at).convertShape(VectorOperators.F2D, SD, 0));
        ((FloatVector) xv.sub(c).mul(sc).add(sh).convertShape(VectorOperators.D2F, SH, 0))
            .intoArray(y, at);
      }
    }
    for (; j < cols; j++) {
      for (int at = j; at < rows * cols; at += cols) {
        y[at] = (float) ((x[at] - center[j]) * scale[j] + shift[j]);
      }
    }
  }

  static void columnGradSums(
      float[] g,
      float[] x,
      int rows,
      int cols,
      double[] center,
      double[] scale,
      double[] sumG,
      double[] sumGx) {
    int upper = SH.loopBound(cols);
    int j = 0;
    for (; j < upper; j += HL) {
      DoubleVector c = DoubleVector.fromArray(SD, center, j);
      DoubleVector sc = DoubleVector.fromArray(SD, scale, j);
      DoubleVector sg = DoubleVector.zero(SD);
      DoubleVector sgx = DoubleVector.zero(SD);
      for (int at = j; at < rows * cols; at += cols) {
        DoubleVector gv =
            ((DoubleVector)
                FloatVector.fromArray(SH, g, at).convertShape(VectorOperators.F2D, SD, 0));
        DoubleVector xv =
            ((DoubleVector)
                FloatVector.fromArray(SH, x, at).convertShape(VectorOperators.F2D, SD, 0));
        sg = sg.add(gv);
        sgx = sgx.add(gv.mul(xv.sub(c)).mul(sc));
      }
      sg.intoArray(sumG, j);
      sgx.intoArray(sumGx, j);
    }
    for (; j < cols; j++) {
      double sg = 0;
      double sgx = 0;
      for (int at = j; at < rows * cols; at += cols) {
        double gk = g[at];
        sg += gk;
        sgx += gk * (x[at] - center[j]) * scale[j];
      }
      sumG[j] = sg;
      sumGx[j] = sgx;
    }
  }

  static void batchNormInputGrad(
      float[] g,
      float[] x,
      int rows,
      int cols,
      double[] center,
      double[] scale,
      double[] outScale,
      double[] meanG,
      double[] meanGx,
      float[] gx) {
    int upper = SH.loopBound(cols);
    int j = 0;
    for (; j < upper; j += HL) {
      DoubleVector c = DoubleVector.fromArray(SD, center, j);
      DoubleVector sc = DoubleVector.fromArray(SD, scale, j);
      DoubleVector os = DoubleVector.fromArray(SD, outScale, j);
      DoubleVector mg = DoubleVector.fromArray(SD, meanG, j);
      DoubleVector mgx = DoubleVector.fromArray(SD, meanGx, j);
      for (int at = j; at < rows * cols; at += cols) {
        DoubleVector gv =
            ((DoubleVector)
                FloatVector.fromArray(SH, g, at).convertShape(VectorOperators.F2D, SD, 0));
        DoubleVector xh =
            ((DoubleVector)
                    FloatVector.fromArray(SH, x, at).convertShape(VectorOperators.F2D, SD, 0))
                .sub(c)
                .mul(sc);
        ((FloatVector) os.mul(gv.sub(mg).sub(xh.mul(mgx))).convertShape(VectorOperators.D2F, SH, 0))
            .intoArray(gx, at);
      }
    }
    for (; j < cols; j++) {
      for (int at = j; at < rows * cols; at += cols) {
        double xh = (x[at] - center[j]) * scale[j];
        gx[at] = (float) (outScale[j] * (g[at] - meanG[j] - xh * meanGx[j]));
      }
    }
  }
}
