package org.gradguard.config;

import java.util.List;

/**
 * Explicit regularization, applied as its own step of the update chain (the optimizer's own {@code
 * weight_decay} is separate, see {@link OptimizerConfig}). {@code l2}: {@code λ·p} added to the
 * gradient before the optimizer (coupled: adaptive optimizers rescale it, Loshchilov and Hutter
 * 2019). {@code weight_decay}: {@code p ← p − lr·λ·p} after the optimizer's update (decoupled).
 * Biases and normalization weights may be excluded, as is common practice; PyTorch's default (decay
 * everything) is the default here.
 *
 * @param l2 coupled L2 coefficient λ, {@code >= 0}
 * @param weightDecay decoupled weight-decay coefficient, {@code >= 0}
 * @param excludeBiases leave parameters named {@code bias} alone
 * @param excludeNorm leave the weights and biases of batch and layer norm alone
 */
public record RegularizationConfig(
    double l2, double weightDecay, boolean excludeBiases, boolean excludeNorm) {
  /** No regularization. */
  public static final RegularizationConfig NONE = new RegularizationConfig(0, 0, false, false);

  /** Whether any regularization is on. */
  public boolean active() {
    return l2 > 0 || weightDecay > 0;
  }

  /** The keys of {@code regularization}. */
  public static final List<String> KEYS =
      List.of("l2", "weight_decay", "exclude_biases", "exclude_norm");

  static RegularizationConfig parse(Node node) {
    Section s = node.asSection().keys(KEYS);
    return new RegularizationConfig(
        s.number("l2", 0, Range.NON_NEGATIVE),
        s.number("weight_decay", 0, Range.NON_NEGATIVE),
        s.bool("exclude_biases", false),
        s.bool("exclude_norm", false));
  }
}
