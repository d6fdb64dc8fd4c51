package org.gradguard.optim;

/**
 * Argument checks shared by the factories. Every message names the factory, the parameter, the rule
 * and the value: {@code adam: beta1 must be in [0, 1), got 1.2}.
 */
final class Check {
  private Check() {}

  static double positive(String where, String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw fail(where, name, "must be > 0 and finite", v);
    }
    return v;
  }

  static double nonNegative(String where, String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw fail(where, name, "must be >= 0 and finite", v);
    }
    return v;
  }

  /** {@code v} in {@code [0, 1)}. */
  static double unitHalfOpen(String where, String name, double v) {
    if (!(v >= 0 && v < 1)) {
      throw fail(where, name, "must be in [0, 1)", v);
    }
    return v;
  }

  /** {@code v} in {@code [0, 1]}. */
  static double unitClosed(String where, String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw fail(where, name, "must be in [0, 1]", v);
    }
    return v;
  }

  /** {@code v} in {@code (0, 1)}. */
  static double unitOpen(String where, String name, double v) {
    if (!(v > 0 && v < 1)) {
      throw fail(where, name, "must be in (0, 1)", v);
    }
    return v;
  }

  static double finite(String where, String name, double v) {
    if (!Double.isFinite(v)) {
      throw fail(where, name, "must be finite", v);
    }
    return v;
  }

  static long positive(String where, String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(where + ": " + name + " must be > 0, got " + v);
    }
    return v;
  }

  static long nonNegative(String where, String name, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(where + ": " + name + " must be >= 0, got " + v);
    }
    return v;
  }

  static <T> T notNull(String where, String name, T v) {
    if (v == null) {
      throw new IllegalArgumentException(where + ": " + name + " must not be null");
    }
    return v;
  }

  private static IllegalArgumentException fail(String where, String name, String rule, double v) {
    return new IllegalArgumentException(where + ": " + name + " " + rule + ", got " + fmt(v));
  }

  /** Doubles without a spurious ".0": 1.2 → "1.2", 0 → "0". */
  static String fmt(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
