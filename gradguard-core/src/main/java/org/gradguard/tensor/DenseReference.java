package org.gradguard.tensor;

/**
 * The scalar definitions of the dense-step kernels of {@link Backend} (optimizer passes, activation
 * gradients, batch-norm statistics), behind {@link ReferenceBackend}. Each loop is the formula of
 * its {@link Backend} method, element by element in index order.
 */
final class DenseReference {
  private DenseReference() {}

  static boolean allFinite(float[] x, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(x[i])) {
        return false;
      }
    }
    return true;
  }

  static double sumOfSquares(float[] x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double a = x[i];
      s += a * a;
    }
    return s;
  }

  static void scaleInPlace(float[] x, int n, double factor) {
    for (int i = 0; i < n; i++) {
      x[i] = (float) (factor * x[i]);
    }
  }

  static void addScaledInPlace(float[] x, float[] y, int n, double alpha) {
    for (int i = 0; i < n; i++) {
      x[i] = (float) (x[i] + alpha * y[i]);
    }
  }

  static void reluBackward(float[] g, float[] x, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = g[i] * (x[i] > 0 ? 1f : 0f);
    }
  }

  static void tanhBackward(float[] g, float[] y, float[] out, int n) {
    for (int i = 0; i < n; i++) {
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
    for (int i = 0; i < n; i++) {
      float b = first ? d[i] : (float) (momentum * buf[i] + keep * d[i]);
      buf[i] = b;
      d[i] = nesterov ? (float) (d[i] + momentum * b) : b;
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
    for (int i = 0; i < n; i++) {
      double g = d[i];
      m[i] = (float) (b1 * m[i] + (1 - b1) * g);
      v[i] = (float) (b2 * v[i] + (1 - b2) * g * g);
      d[i] = (float) ((m[i] / bc1) / (Math.sqrt(v[i]) / bc2Sqrt + eps));
    }
  }

  static void columnMeanVariance(float[] x, int rows, int cols, double[] mean, double[] variance) {
    for (int j = 0; j < cols; j++) {
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
    for (int i = 0, at = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++, at++) {
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
    for (int j = 0; j < cols; j++) {
      double sg = 0;
      double sgx = 0;
      for (int i = 0; i < rows; i++) {
        double gk = g[i * cols + j];
        sg += gk;
        sgx += gk * (x[i * cols + j] - center[j]) * scale[j];
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
    for (int i = 0, at = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++, at++) {
        double xh = (x[at] - center[j]) * scale[j];
        gx[at] = (float) (outScale[j] * (g[at] - meanG[j] - xh * meanGx[j]));
      }
    }
  }

  static void copyMeasured(float[] src, float[] dst, int n, double[] out) {
    double s = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
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
    double xs = 0;
    double xa = 0;
    double ys = 0;
    double ya = 0;
    for (int i = 0; i < n; i++) {
      double a = x[i];
      double b = y[i];
      xs += a * a;
      xa += Math.abs(a);
      ys += b * b;
      ya += Math.abs(b);
      x[i] = x[i] + y[i];
    }
    out[0] = xs;
    out[1] = xa;
    out[2] = ys;
    out[3] = ya;
  }
}
