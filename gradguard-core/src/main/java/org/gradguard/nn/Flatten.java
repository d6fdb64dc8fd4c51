package org.gradguard.nn;

import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;

/**
 * Flattens axes {@code startDim..endDim} (inclusive; negative counts from the end) into one, as
 * {@code torch.nn.Flatten}; the defaults {@code (1, -1)} keep the batch axis: {@code [N, C, H, W] →
 * [N, C·H·W]}. A view; the gradient is the upstream reshaped.
 */
public final class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** PyTorch's defaults: startDim 1, endDim −1. */
  public Flatten() {
    this(1, -1);
  }

  /**
   * @throws IllegalArgumentException when both dims have the same sign and start comes after end
   *     (other orderings depend on the input's rank and are checked in the forward pass)
   */
  public Flatten(int startDim, int endDim) {
    if ((startDim >= 0) == (endDim >= 0) && startDim > endDim) {
      throw new IllegalArgumentException(
          "Flatten: startDim " + startDim + " comes after endDim " + endDim);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }

  @Override
  protected Variable compute(Variable x) {
    return ShapeOps.flatten(x, startDim, endDim);
  }

  public int startDim() {
    return startDim;
  }

  public int endDim() {
    return endDim;
  }

  @Override
  public String toString() {
    return "Flatten(" + startDim + ", " + endDim + ")";
  }
}
