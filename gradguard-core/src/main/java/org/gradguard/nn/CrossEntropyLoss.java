package org.gradguard.nn;

import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;

/**
 * Mean cross-entropy of logits {@code [N, C]} against class indices {@code [N]}, as {@code
 * torch.nn.CrossEntropyLoss(reduction="mean", label_smoothing=ε)}: with {@code logp =
 * log_softmax(logits)},
 *
 * <pre>loss = mean_n [ −(1−ε)·logp[n, tₙ] − (ε/C)·Σ_c logp[n, c] ]</pre>
 *
 * Label smoothing after Szegedy et al. 2016 ("Rethinking the Inception Architecture"). A thin
 * wrapper over the fused {@link LossOps#crossEntropy}, whose gradient is {@code (softmax − (1−ε)·
 * onehot − ε/C)/N}.
 */
public final class CrossEntropyLoss implements Loss<int[]> {
  private final double labelSmoothing;

  /** Without label smoothing. */
  public CrossEntropyLoss() {
    this(0.0);
  }

  /**
   * @param labelSmoothing ε in [0, 1]
   */
  public CrossEntropyLoss(double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          "CrossEntropyLoss: labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    this.labelSmoothing = labelSmoothing;
  }

  /**
   * @param logits {@code [N, C]}
   * @param targets N class indices, each in {@code [0, C)}
   */
  @Override
  public Variable apply(Variable logits, int[] targets) {
    if (targets == null) {
      throw new IllegalArgumentException("CrossEntropyLoss: targets must not be null");
    }
    return LossOps.crossEntropy(logits, targets, labelSmoothing);
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public String toString() {
    return "CrossEntropyLoss(labelSmoothing=" + labelSmoothing + ")";
  }
}
