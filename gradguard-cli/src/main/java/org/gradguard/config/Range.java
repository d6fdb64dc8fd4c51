package org.gradguard.config;

/**
 * An interval a config number must lie in, with the message that names the rule, e.g. {@code must
 * be > 0}. Infinite bounds mean "unbounded on that side"; values must always be finite.
 *
 * @param lo lower bound, or negative infinity
 * @param loInclusive whether {@code lo} itself is allowed
 * @param hi upper bound, or positive infinity
 * @param hiInclusive whether {@code hi} itself is allowed
 */
public record Range(double lo, boolean loInclusive, double hi, boolean hiInclusive) {
  /** Any finite number. */
  public static final Range ANY =
      new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

  /** {@code > 0}. */
  public static final Range POSITIVE = greaterThan(0);

  /** {@code >= 0}. */
  public static final Range NON_NEGATIVE = atLeast(0);

  /** {@code [0, 1)}: a probability that must leave something (dropout, momentum, betas). */
  public static final Range FRACTION = new Range(0, true, 1, false);

  /** {@code (0, 1)}. */
  public static final Range OPEN_UNIT = new Range(0, false, 1, false);

  /** {@code (0, 1]}. */
  public static final Range UNIT_POSITIVE = new Range(0, false, 1, true);

  /** {@code > x}. */
  public static Range greaterThan(double x) {
    return new Range(x, false, Double.POSITIVE_INFINITY, false);
  }

  /** {@code >= x}. */
  public static Range atLeast(double x) {
    return new Range(x, true, Double.POSITIVE_INFINITY, false);
  }

  /** Whether {@code v} is finite and in the interval. */
  public boolean contains(double v) {
    if (!Double.isFinite(v)) {
      return false;
    }
    boolean aboveLo = loInclusive ? v >= lo : v > lo;
    boolean belowHi = hiInclusive ? v <= hi : v < hi;
    return aboveLo && belowHi;
  }

  /** The rule in words, e.g. {@code must be > 0} or {@code must be in [0, 1)}. */
  public String describe() {
    boolean hasLo = lo != Double.NEGATIVE_INFINITY;
    boolean hasHi = hi != Double.POSITIVE_INFINITY;
    if (hasLo && hasHi) {
      return "must be in "
          + (loInclusive ? "[" : "(")
          + Numbers.format(lo)
          + ", "
          + Numbers.format(hi)
          + (hiInclusive ? "]" : ")");
    }
    if (hasLo) {
      return "must be " + (loInclusive ? ">= " : "> ") + Numbers.format(lo);
    }
    if (hasHi) {
      return "must be " + (hiInclusive ? "<= " : "< ") + Numbers.format(hi);
    }
    return "must be a finite number";
  }
}
