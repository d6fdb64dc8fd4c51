package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Properties of {@link MeanField} that hold whatever the reference table says. */
class MeanFieldTest {
  @Test
  void gaussianMomentsAreExact() {
    assertEquals(1.0, MeanField.gaussianExpectation(z -> 1), 1e-14);
    assertEquals(0.0, MeanField.gaussianExpectation(z -> z), 1e-14);
    assertEquals(1.0, MeanField.gaussianExpectation(z -> z * z), 1e-13);
    assertEquals(3.0, MeanField.gaussianExpectation(z -> z * z * z * z), 1e-12);
  }

  @Test
  void qStarIsAFixedPointOfTheVarianceMap() {
    for (double w : new double[] {0.5, 1.0, 1.5, 2.0, 3.0, 4.0}) {
      for (double b : new double[] {0.0, 0.05, 0.3}) {
        double q = MeanField.tanhQStar(w, b);
        assertEquals(q, MeanField.tanhVarianceMap(q, w, b), 1e-13 * Math.max(1, q), w + "," + b);
        if (q > 0) {
          // stable: the map's slope at q* is below 1, so iterating from elsewhere comes back
          double h = 1e-6 * q;
          double slope =
              (MeanField.tanhVarianceMap(q + h, w, b) - MeanField.tanhVarianceMap(q - h, w, b))
                  / (2 * h);
          assertTrue(slope < 1, "slope " + slope + " at " + w + "," + b);
        }
      }
    }
  }

  @Test
  void orderedTanhNetsWithoutBiasHaveQStarZeroAndChiEqualToSigmaW2() {
    assertEquals(0.0, MeanField.tanhQStar(0.5, 0));
    assertEquals(0.0, MeanField.tanhQStar(1.0, 0));
    assertEquals(0.5, MeanField.tanhChi1(0.5, 0));
    assertEquals(1.0, MeanField.tanhChi1(1.0, 0));
    assertTrue(MeanField.tanhQStar(1.01, 0) > 0);
  }

  @Test
  void chiMatchesTheDerivativeOfTheCorrelationMapAtOne() {
    // χ₁ = d c_{l+1} / d c_l at c = 1, by finite differences of the correlation map
    double w = 2.0;
    double b = 0.05;
    double q = MeanField.tanhQStar(w, b);
    double c = 1 - 1e-4;
    double s = Math.sqrt(q);
    // E[φ(u1) φ(u2)] with u1 = √q z1, u2 = √q (c z1 + √(1−c²) z2), by a nested trapezoid rule
    // (step 0.1 on [−10, 10] is accurate to far better than the 2e-4 asked here)
    double e =
        coarse(
            z1 ->
                coarse(
                    z2 -> Math.tanh(s * z1) * Math.tanh(s * (c * z1 + Math.sqrt(1 - c * c) * z2))));
    double cNext = (w * e + b) / q;
    double chi = (1 - cNext) / (1 - c);
    assertEquals(MeanField.tanhChi1(w, b), chi, 2e-4);
  }

  private static double coarse(java.util.function.DoubleUnaryOperator f) {
    double sum = 0;
    double norm = 0;
    for (int i = -100; i <= 100; i++) {
      double z = i * 0.1;
      double w = Math.exp(-0.5 * z * z);
      sum += w * f.applyAsDouble(z);
      norm += w;
    }
    return sum / norm;
  }

  @Test
  void reluIsCriticalAtHeInitialization() {
    assertEquals(1.0, MeanField.reluChi1(2.0, 0.0));
    assertEquals(0.1, MeanField.reluQStar(1.0, 0.05).getAsDouble(), 1e-15);
    assertTrue(MeanField.reluQStar(3.0, 0.05).isEmpty());
    assertEquals(0.0, MeanField.reluQStar(2.0, 0.0).getAsDouble());
  }

  @Test
  void invalidVariancesAreRejectedByName() {
    var e = assertThrows(IllegalArgumentException.class, () -> MeanField.tanhChi1(0, 0.05));
    assertEquals("MeanField.tanhQStar: sigmaW2 must be finite and > 0, got 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MeanField.reluChi1(1, -1));
    assertEquals("MeanField.reluChi1: sigmaB2 must be finite and >= 0, got -1.0", e.getMessage());
  }
}
