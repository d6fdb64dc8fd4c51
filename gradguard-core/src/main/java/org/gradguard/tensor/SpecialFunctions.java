package org.gradguard.tensor;

/** Special functions the JDK lacks, computed in double precision. */
public final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  private SpecialFunctions() {}

  /**
   * The error function {@code erf(x) = 2/√π ∫₀ˣ e^{-t²} dt}, accurate to about 1e-14.
   *
   * <p>For {@code |x| < 3} the Maclaurin series {@code 2/√π Σ (-1)ⁿ x^{2n+1} / (n! (2n+1))};
   * beyond, {@code 1 - erfc(x)} with erfc from its continued fraction (evaluated by the modified
   * Lentz method), which converges fast there.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    if (ax < 3.0) {
      double x2 = x * x;
      double term = x;
      double sum = x;
      for (int n = 1; n < 200; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      return TWO_OVER_SQRT_PI * sum;
    }
    double r = 1.0 - erfcContinuedFraction(ax);
    return x < 0 ? -r : r;
  }

  /**
   * The complementary error function {@code erfc(x) = 1 − erf(x)}, to a relative error of a few
   * 1e-15 also in the upper tail, where {@code 1 − erf(x)} would cancel: {@code 1 − erf(x)} on [0,
   * 1) (where {@code erfc ≥ 0.157}), the Laplace continued fraction from 1 on, and {@code 2 −
   * erfc(−x)} for negative x.
   */
  public static double erfc(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x < 0) {
      return 2.0 - erfc(-x);
    }
    return x < 1.0 ? 1.0 - erf(x) : erfcContinuedFraction(x);
  }

  /** {@code erfc(x)} for {@code x >= 1}: Lentz's method on the Laplace continued fraction. */
  private static double erfcContinuedFraction(double x) {
    if (x > 27.3) {
      return 0.0;
    }
    // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + …)))))
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 500; n++) {
      double an = n * 0.5;
      d = x + an * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }

  /** The standard normal density {@code φ(x) = e^{-x²/2}/√(2π)}. */
  public static double normalPdf(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  /** The standard normal distribution function {@code Φ(x) = (1 + erf(x/√2))/2}. */
  public static double normalCdf(double x) {
    return 0.5 * (1.0 + erf(x / Math.sqrt(2.0)));
  }
}
