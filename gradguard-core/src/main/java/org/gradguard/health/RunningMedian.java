package org.gradguard.health;

/**
 * The all-time median of positive values in constant memory: a histogram of {@code log10(x)} with
 * bins 0.002 wide over {@code [1e-30, 1e30]} (values outside go to the end bins), so the median is
 * exact to within a factor {@code 10^0.002 ≈ 1.005}. Package-private.
 */
final class RunningMedian {
  private static final double LOG_MIN = -30;
  private static final double WIDTH = 0.002;
  private static final int BINS = (int) Math.round(60 / WIDTH);
  private final long[] counts = new long[BINS];
  private long n;

  void add(double x) {
    if (!(x > 0) || Double.isInfinite(x)) {
      return;
    }
    int b = (int) Math.floor((Math.log10(x) - LOG_MIN) / WIDTH);
    counts[Math.max(0, Math.min(BINS - 1, b))]++;
    n++;
  }

  long count() {
    return n;
  }

  /** The median (the centre of the median's bin), or NaN before the first value. */
  double median() {
    if (n == 0) {
      return Double.NaN;
    }
    long half = (n + 1) / 2;
    long seen = 0;
    for (int b = 0; b < BINS; b++) {
      seen += counts[b];
      if (seen >= half) {
        return Math.pow(10, LOG_MIN + (b + 0.5) * WIDTH);
      }
    }
    return Double.NaN;
  }
}
