package org.gradguard.autograd;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.ConvBatch;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.Window2d;

/** Two-dimensional convolution as im2col + GEMM, with its derivative rule. */
public final class ConvOps {
  private ConvOps() {}

  /**
   * {@code torch.nn.functional.conv2d} with dilation 1 and groups 1: the cross-correlation
   *
   * <pre>
   * out[n,o,i,j] = b[o] + Σ_{c,u,v} W[o,c,u,v] · xpad[n, c, i·sh + u, j·sw + v]
   * </pre>
   *
   * of {@code x [N, C, H, W]} with {@code weight [O, C, kh, kw]} (no kernel flip), {@code bias [O]}
   * or {@code null}, zero padding {@code [ph, pw]} on both sides. Output {@code [N, O, OH, OW]}
   * with {@code OH = floor((H + 2ph − kh)/sh) + 1}, likewise OW.
   *
   * <p>Computed by {@link ConvBatch} on {@link Backends#current()}: for a chunk of images, {@code
   * cols = im2col(x)} is {@code [C·kh·kw, n·OH·OW]} and {@code W·cols} is one GEMM {@code [O,
   * n·OH·OW]}, rearranged to NCHW with the bias added. Backward, with {@code G [O, n·OH·OW]} (the
   * upstream gradient rearranged the same way): {@code ∂W = Σ G·colsᵀ}, {@code ∂x = col2im(Wᵀ·G)}
   * (a scatter-add), {@code ∂b = Σ G} (in double). Chunks hold as many images as fit {@link
   * #MAX_COLUMN_FLOATS} and run in parallel; their columns are unfolded again in the backward pass
   * (the unfolding is a few percent of the products' time, and keeping the columns of a batch of 64
   * would take 14 MiB for W5's second convolution). The result does not depend on the thread count.
   *
   * <p>Inputs are not modified.
   *
   * @throws IllegalArgumentException naming the shapes when the input is not 4-D, the channels
   *     differ, the kernel exceeds the padded input, or stride/padding are invalid
   */
  public static Variable conv2d(
      Variable x, Variable weight, Variable bias, int[] stride, int[] padding) {
    return conv2d(x, weight, bias, stride, padding, MAX_COLUMN_FLOATS);
  }

  /** {@link #conv2d} holding at most {@code maxColumnFloats} unfolded columns (tests: chunking). */
  static Variable conv2d(
      Variable x,
      Variable weight,
      Variable bias,
      int[] stride,
      int[] padding,
      long maxColumnFloats) {
    int[] xs = x.shape();
    int[] ws = weight.shape();
    WindowArgs.checkImage("conv2d", xs);
    if (ws.length != 4 || Shapes.numel(ws) == 0 || ws[1] != xs[1]) {
      throw new IllegalArgumentException(
          "conv2d: input "
              + Shapes.format(xs)
              + " and weight "
              + Shapes.format(ws)
              + ": expected weight [out, "
              + xs[1]
              + ", kh, kw] for an input with "
              + xs[1]
              + " channels");
    }
    if (bias != null && (bias.value().dim() != 1 || bias.value().size(0) != ws[0])) {
      throw new IllegalArgumentException(
          "conv2d: bias "
              + Shapes.format(bias.shape())
              + " for weight "
              + Shapes.format(ws)
              + ": expected ["
              + ws[0]
              + "]");
    }
    Window2d w = WindowArgs.window("conv2d", xs, new int[] {ws[2], ws[3]}, stride, padding);
    int n = xs[0];
    int c = xs[1];
    int outC = ws[0];
    float[] xd = x.value().data();
    float[] wd = weight.value().data();
    float[] bd = bias == null ? null : bias.value().data();
    Backend be = Backends.current();
    float[] out = new float[n * outC * w.outPlane()];
    ConvBatch.forward(be, xd, n, c, w, wd, outC, bd, out, maxColumnFloats);
    Tensor result = Tensor.wrap(out, n, outC, w.outHeight(), w.outWidth());
    Backward rule =
        g -> {
          Tensor gw = weight.requiresGrad() ? Tensor.zeros(ws) : null;
          Tensor gx = x.requiresGrad() ? Tensor.zeros(xs) : null;
          double[] gb = bias != null && bias.requiresGrad() ? new double[outC] : null;
          ConvBatch.backward(
              be,
              xd,
              n,
              c,
              w,
              wd,
              outC,
              g.data(),
              gx == null ? null : gx.data(),
              gw == null ? null : gw.data(),
              gb,
              maxColumnFloats);
          Tensor gbt = gb == null ? null : Tensor.ofDoubles(gb, outC);
          return new Tensor[] {gx, gw, gbt};
        };
    return bias == null
        ? Graph.record(Op.CONV2D, result, g -> java.util.Arrays.copyOf(rule.apply(g), 2), x, weight)
        : Graph.record(Op.CONV2D, result, rule, x, weight, bias);
  }

  /**
   * The most floats of unfolded columns per product (256 KiB, an L2 cache): a 3×3 convolution of 32
   * channels over 14×14 images takes one image per product, of one channel over 28×28 images at
   * most nine (a batch of 64 becomes 8 chunks of 8). Measured on W5, unfolding a whole batch of 64
   * into one 14 MiB product was slower than this: the columns and the input gradient's columns then
   * stream through memory.
   */
  static final long MAX_COLUMN_FLOATS = 1L << 16;
}
