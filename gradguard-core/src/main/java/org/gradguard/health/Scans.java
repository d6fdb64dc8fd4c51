package org.gradguard.health;

import org.gradguard.tensor.Backends;
import org.gradguard.tensor.ReferenceBackend;

/**
 * The single-pass scans behind the monitor: each reads a tensor's storage once and never copies.
 * Sums of squares accumulate in double, so no finite float32 input can overflow them, and NaN or
 * infinity propagates into the sum exactly as into PyTorch's total norm.
 *
 * <p>The loops are {@link ScanKernels}: the Vector API ones ({@code VectorScans}, loaded by name
 * only when the JVM has {@code jdk.incubator.vector}) unless the module is missing or the current
 * backend is the {@link ReferenceBackend}; then the plain Java ones ({@link ScalarScans}). Both
 * give the same minima, maxima and counts, and sums equal up to double rounding. This class adds
 * what is common to both: the careful pass over a gradient that holds NaN or infinity.
 */
final class Scans {
  private static final String VECTOR_CLASS = "org.gradguard.health.VectorScans";
  private static final ScanKernels VECTOR = loadVector();

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

  /** The kernels in use now: the vector ones when present, unless the reference backend is. */
  static ScanKernels kernels() {
    return VECTOR != null && !(Backends.current() instanceof ReferenceBackend)
        ? VECTOR
        : ScalarScans.INSTANCE;
  }

  /** The Vector API kernels, or null when this JVM lacks {@code jdk.incubator.vector}. */
  static ScanKernels vector() {
    return VECTOR;
  }

  /**
   * One pass over a gradient {@code g} and its parameter {@code p} (same length). {@code g} may be
   * null (no gradient): then only the parameter is scanned. Not modified: either array.
   *
   * <p>The pass takes the gradient's min and max without a finiteness test; NaN and infinity
   * propagate into the sum of squares, and only then does a second pass over that gradient count
   * the non-finite entries and find the finite range.
   */
  static GradientScan gradientAndParameter(float[] g, float[] p, int n) {
    return gradientAndParameter(kernels(), g, p, n);
  }

  /** {@link #gradientAndParameter(float[], float[], int)} on the given kernels. */
  static GradientScan gradientAndParameter(ScanKernels k, float[] g, float[] p, int n) {
    GradientScan s = new GradientScan();
    k.gradientAndParameter(g, p, n, s);
    return g == null ? s : finishGradient(s, g, n);
  }

  /**
   * The gradient fields of a scan from what a measured copy of {@code g} found ({@link
   * org.gradguard.tensor.Backend#copyMeasured}: {@code Σ g²} and the raw min and max), with the
   * same careful pass as {@link #gradientAndParameter} when an entry is NaN or infinite; the
   * parameter fields are left 0. Not modified: {@code g}.
   */
  static GradientScan fromMeasuredCopy(float[] g, int n, double sumSq, float min, float max) {
    GradientScan s = new GradientScan();
    s.gradSumSq = sumSq;
    s.finiteMin = min;
    s.finiteMax = max;
    return finishGradient(s, g, n);
  }

  /** Max |g|, and when the sum is not finite the non-finite count and finite range. */
  private static GradientScan finishGradient(GradientScan s, float[] g, int n) {
    if (Double.isFinite(s.gradSumSq)) {
      s.gradMaxAbs = n == 0 ? 0 : Math.max(Math.abs(s.finiteMin), Math.abs(s.finiteMax));
      return s;
    }
    // rare: some entries are NaN or infinite
    float maxAbs = 0;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    long bad = 0;
    for (int i = 0; i < n; i++) {
      float v = g[i];
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

  /** {@code [Σ u², Σ |u|]} in one pass. Not modified: {@code u}. */
  static double[] sumSqAndSumAbs(float[] u, int n) {
    double[] out = new double[2];
    kernels().sumSqAndSumAbs(u, n, out);
    return out;
  }

  /** {@code Σ g²} in one pass (NaN or infinite when an entry is). Not modified: {@code g}. */
  static double sumSq(float[] g, int n) {
    return kernels().sumSq(g, 0, n);
  }

  private static ScanKernels loadVector() {
    if (!Backends.vectorAvailable()) {
      return null;
    }
    try {
      return (ScanKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Scans: cannot load " + VECTOR_CLASS, e);
    }
  }
}
