package org.gradguard.nn;

import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Shapes;

/**
 * Mean binary cross-entropy of logits against targets in [0, 1] of the same shape, as {@code
 * torch.nn.BCEWithLogitsLoss(reduction="mean")} without weights, in the stable form
 *
 * <pre>loss = mean( max(x, 0) − x·y + log(1 + e^{−|x|}) )</pre>
 *
 * which equals {@code −mean(y·log σ(x) + (1−y)·log(1−σ(x)))} without overflow for large |x|.
 * Targets may be hard (0/1) or soft; values outside [0, 1] are rejected (PyTorch does not check;
 * such targets are almost always class indices passed by mistake). A thin wrapper over the fused
 * {@link LossOps#bceWithLogits}, gradient {@code (σ(x) − y)/M}.
 */
public final class BCEWithLogitsLoss implements Loss<Variable> {
  @Override
  public Variable apply(Variable logits, Variable target) {
    if (logits == null || target == null) {
      throw new IllegalArgumentException("BCEWithLogitsLoss: logits and target must not be null");
    }
    float[] y = target.value().data();
    for (int i = 0; i < y.length; i++) {
      if (!(y[i] >= 0 && y[i] <= 1)) {
        throw new IllegalArgumentException(
            "BCEWithLogitsLoss: targets must be in [0, 1], got "
                + y[i]
                + " at position "
                + i
                + " of "
                + Shapes.format(target.shape()));
      }
    }
    return LossOps.bceWithLogits(logits, target);
  }

  @Override
  public String toString() {
    return "BCEWithLogitsLoss()";
  }
}
