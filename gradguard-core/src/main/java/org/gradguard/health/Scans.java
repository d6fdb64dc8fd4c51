package org.gradguard.health;

/**
 * The single-pass kernels behind the monitor: each reads a tensor's storage once, allocates nothing
 * per element and never copies. Sums of squares accumulate in double, so no finite float32 input
 * can overflow them, and NaN or infinity propagates into the sum exactly as into PyTorch's total
 * norm.
 */
final class Scans {
  private Scans() {}

  /** What one pass over a gradient (and the matching parameter) yields. Fields are read-only. */
  static final class GradientScan {
    double gradSumSq;
    float gradMaxAbs;
    long nonFinite;
    float finiteMin = Float.POSITIVE_INFINITY;
    float finiteMax = Float.NEGATIVE_INFINITY;
    double paramSumSq;
    double paramSumAbs;
  }

  /**
   * One pass over a gradient {@code g} and its parameter {@code p} (same length). {@code g} may be
   * null (no gradient): then only the parameter is scanned. Not modified: either array.
   */
  static GradientScan gradientAndParameter(float[] g, float[] p, int n) {
    GradientScan s = new GradientScan();
    double ps = 0;
    double pa = 0;
    if (g == null) {
      for (int i = 0; i < n; i++) {
        float v = p[i];
        ps += (double) v * v;
        pa += Math.abs(v);
      }
    } else {
      double gs = 0;
      float maxAbs = 0;
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      long bad = 0;
      for (int i = 0; i < n; i++) {
        float v = g[i];
        gs += (double) v * v;
        if (v - v != 0) { // NaN or ±infinity
          bad++;
        } else {
          if (v < min) {
            min = v;
          }
          if (v > max) {
            max = v;
          }
          float a = Math.abs(v);
          if (a > maxAbs) {
            maxAbs = a;
          }
        }
        float w = p[i];
        ps += (double) w * w;
        pa += Math.abs(w);
      }
      s.gradSumSq = gs;
      s.gradMaxAbs = maxAbs;
      s.finiteMin = min;
      s.finiteMax = max;
      s.nonFinite = bad;
    }
    s.paramSumSq = ps;
    s.paramSumAbs = pa;
    return s;
  }

  /** {@code [Σ u², Σ |u|]} in one pass. Not modified: {@code u}. */
  static double[] sumSqAndSumAbs(float[] u, int n) {
    double ss = 0;
    double sa = 0;
    for (int i = 0; i < n; i++) {
      float v = u[i];
      ss += (double) v * v;
      sa += Math.abs(v);
    }
    return new double[] {ss, sa};
  }

  /** {@code Σ g²} in one pass (NaN or infinite when an entry is). Not modified: {@code g}. */
  static double sumSq(float[] g, int n) {
    double ss = 0;
    for (int i = 0; i < n; i++) {
      float v = g[i];
      ss += (double) v * v;
    }
    return ss;
  }
}
