package org.gradguard.nn;

import org.gradguard.tensor.Shapes;

/**
 * Batch normalisation over an NCHW input {@code [N, C, H, W]}, as {@code torch.nn.BatchNorm2d}:
 * statistics per channel C over M = N·H·W elements. See {@link BatchNorm} for the formulas, the
 * momentum convention and the state dict.
 */
public final class BatchNorm2d extends BatchNorm {
  /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public BatchNorm2d(int numFeatures) {
    this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM, true, true);
  }

  /** See {@link BatchNorm#BatchNorm(int, double, double, boolean, boolean)}. */
  public BatchNorm2d(
      int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
    super(numFeatures, eps, momentum, affine, trackRunningStats);
  }

  @Override
  protected void checkInput(int[] shape) {
    if (shape.length != 4) {
      throw new IllegalArgumentException(
          "BatchNorm2d: expected a 4-D [N, C, H, W] input, got " + Shapes.format(shape));
    }
  }
}
