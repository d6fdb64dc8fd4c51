package org.gradguard.health;

/**
 * The plain-Java {@link ScanKernels}: the reference the vector loops are tested against, and the
 * loops in use when the JVM lacks {@code jdk.incubator.vector} or the reference backend is chosen.
 *
 * <p>Sums keep four (or two) independent accumulators so the additions overlap instead of waiting
 * on each other; the gradient's min and max are taken without a finiteness test, in a pass separate
 * from the parameter's (a fused scalar pass over both arrays measured slower).
 */
final class ScalarScans implements ScanKernels {
  static final ScalarScans INSTANCE = new ScalarScans();

  private ScalarScans() {}

  @Override
  public void gradientAndParameter(float[] g, float[] p, int n, Scans.GradientScan out) {
    double[] param = new double[2];
    sumSqAndSumAbs(p, n, param);
    out.paramSumSq = param[0];
    out.paramSumAbs = param[1];
    if (g == null) {
      return;
    }
    double g0 = 0;
    double g1 = 0;
    double g2 = 0;
    double g3 = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      float a = g[i];
      float b = g[i + 1];
      float c = g[i + 2];
      float d = g[i + 3];
      g0 += (double) a * a;
      g1 += (double) b * b;
      g2 += (double) c * c;
      g3 += (double) d * d;
      min = Math.min(min, Math.min(Math.min(a, b), Math.min(c, d)));
      max = Math.max(max, Math.max(Math.max(a, b), Math.max(c, d)));
    }
    for (; i < n; i++) {
      float a = g[i];
      g0 += (double) a * a;
      min = Math.min(min, a);
      max = Math.max(max, a);
    }
    out.gradSumSq = (g0 + g1) + (g2 + g3);
    out.finiteMin = min;
    out.finiteMax = max;
  }

  @Override
  public void sumSqAndSumAbs(float[] u, int n, double[] out) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      float a = u[i];
      float b = u[i + 1];
      float c = u[i + 2];
      float d = u[i + 3];
      s0 += (double) a * a;
      s1 += (double) b * b;
      s2 += (double) c * c;
      s3 += (double) d * d;
      a0 += Math.abs(a);
      a1 += Math.abs(b);
      a2 += Math.abs(c);
      a3 += Math.abs(d);
    }
    for (; i < n; i++) {
      float a = u[i];
      s0 += (double) a * a;
      a0 += Math.abs(a);
    }
    out[0] = (s0 + s1) + (s2 + s3);
    out[1] = (a0 + a1) + (a2 + a3);
  }

  @Override
  public double sumSq(float[] x, int off, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = off;
    int end = off + n;
    for (; i + 3 < end; i += 4) {
      s0 += (double) x[i] * x[i];
      s1 += (double) x[i + 1] * x[i + 1];
      s2 += (double) x[i + 2] * x[i + 2];
      s3 += (double) x[i + 3] * x[i + 3];
    }
    for (; i < end; i++) {
      s0 += (double) x[i] * x[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public void shiftedMoments(float[] x, int n, double shift, double[] out) {
    double s0 = 0;
    double s1 = 0;
    double q0 = 0;
    double q1 = 0;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double a = x[i] - shift;
      double b = x[i + 1] - shift;
      s0 += a;
      s1 += b;
      q0 += a * a;
      q1 += b * b;
    }
    for (; i < n; i++) {
      double a = x[i] - shift;
      s0 += a;
      q0 += a * a;
    }
    out[0] = s0 + s1;
    out[1] = q0 + q1;
  }

  @Override
  public long countOutside(float[] x, int n, float lo, float hi) {
    long count = 0;
    for (int i = 0; i < n; i++) {
      float v = x[i];
      count += (v <= lo | v >= hi) ? 1 : 0;
    }
    return count;
  }

  @Override
  public long countAbsAtLeast(float[] x, int n, float hi) {
    long count = 0;
    for (int i = 0; i < n; i++) {
      count += Math.abs(x[i]) >= hi ? 1 : 0;
    }
    return count;
  }

  @Override
  public void momentsAndPositive(
      float[] x, int rows, int units, double shift, double[] out, boolean[] active) {
    shiftedMoments(x, rows * units, shift, out);
    markPositive(x, rows, units, active);
  }

  /**
   * {@code active[u] |= x[r·units + u] > 0} for every row {@code r < rows} and unit {@code u <
   * units}. Modified: {@code active}.
   */
  void markPositive(float[] x, int rows, int units, boolean[] active) {
    for (int r = 0; r < rows; r++) {
      int base = r * units;
      for (int u = 0; u < units; u++) {
        active[u] |= x[base + u] > 0;
      }
    }
  }
}
