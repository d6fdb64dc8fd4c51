package org.gradguard.nn;

import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;

/**
 * Mean squared error {@code mean((prediction − target)²)} over every element, as {@code
 * torch.nn.MSELoss(reduction="mean")}; prediction and target must have the same shape (no
 * broadcasting, where PyTorch only warns). Gradient {@code 2(prediction − target)/M}; the target
 * gets one too if it requires it. A thin wrapper over {@link LossOps#mse}.
 */
public final class MSELoss implements Loss<Variable> {
  @Override
  public Variable apply(Variable prediction, Variable target) {
    if (prediction == null || target == null) {
      throw new IllegalArgumentException("MSELoss: prediction and target must not be null");
    }
    return LossOps.mse(prediction, target);
  }

  @Override
  public String toString() {
    return "MSELoss()";
  }
}
