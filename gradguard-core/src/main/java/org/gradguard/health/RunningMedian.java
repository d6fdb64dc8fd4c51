package org.gradguard.health;

/**
 * The all-time median of positive values in constant memory and {@code O(log bins)} time per value:
 * a histogram of {@code log10(x)} with bins 0.002 wide over {@code [1e-30, 1e30]} (values outside
 * go to the end bins), held in a Fenwick tree so that both adding a value and finding the median
 * walk about 15 nodes. The median is exact to within a factor {@code 10^0.002 ≈ 1.005}.
 * Package-private.
 */
final class RunningMedian {
  private static final double LOG_MIN = -30;
  private static final double WIDTH = 0.002;
  private static final int BINS = 1 << 15; // 32768 ≥ 60 / 0.002 = 30000
  private final long[] tree = new long[BINS + 1];
  private long n;

  void add(double x) {
    if (!(x > 0) || Double.isInfinite(x)) {
      return;
    }
    int b = (int) Math.floor((Math.log10(x) - LOG_MIN) / WIDTH);
    b = Math.max(0, Math.min(BINS - 1, b));
    for (int i = b + 1; i <= BINS; i += i & -i) {
      tree[i]++;
    }
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
    // the largest position whose prefix count is below half; the median's bin is the next one
    int pos = 0;
    long seen = 0;
    for (int step = BINS; step > 0; step >>= 1) {
      int next = pos + step;
      if (next <= BINS && seen + tree[next] < half) {
        pos = next;
        seen += tree[next];
      }
    }
    return Math.pow(10, LOG_MIN + (pos + 0.5) * WIDTH);
  }
}
