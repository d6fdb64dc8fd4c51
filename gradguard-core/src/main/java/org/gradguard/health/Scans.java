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
   * One pass over a gradient {@code g} and one over its parameter {@code p} (same length). {@code
   * g} may be null (no gradient): then only the parameter is scanned. Not modified: either array.
   *
   * <p>Each pass keeps four independent accumulators per sum (so the additions overlap instead of
   * waiting on each other), and the gradient's min and max are taken without a finiteness test (a
   * fused single pass over both arrays measured slower); NaN and infinity propagate into the sum of
   * squares, and only then does a second pass over that gradient count the non-finite entries and
   * find the finite range.
   */
  static GradientScan gradientAndParameter(float[] g, float[] p, int n) {
    GradientScan s = new GradientScan();
    double[] param = sumSqAndSumAbs(p, n);
    s.paramSumSq = param[0];
    s.paramSumAbs = param[1];
    if (g == null) {
      return s;
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
    s.gradSumSq = (g0 + g1) + (g2 + g3);
    if (Double.isFinite(s.gradSumSq)) {
      s.finiteMin = min;
      s.finiteMax = max;
      s.gradMaxAbs = n == 0 ? 0 : Math.max(Math.abs(min), Math.abs(max));
      return s;
    }
    // rare: some entries are NaN or infinite
    float maxAbs = 0;
    min = Float.POSITIVE_INFINITY;
    max = Float.NEGATIVE_INFINITY;
    long bad = 0;
    for (int k = 0; k < n; k++) {
      float v = g[k];
      if (v - v != 0) {
        bad++;
        continue;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    s.nonFinite = bad;
    s.finiteMin = min;
    s.finiteMax = max;
    s.gradMaxAbs = maxAbs;
    return s;
  }

  /** {@code [Σ u², Σ |u|]} in one pass, four accumulators each. Not modified: {@code u}. */
  static double[] sumSqAndSumAbs(float[] u, int n) {
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
    return new double[] {(s0 + s1) + (s2 + s3), (a0 + a1) + (a2 + a3)};
  }

  /** {@code Σ g²} in one pass (NaN or infinite when an entry is). Not modified: {@code g}. */
  static double sumSq(float[] g, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += (double) g[i] * g[i];
      s1 += (double) g[i + 1] * g[i + 1];
      s2 += (double) g[i + 2] * g[i + 2];
      s3 += (double) g[i + 3] * g[i + 3];
    }
    for (; i < n; i++) {
      s0 += (double) g[i] * g[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
