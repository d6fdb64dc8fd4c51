package org.gradguard.nn;

import org.gradguard.tensor.Shapes;

/**
 * Batch normalisation over a {@code [N, C]} or {@code [N, C, L]} input, as {@code
 * torch.nn.BatchNorm1d}: statistics per channel C over N (or N·L) elements. See {@link BatchNorm}
 * for the formulas, the momentum convention and the state dict.
 */
public final class BatchNorm1d extends BatchNorm {
  /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public BatchNorm1d(int numFeatures) {
    this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM, true, true);
  }

  /** See {@link BatchNorm#BatchNorm(int, double, double, boolean, boolean)}. */
  public BatchNorm1d(
      int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
    super(numFeatures, eps, momentum, affine, trackRunningStats);
  }

  @Override
  protected void checkInput(int[] shape) {
    if (shape.length != 2 && shape.length != 3) {
      throw new IllegalArgumentException(
          "BatchNorm1d: expected a 2-D [N, C] or 3-D [N, C, L] input, got " + Shapes.format(shape));
    }
  }
}
