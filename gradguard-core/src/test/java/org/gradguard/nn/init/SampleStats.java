package org.gradguard.nn.init;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.Tensor;

/**
 * Sample moments of a tensor's elements and checks against a distribution's moments, with limits of
 * {@code K} standard errors derived from the sample size: {@code SE(mean) = σ/√n} and {@code
 * SE(variance) = √((μ₄ − σ⁴)/n)}, with the fourth central moment μ₄ estimated from the sample.
 */
record SampleStats(long n, double mean, double variance, double m4, double min, double max) {
  /** How many standard errors a sample moment may deviate. */
  static final double K = 5.0;

  static SampleStats of(Tensor t) {
    float[] d = t.data();
    double s = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : d) {
      s += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double mean = s / d.length;
    double s2 = 0;
    double s4 = 0;
    for (float x : d) {
      double c = x - mean;
      s2 += c * c;
      s4 += c * c * c * c;
    }
    return new SampleStats(d.length, mean, s2 / d.length, s4 / d.length, min, max);
  }

  /** Asserts the mean and variance match {@code (mu, var)} within K standard errors. */
  void assertMoments(String what, double mu, double var) {
    double seMean = Math.sqrt(var / n);
    double seVar = Math.sqrt(Math.max(m4 - variance * variance, 0) / n);
    assertTrue(
        Math.abs(mean - mu) <= K * seMean,
        what + ": mean " + mean + " vs " + mu + " (limit " + K * seMean + ")");
    assertTrue(
        Math.abs(variance - var) <= K * seVar,
        what + ": variance " + variance + " vs " + var + " (limit " + K * seVar + ")");
  }

  void assertWithin(String what, double lo, double hi) {
    assertTrue(
        min >= lo && max <= hi,
        what + ": range [" + min + ", " + max + "] outside [" + lo + ", " + hi + "]");
  }
}
