package org.gradguard.nn.init;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.SpecialFunctions;

/**
 * Draws from a normal truncated to {@code [a, b]} by the inverse-CDF method, as PyTorch's {@code
 * trunc_normal_}: {@code z = Φ⁻¹(Φ(α) + u·(Φ(β) − Φ(α)))} with {@code α = (a−μ)/σ}, {@code β =
 * (b−μ)/σ} and one uniform {@code u} per element, computed in double.
 *
 * <p>Unlike PyTorch (which works in the tensor's precision and warns when the mean lies more than
 * 2σ outside the interval), the distribution function is evaluated in whichever tail the interval
 * lies nearer (the interval is mirrored when its centre is above the mean), with a relatively
 * accurate lower tail {@code Φ(x) = erfc(−x/√2)/2}, so intervals far in a tail are sampled
 * correctly.
 */
final class TruncatedNormal {
  private static final double SQRT2 = Math.sqrt(2.0);

  private TruncatedNormal() {}

  /** Fills {@code out} with draws; one {@code rng.nextDouble()} per element. Modified: out. */
  static void fill(float[] out, double mean, double std, double a, double b, Rng rng) {
    double alpha = (a - mean) / std;
    double beta = (b - mean) / std;
    boolean mirror = alpha + beta > 0;
    double lo = mirror ? -beta : alpha;
    double hi = mirror ? -alpha : beta;
    double pLo = cdf(lo);
    double pHi = cdf(hi);
    if (!(pHi > pLo)) {
      throw new IllegalArgumentException(
          "Init.truncatedNormal: [a, b] = ["
              + a
              + ", "
              + b
              + "] has no probability mass under N("
              + mean
              + ", "
              + std
              + "²) in double precision");
    }
    for (int i = 0; i < out.length; i++) {
      double p = pLo + (pHi - pLo) * rng.nextDouble();
      double z = Math.min(Math.max(quantile(p), lo), hi);
      double x = mean + std * (mirror ? -z : z);
      out[i] = clampToFloat(x, a, b);
    }
  }

  /** {@code (float) x}, moved by one ulp where rounding took it outside {@code [a, b]}. */
  private static float clampToFloat(double x, double a, double b) {
    float f = (float) Math.min(Math.max(x, a), b);
    if (f < a) {
      f = Math.nextUp(f);
    } else if (f > b) {
      f = Math.nextDown(f);
    }
    return f;
  }

  /** The standard normal distribution function, relatively accurate for negative arguments. */
  static double cdf(double x) {
    return x < 0
        ? 0.5 * SpecialFunctions.erfc(-x / SQRT2)
        : 1.0 - 0.5 * SpecialFunctions.erfc(x / SQRT2);
  }

  /**
   * The standard normal quantile {@code Φ⁻¹(p)} for {@code 0 < p < 1}: Acklam's rational
   * approximation (relative error 1.2e-9) refined by one Halley step on {@link #cdf}, which brings
   * it to double precision. Returns ∓∞ at 0 and 1.
   */
  static double quantile(double p) {
    if (p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double x;
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = tail(q);
    } else if (p > 1 - 0.02425) {
      double q = Math.sqrt(-2 * Math.log1p(-p));
      x = -tail(q);
    } else {
      double q = p - 0.5;
      double r = q * q;
      x =
          (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                                  + 1.383577518672690e+02)
                              * r
                          - 3.066479806614716e+01)
                      * r
                  + 2.506628277459239e+00)
              * q
              / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r
                                          - 1.556989798598866e+02)
                                      * r
                                  + 6.680131188771972e+01)
                              * r
                          - 1.328068155288572e+01)
                      * r
                  + 1);
    }
    // One Halley step: e = Φ(x) − p, u = e/φ(x), x ← x − u/(1 + x·u/2).
    double e = x < 0 ? cdf(x) - p : (1 - p) - cdf(-x);
    double u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    return x - u / (1 + 0.5 * x * u);
  }

  private static double tail(double q) {
    return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                            - 2.549732539343734e+00)
                        * q
                    + 4.374664141464968e+00)
                * q
            + 2.938163982698783e+00)
        / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                    + 3.754408661907416e+00)
                * q
            + 1);
  }
}
