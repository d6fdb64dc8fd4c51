package org.gradguard.health;

import java.util.Arrays;
import java.util.Map;

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

  /**
   * Adds {@code prefix + "bins"}: the histogram's non-empty bins as pairs {@code [bin, count, bin,
   * count, …]}, bins ascending (counts below 2⁵³ are exact in a double).
   */
  void exportInto(String prefix, Map<String, double[]> out) {
    double[] pairs = new double[0];
    int used = 0;
    for (int b = 0; b < BINS; b++) {
      long c = prefix(b + 1) - prefix(b);
      if (c != 0) {
        if (used + 2 > pairs.length) {
          pairs = Arrays.copyOf(pairs, Math.max(16, pairs.length * 2));
        }
        pairs[used++] = b;
        pairs[used++] = c;
      }
    }
    out.put(prefix + "bins", Arrays.copyOf(pairs, used));
  }

  /**
   * Puts back a histogram from {@link #exportInto}, checked first.
   *
   * @throws IllegalArgumentException naming the key when it is missing or malformed
   */
  void restoreFrom(String prefix, Map<String, double[]> state) {
    double[] pairs = state.get(prefix + "bins");
    String what = "detector state '" + prefix + "bins' ";
    if (pairs == null || pairs.length % 2 != 0) {
      throw new IllegalArgumentException(what + "must be pairs [bin, count, …]");
    }
    long[] counts = new long[BINS + 1];
    long total = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      double b = pairs[i];
      double c = pairs[i + 1];
      if (!(b >= 0 && b < BINS && b == (int) b) || !(c >= 1 && c <= 0x1p53 && c == (long) c)) {
        throw new IllegalArgumentException(
            what + "pair " + i / 2 + " must be a bin in [0, " + BINS + ") and a count >= 1");
      }
      counts[(int) b + 1] += (long) c;
      total += (long) c;
    }
    // the Fenwick tree of the counts, built in place in one pass
    for (int i = 1; i <= BINS; i++) {
      int j = i + (i & -i);
      if (j <= BINS) {
        counts[j] += counts[i];
      }
    }
    System.arraycopy(counts, 0, tree, 0, counts.length);
    n = total;
  }

  /** The number of values in bins {@code [0, k)}. */
  private long prefix(int k) {
    long s = 0;
    for (int i = k; i > 0; i -= i & -i) {
      s += tree[i];
    }
    return s;
  }
}
