package org.gradguard.autograd;

import java.util.Arrays;
import org.gradguard.tensor.PoolKernels;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.Window2d;

/**
 * Max and average pooling over NCHW images, with their derivative rules. Both follow PyTorch with
 * {@code ceil_mode=False} and dilation 1: the output has {@code floor((H + 2p − k)/s) + 1} rows
 * (likewise columns), and, as PyTorch requires, padding is at most half the kernel, so every window
 * holds at least one input element.
 */
public final class PoolOps {
  private PoolOps() {}

  private static Window2d window(String op, int[] xs, int[] kernel, int[] stride, int[] padding) {
    WindowArgs.checkImage(op, xs);
    WindowArgs.checkPair(op, "kernel", kernel, 1);
    WindowArgs.checkPair(op, "padding", padding, 0);
    if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
      throw new IllegalArgumentException(
          op
              + ": padding must be at most half the kernel, got padding "
              + Arrays.toString(padding)
              + " for kernel "
              + Arrays.toString(kernel));
    }
    return WindowArgs.window(op, xs, kernel, stride, padding);
  }

  /**
   * {@code torch.nn.functional.max_pool2d}: the maximum of each {@code kh × kw} window of {@code x
   * [N, C, H, W]}, with implicit −∞ padding (never selected). The gradient of each output goes to
   * the position of its window's maximum (the first one on a tie); positions that win several
   * overlapping windows accumulate. A NaN in a window is selected, so it propagates. Not modified:
   * {@code x}.
   */
  public static Variable maxPool2d(Variable x, int[] kernel, int[] stride, int[] padding) {
    int[] xs = x.shape();
    Window2d w = window("maxPool2d", xs, kernel, stride, padding);
    int planes = xs[0] * xs[1];
    float[] out = new float[planes * w.outPlane()];
    int[] argmax = new int[out.length];
    PoolKernels.maxPool(x.value().data(), planes, w, out, argmax);
    return Graph.record(
        Op.MAX_POOL2D,
        Tensor.wrap(out, xs[0], xs[1], w.outHeight(), w.outWidth()),
        g -> {
          Tensor gx = Tensor.zeros(xs);
          PoolKernels.maxPoolBackward(g.data(), argmax, planes, w, gx.data());
          return new Tensor[] {gx};
        },
        x);
  }

  /**
   * {@code torch.nn.functional.avg_pool2d}: the mean of each {@code kh × kw} window of {@code x [N,
   * C, H, W]} with zero padding. The divisor is {@code kh·kw} when {@code countIncludePad}
   * (PyTorch's default), else the number of window elements inside the unpadded input. The gradient
   * spreads each upstream value, divided by the same divisor, over its window. Not modified: {@code
   * x}.
   */
  public static Variable avgPool2d(
      Variable x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
    int[] xs = x.shape();
    Window2d w = window("avgPool2d", xs, kernel, stride, padding);
    int planes = xs[0] * xs[1];
    float[] out = new float[planes * w.outPlane()];
    PoolKernels.avgPool(x.value().data(), planes, w, countIncludePad, out);
    return Graph.record(
        Op.AVG_POOL2D,
        Tensor.wrap(out, xs[0], xs[1], w.outHeight(), w.outWidth()),
        g -> {
          Tensor gx = Tensor.zeros(xs);
          PoolKernels.avgPoolBackward(g.data(), planes, w, countIncludePad, gx.data());
          return new Tensor[] {gx};
        },
        x);
  }
}
