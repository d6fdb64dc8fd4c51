package org.gradguard.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gradguard.tensor.SpecialFunctions;
import org.junit.jupiter.api.Test;

class TruncatedNormalTest {
  @Test
  void quantileInvertsTheDistributionFunctionToDoublePrecision() {
    for (double x = -37; x <= 8; x += 0.37) {
      double p = TruncatedNormal.cdf(x);
      // In the upper tail p itself carries only ulp(p) of information: dx = ulp(p)/φ(x).
      double conditioning = 4 * Math.ulp(p) / SpecialFunctions.normalPdf(x);
      double tol = Math.max(1e-12 * Math.max(1, Math.abs(x)), conditioning);
      assertEquals(x, TruncatedNormal.quantile(p), tol, "x = " + x);
    }
  }

  @Test
  void tailsAreRelativelyAccurate() {
    // Φ(−x) for x = 5, 10, 20, 30 (Mills' continued fraction in 60-digit decimal arithmetic).
    // The rounding of x/√2 alone costs a relative x²·2⁻⁵³ ≈ 1e-13 at x = 30.
    assertEquals(2.8665157187919391e-7, TruncatedNormal.cdf(-5), 1e-14 * 2.9e-7);
    assertEquals(7.6198530241605254e-24, TruncatedNormal.cdf(-10), 1e-13 * 7.6e-24);
    assertEquals(2.7536241186062337e-89, TruncatedNormal.cdf(-20), 1e-12 * 2.8e-89);
    assertEquals(4.9067139271481872e-198, TruncatedNormal.cdf(-30), 1e-12 * 4.9e-198);
    assertEquals(SpecialFunctions.normalCdf(0.3), TruncatedNormal.cdf(0.3), 1e-15);
    assertEquals(0.5, TruncatedNormal.quantile(0.5) + 0.5, 1e-16);
  }
}
