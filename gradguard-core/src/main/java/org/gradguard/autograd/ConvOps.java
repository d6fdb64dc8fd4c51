package org.gradguard.autograd;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.ConvKernels;
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
   * <p>Per image, {@code cols = im2col(x_n)} is {@code [C·kh·kw, OH·OW]} and {@code out_n = W·cols}
   * is one GEMM on {@link Backends#current()}, so a faster backend speeds convolution up. Backward,
   * with {@code G_n [O, OH·OW]}: {@code ∂W = Σ_n G_n·cols_nᵀ}, {@code ∂x_n = col2im(Wᵀ·G_n)} (a
   * scatter-add), {@code ∂b = Σ G}. The columns are recomputed in the backward pass rather than
   * kept, so memory stays at one image's columns.
   *
   * <p>Inputs are not modified.
   *
   * @throws IllegalArgumentException naming the shapes when the input is not 4-D, the channels
   *     differ, the kernel exceeds the padded input, or stride/padding are invalid
   */
  public static Variable conv2d(
      Variable x, Variable weight, Variable bias, int[] stride, int[] padding) {
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
    int k = c * w.kernelSize();
    int p = w.outPlane();
    float[] xd = x.value().data();
    float[] wd = weight.value().data();
    Backend be = Backends.current();
    float[] out = new float[n * outC * p];
    float[] cols = w.isPointwise() ? null : new float[k * p];
    for (int i = 0; i < n; i++) {
      int xo = i * c * w.inPlane();
      if (cols == null) {
        be.gemm(false, false, outC, p, k, wd, 0, xd, xo, out, i * outC * p, false);
      } else {
        ConvKernels.im2col(xd, xo, c, w, cols);
        be.gemm(false, false, outC, p, k, wd, 0, cols, 0, out, i * outC * p, false);
      }
    }
    if (bias != null) {
      float[] bd = bias.value().data();
      for (int i = 0; i < n * outC; i++) {
        float b = bd[i % outC];
        for (int q = i * p; q < (i + 1) * p; q++) {
          out[q] += b;
        }
      }
    }
    Tensor result = Tensor.wrap(out, n, outC, w.outHeight(), w.outWidth());
    Backward rule =
        g -> {
          float[] gd = g.data();
          Tensor gx = null;
          Tensor gw = null;
          Tensor gb = null;
          float[] buf = cols == null ? null : new float[k * p];
          if (weight.requiresGrad()) {
            gw = Tensor.zeros(ws);
            for (int i = 0; i < n; i++) {
              int xo = i * c * w.inPlane();
              float[] src = xd;
              int so = xo;
              if (buf != null) {
                ConvKernels.im2col(xd, xo, c, w, buf);
                src = buf;
                so = 0;
              }
              be.gemm(false, true, outC, k, p, gd, i * outC * p, src, so, gw.data(), 0, true);
            }
          }
          if (x.requiresGrad()) {
            gx = Tensor.zeros(xs);
            float[] gxd = gx.data();
            for (int i = 0; i < n; i++) {
              int xo = i * c * w.inPlane();
              if (buf == null) {
                be.gemm(true, false, k, p, outC, wd, 0, gd, i * outC * p, gxd, xo, false);
              } else {
                be.gemm(true, false, k, p, outC, wd, 0, gd, i * outC * p, buf, 0, false);
                ConvKernels.col2im(buf, c, w, gxd, xo);
              }
            }
          }
          if (bias != null && bias.requiresGrad()) {
            double[] acc = new double[outC];
            for (int i = 0; i < n * outC; i++) {
              double s = 0;
              for (int q = i * p; q < (i + 1) * p; q++) {
                s += gd[q];
              }
              acc[i % outC] += s;
            }
            gb = Tensor.ofDoubles(acc, outC);
          }
          return new Tensor[] {gx, gw, gb};
        };
    return bias == null
        ? Graph.record(Op.CONV2D, result, g -> java.util.Arrays.copyOf(rule.apply(g), 2), x, weight)
        : Graph.record(Op.CONV2D, result, rule, x, weight, bias);
  }
}
