package org.gradguard.nn;

import java.util.Arrays;
import org.gradguard.autograd.PoolOps;
import org.gradguard.autograd.Variable;

/**
 * 2-D max pooling, {@code torch.nn.MaxPool2d} with dilation 1 and {@code ceil_mode=False} (the only
 * values supported): the maximum of each {@code kh × kw} window of an {@code [N, C, H, W]} input,
 * with implicit −∞ padding, giving {@code [N, C, OH, OW]}, {@code OH = floor((H + 2ph − kh)/sh) +
 * 1}. The gradient of each output goes to its window's maximum; overlapping windows accumulate. As
 * in PyTorch, padding may be at most half the kernel. No parameters.
 */
public final class MaxPool2d extends Module {
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;

  /** A square window, stride equal to the kernel (PyTorch's default), no padding. */
  public MaxPool2d(int kernel) {
    this(kernel, kernel, 0);
  }

  public MaxPool2d(int kernel, int stride, int padding) {
    this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
  }

  /**
   * @param kernel {@code [kh, kw]}, each ≥ 1
   * @param stride {@code [sh, sw]}, each ≥ 1, or {@code null} for the kernel (PyTorch's default)
   * @param padding {@code [ph, pw]}, each between 0 and half the kernel
   */
  public MaxPool2d(int[] kernel, int[] stride, int[] padding) {
    this.kernel = WindowPairs.check("MaxPool2d", "kernel", kernel, 1);
    this.stride = WindowPairs.check("MaxPool2d", "stride", stride == null ? kernel : stride, 1);
    this.padding = WindowPairs.check("MaxPool2d", "padding", padding, 0);
    WindowPairs.checkPoolPadding("MaxPool2d", this.kernel, this.padding);
  }

  @Override
  protected Variable compute(Variable x) {
    return PoolOps.maxPool2d(x, kernel, stride, padding);
  }

  /** {@code [kh, kw]} (a copy). */
  public int[] kernelSize() {
    return kernel.clone();
  }

  /** {@code [sh, sw]} (a copy). */
  public int[] stride() {
    return stride.clone();
  }

  /** {@code [ph, pw]} (a copy). */
  public int[] padding() {
    return padding.clone();
  }

  @Override
  public String toString() {
    return "MaxPool2d(kernel "
        + Arrays.toString(kernel)
        + ", stride "
        + Arrays.toString(stride)
        + ", padding "
        + Arrays.toString(padding)
        + ")";
  }
}
