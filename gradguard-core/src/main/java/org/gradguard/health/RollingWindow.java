package org.gradguard.health;

/** The mean and standard deviation of the last {@code size} values (a ring buffer). */
final class RollingWindow {
  private final double[] values;
  private int count;
  private int next;

  RollingWindow(int size) {
    this.values = new double[size];
  }

  void add(double x) {
    values[next] = x;
    next = (next + 1) % values.length;
    count = Math.min(count + 1, values.length);
  }

  int count() {
    return count;
  }

  double mean() {
    double s = 0;
    for (int i = 0; i < count; i++) {
      s += values[i];
    }
    return count == 0 ? Double.NaN : s / count;
  }

  /** The population standard deviation. */
  double std() {
    double m = mean();
    double s = 0;
    for (int i = 0; i < count; i++) {
      double d = values[i] - m;
      s += d * d;
    }
    return count == 0 ? Double.NaN : Math.sqrt(s / count);
  }

  void clear() {
    count = 0;
    next = 0;
  }
}
