package org.gradguard.health;

import java.util.Map;

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

  /**
   * Adds {@code prefix + "values"} (the ring as stored) and {@code prefix + "ring"} ([count,
   * next]).
   */
  void exportInto(String prefix, Map<String, double[]> out) {
    out.put(prefix + "values", values.clone());
    out.put(prefix + "ring", new double[] {count, next});
  }

  /**
   * Puts back a state from {@link #exportInto}, checked first.
   *
   * @throws IllegalArgumentException naming the key that is missing or does not fit
   */
  void restoreFrom(String prefix, Map<String, double[]> state) {
    double[] v = state.get(prefix + "values");
    double[] ring = state.get(prefix + "ring");
    if (v == null || v.length != values.length) {
      throw new IllegalArgumentException(
          "detector state '"
              + prefix
              + "values' must hold "
              + values.length
              + " numbers (the window), got "
              + (v == null ? "none" : v.length));
    }
    if (ring == null
        || ring.length != 2
        || !(ring[0] >= 0 && ring[0] <= values.length && ring[0] == (int) ring[0])
        || !(ring[1] >= 0 && ring[1] < values.length && ring[1] == (int) ring[1])) {
      throw new IllegalArgumentException(
          "detector state '"
              + prefix
              + "ring' must be [count, next] with 0 <= count <= "
              + values.length
              + " and 0 <= next < "
              + values.length);
    }
    System.arraycopy(v, 0, values, 0, values.length);
    count = (int) ring[0];
    next = (int) ring[1];
  }

  void clear() {
    count = 0;
    next = 0;
  }
}
