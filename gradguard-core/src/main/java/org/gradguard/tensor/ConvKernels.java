package org.gradguard.tensor;

import java.util.Arrays;

/**
 * The unfolding kernels behind convolution as a matrix product (im2col, Chellapilla et al. 2006,
 * "High Performance Convolutional Neural Networks for Document Processing").
 *
 * <p>For one image {@code x [C, H, W]} and a {@link Window2d}, {@code cols} is the matrix {@code
 * [C·kh·kw, OH·OW]} whose row {@code (c·kh + u)·kw + v} and column {@code i·OW + j} holds {@code
 * xpad[c, i·sh + u, j·sw + v]} (zero in the padding). A convolution is then one GEMM {@code W[O,
 * C·kh·kw] · cols}, and its input gradient is {@link #col2im}, the adjoint of {@link #im2col} (a
 * scatter-add), applied to {@code Wᵀ·G}.
 */
public final class ConvKernels {
  private ConvKernels() {}

  /**
   * Unfolds the image {@code x[xOffset ..]} of shape {@code [channels, H, W]} into {@code cols
   * [channels·kh·kw, OH·OW]}. Modified: {@code cols} (fully overwritten); {@code x} is not.
   */
  public static void im2col(float[] x, int xOffset, int channels, Window2d w, float[] cols) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    int rows = channels * w.kernelSize();
    Parallel.forRange(
        rows,
        (long) oh * ow,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            unfoldRow(x, xOffset, w, r, oh, ow, cols);
          }
        });
  }

  private static void unfoldRow(
      float[] x, int xOffset, Window2d w, int r, int oh, int ow, float[] cols) {
    int v = r % w.kernelW();
    int u = (r / w.kernelW()) % w.kernelH();
    int c = r / w.kernelSize();
    int plane = xOffset + c * w.inPlane();
    int lo = Window2d.firstInside(v, w.strideW(), w.padW());
    int hi = Math.max(lo, Window2d.endInside(v, w.strideW(), w.padW(), w.width(), ow));
    int sw = w.strideW();
    for (int i = 0; i < oh; i++) {
      int dst = (r * oh + i) * ow;
      int ih = i * w.strideH() - w.padH() + u;
      if (ih < 0 || ih >= w.height()) {
        Arrays.fill(cols, dst, dst + ow, 0f);
        continue;
      }
      Arrays.fill(cols, dst, dst + lo, 0f);
      int src = plane + ih * w.width() + lo * sw - w.padW() + v;
      if (sw == 1) {
        System.arraycopy(x, src, cols, dst + lo, hi - lo);
      } else {
        for (int j = lo; j < hi; j++, src += sw) {
          cols[dst + j] = x[src];
        }
      }
      Arrays.fill(cols, dst + hi, dst + ow, 0f);
    }
  }

  /**
   * Folds {@code cols [channels·kh·kw, OH·OW]} back onto an image, adding every entry to the input
   * position it was read from (entries that fell in the padding are dropped): the adjoint of {@link
   * #im2col}. Modified: {@code dx[dxOffset ..]} of shape {@code [channels, H, W]} (accumulated
   * into); {@code cols} is not.
   */
  public static void col2im(float[] cols, int channels, Window2d w, float[] dx, int dxOffset) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    int k = w.kernelSize();
    Parallel.forRange(
        channels,
        (long) k * oh * ow,
        (from, to) -> {
          for (int c = from; c < to; c++) {
            for (int r = c * k; r < (c + 1) * k; r++) {
              foldRow(cols, w, r, oh, ow, dx, dxOffset + c * w.inPlane());
            }
          }
        });
  }

  private static void foldRow(
      float[] cols, Window2d w, int r, int oh, int ow, float[] dx, int plane) {
    int v = r % w.kernelW();
    int u = (r / w.kernelW()) % w.kernelH();
    int lo = Window2d.firstInside(v, w.strideW(), w.padW());
    int hi = Window2d.endInside(v, w.strideW(), w.padW(), w.width(), ow);
    int sw = w.strideW();
    for (int i = 0; i < oh; i++) {
      int ih = i * w.strideH() - w.padH() + u;
      if (ih < 0 || ih >= w.height()) {
        continue;
      }
      int src = (r * oh + i) * ow;
      int dst = plane + ih * w.width() + lo * sw - w.padW() + v;
      for (int j = lo; j < hi; j++, dst += sw) {
        dx[dst] += cols[src + j];
      }
    }
  }
}
