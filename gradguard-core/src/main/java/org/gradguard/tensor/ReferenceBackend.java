package org.gradguard.tensor;

/**
 * Straightforward scalar kernels: the definition every faster backend is tested against.
 *
 * <p>Matrix products accumulate in float32 in the order {@code p = 0..k-1} and are split across
 * {@link Parallel} by output rows; reductions accumulate sums in double.
 */
public final class ReferenceBackend implements Backend {
  @Override
  public String name() {
    return "reference";
  }

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      float[] b,
      int bOffset,
      float[] c,
      int cOffset,
      boolean accumulate) {
    Parallel.forRange(
        m,
        (long) n * k,
        (from, to) -> {
          float[] row = new float[n];
          for (int i = from; i < to; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int p = 0; p < k; p++) {
              // no skip of av == 0: 0 · NaN must stay NaN, as in every BLAS and the vector GEMM
              float av = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
              if (transB) {
                for (int j = 0; j < n; j++) {
                  row[j] += av * b[bOffset + j * k + p];
                }
              } else {
                int bRow = bOffset + p * n;
                for (int j = 0; j < n; j++) {
                  row[j] += av * b[bRow + j];
                }
              }
            }
            int cRow = cOffset + i * n;
            if (accumulate) {
              for (int j = 0; j < n; j++) {
                c[cRow + j] += row[j];
              }
            } else {
              System.arraycopy(row, 0, c, cRow, n);
            }
          }
        });
  }

  @Override
  public void map(UnaryOp op, float[] x, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = op.apply(x[i]);
    }
  }

  @Override
  public void zip(
      BinaryOp op,
      float[] a,
      int[] aStrides,
      float[] b,
      int[] bStrides,
      float[] out,
      int[] outShape) {
    int rank = outShape.length;
    int n = Shapes.numel(outShape);
    if (n == 0) {
      return;
    }
    if (rank == 0) {
      out[0] = op.apply(a[0], b[0]);
      return;
    }
    int[] idx = new int[rank];
    int ai = 0;
    int bi = 0;
    int last = rank - 1;
    int lastLen = outShape[last];
    int aLast = aStrides[last];
    int bLast = bStrides[last];
    int o = 0;
    while (o < n) {
      int aj = ai;
      int bj = bi;
      for (int j = 0; j < lastLen; j++) {
        out[o++] = op.apply(a[aj], b[bj]);
        aj += aLast;
        bj += bLast;
      }
      // advance the multi-index over all but the last dimension
      for (int d = last - 1; d >= 0; d--) {
        idx[d]++;
        ai += aStrides[d];
        bi += bStrides[d];
        if (idx[d] < outShape[d]) {
          break;
        }
        ai -= aStrides[d] * outShape[d];
        bi -= bStrides[d] * outShape[d];
        idx[d] = 0;
      }
    }
  }

  @Override
  public void reduce(ReduceOp op, float[] x, int outer, int len, int inner, float[] out) {
    for (int o = 0; o < outer; o++) {
      int base = o * len * inner;
      for (int i = 0; i < inner; i++) {
        int p = base + i;
        switch (op) {
          case SUM -> {
            double s = 0;
            for (int l = 0; l < len; l++, p += inner) {
              s += x[p];
            }
            out[o * inner + i] = (float) s;
          }
          case MAX -> {
            float m = x[p];
            for (int l = 0; l < len; l++, p += inner) {
              float v = x[p];
              if (v > m || Float.isNaN(v)) {
                m = v;
              }
            }
            out[o * inner + i] = m;
          }
          case MIN -> {
            float m = x[p];
            for (int l = 0; l < len; l++, p += inner) {
              float v = x[p];
              if (v < m || Float.isNaN(v)) {
                m = v;
              }
            }
            out[o * inner + i] = m;
          }
        }
      }
    }
  }

  @Override
  public void elmanForwardSteps(
      boolean tanh, int steps, int batch, int hidden, float[] wHh, float[] h0, float[] out) {
    RecurrentKernels.referenceForwardSteps(this, tanh, steps, batch, hidden, wHh, h0, out);
  }

  @Override
  public void elmanBackwardSteps(
      boolean tanh,
      int steps,
      int batch,
      int hidden,
      float[] wHh,
      float[] h0,
      float[] out,
      float[] gOut,
      float[] dA,
      float[] dh0,
      float[] dWhh) {
    RecurrentKernels.referenceBackwardSteps(
        this, tanh, steps, batch, hidden, wHh, h0, out, gOut, dA, dh0, dWhh);
  }

  // dense-step kernels

  @Override
  public boolean allFinite(float[] x, int n) {
    return DenseReference.allFinite(x, n);
  }

  @Override
  public double sumOfSquares(float[] x, int n) {
    return DenseReference.sumOfSquares(x, n);
  }

  @Override
  public void scaleInPlace(float[] x, int n, double factor) {
    DenseReference.scaleInPlace(x, n, factor);
  }

  @Override
  public void addScaledInPlace(float[] x, float[] y, int n, double alpha) {
    DenseReference.addScaledInPlace(x, y, n, alpha);
  }

  @Override
  public void reluBackward(float[] g, float[] x, float[] out, int n) {
    DenseReference.reluBackward(g, x, out, n);
  }

  @Override
  public void tanhBackward(float[] g, float[] y, float[] out, int n) {
    DenseReference.tanhBackward(g, y, out, n);
  }

  @Override
  public void momentumUpdate(
      float[] d,
      float[] buf,
      int n,
      double momentum,
      double keep,
      boolean nesterov,
      boolean first) {
    DenseReference.momentumUpdate(d, buf, n, momentum, keep, nesterov, first);
  }

  @Override
  public void adamUpdate(
      float[] d,
      float[] m,
      float[] v,
      int n,
      double b1,
      double b2,
      double bc1,
      double bc2Sqrt,
      double eps) {
    DenseReference.adamUpdate(d, m, v, n, b1, b2, bc1, bc2Sqrt, eps);
  }

  @Override
  public void columnMeanVariance(float[] x, int rows, int cols, double[] mean, double[] variance) {
    DenseReference.columnMeanVariance(x, rows, cols, mean, variance);
  }

  @Override
  public void columnAffine(
      float[] x, int rows, int cols, double[] center, double[] scale, double[] shift, float[] y) {
    DenseReference.columnAffine(x, rows, cols, center, scale, shift, y);
  }

  @Override
  public void columnGradSums(
      float[] g,
      float[] x,
      int rows,
      int cols,
      double[] center,
      double[] scale,
      double[] sumG,
      double[] sumGx) {
    DenseReference.columnGradSums(g, x, rows, cols, center, scale, sumG, sumGx);
  }

  @Override
  public void batchNormInputGrad(
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
    DenseReference.batchNormInputGrad(g, x, rows, cols, center, scale, outScale, meanG, meanGx, gx);
  }

  @Override
  public void copyMeasured(float[] src, float[] dst, int n, double[] out) {
    DenseReference.copyMeasured(src, dst, n, out);
  }

  @Override
  public void addInPlaceMeasured(float[] x, float[] y, int n, double[] out) {
    DenseReference.addInPlaceMeasured(x, y, n, out);
  }
}
