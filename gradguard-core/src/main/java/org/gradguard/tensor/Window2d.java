package org.gradguard.tensor;

/**
 * The geometry of a 2-D sliding window (convolution or pooling) over planes of {@code height ×
 * width}: kernel, stride and zero padding on both sides of each axis, dilation 1. The output has
 * {@code floor((H + 2p − k)/s) + 1} positions along each axis (PyTorch's formula with {@code
 * ceil_mode=False}).
 *
 * <p>The constructor only checks that the numbers describe a window that fits; the ops and layers
 * validate their own arguments first, so that their messages name them.
 *
 * @param height input height H
 * @param width input width W
 * @param kernelH kernel height kh
 * @param kernelW kernel width kw
 * @param strideH vertical stride sh
 * @param strideW horizontal stride sw
 * @param padH zero rows added above and below
 * @param padW zero columns added left and right
 */
public record Window2d(
    int height, int width, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
  public Window2d {
    if (height < 1
        || width < 1
        || kernelH < 1
        || kernelW < 1
        || strideH < 1
        || strideW < 1
        || padH < 0
        || padW < 0
        || kernelH > height + 2 * padH
        || kernelW > width + 2 * padW) {
      throw new IllegalArgumentException(
          "Window2d: kernel "
              + kernelH
              + "x"
              + kernelW
              + ", stride "
              + strideH
              + "x"
              + strideW
              + ", padding "
              + padH
              + "x"
              + padW
              + " does not fit an input of "
              + height
              + "x"
              + width);
    }
  }

  /** {@code floor((H + 2·padH − kernelH) / strideH) + 1}. */
  public int outHeight() {
    return (height + 2 * padH - kernelH) / strideH + 1;
  }

  /** {@code floor((W + 2·padW − kernelW) / strideW) + 1}. */
  public int outWidth() {
    return (width + 2 * padW - kernelW) / strideW + 1;
  }

  /** {@code H·W}, the size of one input plane. */
  public int inPlane() {
    return height * width;
  }

  /** {@code outHeight·outWidth}, the size of one output plane. */
  public int outPlane() {
    return outHeight() * outWidth();
  }

  /** {@code kh·kw}. */
  public int kernelSize() {
    return kernelH * kernelW;
  }

  /** True when unfolding is the identity: a 1×1 kernel, stride 1, no padding. */
  public boolean isPointwise() {
    return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
  }

  /**
   * The first output index {@code o} whose input coordinate {@code o·stride − pad + offset} is
   * {@code ≥ 0}.
   */
  static int firstInside(int offset, int stride, int pad) {
    int need = pad - offset; // o·stride ≥ need
    return need <= 0 ? 0 : (need + stride - 1) / stride;
  }

  /**
   * One past the last output index {@code o < outSize} whose input coordinate {@code o·stride − pad
   * + offset} is {@code < size}.
   */
  static int endInside(int offset, int stride, int pad, int size, int outSize) {
    int limit = size - 1 + pad - offset; // o·stride ≤ limit
    if (limit < 0) {
      return 0;
    }
    return Math.min(outSize, limit / stride + 1);
  }
}
