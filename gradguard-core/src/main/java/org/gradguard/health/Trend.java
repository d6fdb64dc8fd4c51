package org.gradguard.health;

/**
 * A least-squares line through {@code ln(norm)} against position (layer depth or time step): the
 * per-position growth factor of gradient norms and the ratio between the two ends. Non-positive and
 * non-finite norms are left out. Package-private.
 */
final class Trend {
  final int points;
  final double slope;
  final double intercept;
  final double firstX;
  final double lastX;
  final double firstNorm;
  final double lastNorm;

  private Trend(
      int points,
      double slope,
      double intercept,
      double firstX,
      double lastX,
      double firstNorm,
      double lastNorm) {
    this.points = points;
    this.slope = slope;
    this.intercept = intercept;
    this.firstX = firstX;
    this.lastX = lastX;
    this.firstNorm = firstNorm;
    this.lastNorm = lastNorm;
  }

  /** The fit, or null when fewer than {@code minPoints} usable norms. */
  static Trend fit(double[] x, double[] norms, int minPoints) {
    int n = 0;
    double sx = 0;
    double sy = 0;
    double first = Double.NaN;
    double last = Double.NaN;
    double fx = 0;
    double lx = 0;
    for (int i = 0; i < x.length; i++) {
      double v = norms[i];
      if (v > 0 && Double.isFinite(v)) {
        if (n == 0) {
          first = v;
          fx = x[i];
        }
        last = v;
        lx = x[i];
        n++;
        sx += x[i];
        sy += Math.log(v);
      }
    }
    if (n < Math.max(2, minPoints)) {
      return null;
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < x.length; i++) {
      double v = norms[i];
      if (v > 0 && Double.isFinite(v)) {
        double dx = x[i] - mx;
        sxx += dx * dx;
        sxy += dx * (Math.log(v) - my);
      }
    }
    if (sxx == 0) {
      return null;
    }
    double slope = sxy / sxx;
    return new Trend(n, slope, my - slope * mx, fx, lx, first, last);
  }

  /** The fitted norm at position {@code x}. */
  double fitted(double x) {
    return Math.exp(intercept + slope * x);
  }

  /** The fitted factor by which the norm is multiplied per position toward the start. */
  double factorTowardStart() {
    return Math.exp(-slope);
  }

  /** The fitted ratio {@code norm(first) / norm(last)}. */
  double fittedRatio() {
    return Math.exp(-slope * (lastX - firstX));
  }

  /** The measured ratio {@code norm(first) / norm(last)}. */
  double measuredRatio() {
    return firstNorm / lastNorm;
  }
}
