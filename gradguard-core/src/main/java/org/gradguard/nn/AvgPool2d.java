package org.gradguard.nn;

import java.util.Arrays;
import org.gradguard.autograd.PoolOps;
import org.gradguard.autograd.Variable;

/**
 * 2-D average pooling, {@code torch.nn.AvgPool2d} with {@code ceil_mode=False} and no {@code
 * divisor_override} (the only values supported): the mean of each {@code kh × kw} window of an
 * {@code [N, C, H, W]} input with zero padding, giving {@code [N, C, OH, OW]}, {@code OH = floor((H
 * + 2ph − kh)/sh) + 1}. The divisor is {@code kh·kw} when {@code countIncludePad} (PyTorch's
 * default, true), else the number of window elements inside the unpadded input. As in PyTorch,
 * padding may be at most half the kernel. No parameters.
 */
public final class AvgPool2d extends Module {
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;
  private final boolean countIncludePad;

  /** A square window, stride equal to the kernel, no padding. */
  public AvgPool2d(int kernel) {
    this(kernel, kernel, 0);
  }

  /** A square window; padded zeros count in the divisor. */
  public AvgPool2d(int kernel, int stride, int padding) {
    this(
        new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, true);
  }

  /**
   * @param kernel {@code [kh, kw]}, each ≥ 1
   * @param stride {@code [sh, sw]}, each ≥ 1, or {@code null} for the kernel (PyTorch's default)
   * @param padding {@code [ph, pw]}, each between 0 and half the kernel
   * @param countIncludePad whether padded zeros count in the divisor
   */
  public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
    this.kernel = WindowPairs.check("AvgPool2d", "kernel", kernel, 1);
    this.stride = WindowPairs.check("AvgPool2d", "stride", stride == null ? kernel : stride, 1);
    this.padding = WindowPairs.check("AvgPool2d", "padding", padding, 0);
    WindowPairs.checkPoolPadding("AvgPool2d", this.kernel, this.padding);
    this.countIncludePad = countIncludePad;
  }

  @Override
  protected Variable compute(Variable x) {
    return PoolOps.avgPool2d(x, kernel, stride, padding, countIncludePad);
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

  public boolean countIncludePad() {
    return countIncludePad;
  }

  @Override
  public String toString() {
    return "AvgPool2d(kernel "
        + Arrays.toString(kernel)
        + ", stride "
        + Arrays.toString(stride)
        + ", padding "
        + Arrays.toString(padding)
        + (countIncludePad ? "" : ", countIncludePad false")
        + ")";
  }
}
