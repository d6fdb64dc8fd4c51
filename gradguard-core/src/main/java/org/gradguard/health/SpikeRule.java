package org.gradguard.health;

/**
 * OLMo-style spike test: a value is a spike when, with at least {@code minHistory} earlier values
 * in the window, it exceeds {@code mean + k·σ} of them (population σ). Package-private.
 */
final class SpikeRule {
  private SpikeRule() {}

  /**
   * The z-score {@code (x − mean)/σ} of {@code x} against the first {@code count} entries of {@code
   * window}, or NaN when there are fewer than {@code minHistory}; +∞ when σ = 0 and {@code x >
   * mean}.
   */
  static double z(float[] window, int count, double x, int minHistory) {
    if (count < minHistory || count == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int i = 0; i < count; i++) {
      s += window[i];
    }
    double mean = s / count;
    double v = 0;
    for (int i = 0; i < count; i++) {
      double d = window[i] - mean;
      v += d * d;
    }
    double std = Math.sqrt(v / count);
    if (std == 0) {
      return x > mean ? Double.POSITIVE_INFINITY : 0;
    }
    return (x - mean) / std;
  }

  static double mean(float[] window, int count) {
    double s = 0;
    for (int i = 0; i < count; i++) {
      s += window[i];
    }
    return count == 0 ? Double.NaN : s / count;
  }

  static double std(float[] window, int count) {
    double m = mean(window, count);
    double v = 0;
    for (int i = 0; i < count; i++) {
      double d = window[i] - m;
      v += d * d;
    }
    return count == 0 ? Double.NaN : Math.sqrt(v / count);
  }
}
