package org.gradguard.golden;

import org.gradguard.health.MeanField;

/**
 * Golden kinds of {@code org.gradguard.health}: {@code mean_field}, the fixed point {@code q*} and
 * {@code χ₁} of deep tanh and ReLU networks, computed in double by {@link MeanField} for every
 * {@code (σw², σb²)} pair the case lists.
 */
final class HealthGoldenKinds {
  private HealthGoldenKinds() {}

  static void register(GoldenKinds r) {
    r.register("mean_field", HealthGoldenKinds::meanField);
  }

  private static GoldenResult meanField(GoldenCase c) {
    double[] w = c.inputs().get("sigma_w2").data();
    double[] b = c.inputs().get("sigma_b2").data();
    if (w.length != b.length) {
      throw new IllegalArgumentException(
          c.fileName() + ": sigma_w2 has " + w.length + " values, sigma_b2 " + b.length);
    }
    int[] shape = c.inputShape("sigma_w2");
    double[] q = new double[w.length];
    double[] tanhChi = new double[w.length];
    double[] reluChi = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      q[i] = MeanField.tanhQStar(w[i], b[i]);
      tanhChi[i] = MeanField.tanhChi1(w[i], b[i]);
      reluChi[i] = MeanField.reluChi1(w[i], b[i]);
    }
    return GoldenResult.builder()
        .output("tanh_q_star", q, shape)
        .output("tanh_chi_1", tanhChi, shape)
        .output("relu_chi_1", reluChi, shape)
        .build();
  }
}
