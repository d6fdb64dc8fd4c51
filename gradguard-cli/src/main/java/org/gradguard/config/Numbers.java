package org.gradguard.config;

import java.util.Locale;

/** Number formatting for messages and plans: {@code 3}, {@code -0.1}, {@code 1e-05}. */
public final class Numbers {
  private Numbers() {}

  /**
   * {@code v} as a person would write it: integral values without a fraction, others in the
   * shortest form that reads back as the same double, exponents as {@code e}.
   */
  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v).replace("E", "e").replace(".0e", "e").toLowerCase(Locale.ROOT);
  }
}
