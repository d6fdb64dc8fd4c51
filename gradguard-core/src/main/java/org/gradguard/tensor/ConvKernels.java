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
    int p = w.outPlane();
    Parallel.forRange(
        channels * w.kernelSize(),
        p,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            unfoldRow(x, xOffset, w, r, cols, r * p);
          }
        });
  }

  /**
   * Unfolds a batch: {@code images} images {@code [channels, H, W]} stored one after another from
   * {@code x[xOffset]} into {@code cols [channels·kh·kw, images·OH·OW]}, whose columns {@code
   * n·OH·OW .. (n+1)·OH·OW} are image n's {@link #im2col}. A convolution of the whole batch is then
   * one GEMM. Modified: {@code cols} (its first {@code channels·kh·kw·images·OH·OW} entries,
   * overwritten); {@code x} is not.
   */
  public static void im2colBatch(
      float[] x, int xOffset, int images, int channels, Window2d w, float[] cols) {
    int p = w.outPlane();
    int rows = channels * w.kernelSize();
    int image = channels * w.inPlane();
    int ld = images * p;
    Parallel.forRange(
        rows * images,
        p,
        (from, to) -> {
          for (int q = from; q < to; q++) {
            int r = q / images;
            int n = q % images;
            unfoldRow(x, xOffset + n * image, w, r, cols, r * ld + n * p);
          }
        });
  }

  /** Writes row {@code r} of one image's columns ({@code OH·OW} entries) at {@code cols[dst0]}. */
  private static void unfoldRow(float[] x, int xOffset, Window2d w, int r, float[] cols, int dst0) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    int v = r % w.kernelW();
    int u = (r / w.kernelW()) % w.kernelH();
    int c = r / w.kernelSize();
    int plane = xOffset + c * w.inPlane();
    int lo = Window2d.firstInside(v, w.strideW(), w.padW());
    int hi = Math.max(lo, Window2d.endInside(v, w.strideW(), w.padW(), w.width(), ow));
    int sw = w.strideW();
    for (int i = 0; i < oh; i++) {
      int dst = dst0 + i * ow;
      int ih = i * w.strideH() - w.padH() + u;
      if (ih < 0 || ih >= w.height()) {
        Arrays.fill(cols, dst, dst + ow, 0f);
        continue;
      }
      // the padding columns are 0–2 entries: a loop, not Arrays.fill, whose call and range check
      // cost more than the copy in a 28-wide row
      for (int j = 0; j < lo; j++) {
        cols[dst + j] = 0f;
      }
      int src = plane + ih * w.width() + lo * sw - w.padW() + v;
      if (sw == 1) {
        System.arraycopy(x, src, cols, dst + lo, hi - lo);
      } else {
        for (int j = lo; j < hi; j++, src += sw) {
          cols[dst + j] = x[src];
        }
      }
      for (int j = hi; j < ow; j++) {
        cols[dst + j] = 0f;
      }
    }
  }

  /**
   * Folds {@code cols [channels·kh·kw, OH·OW]} back onto an image, adding every entry to the input
   * position it was read from (entries that fell in the padding are dropped): the adjoint of {@link
   * #im2col}. Modified: {@code dx[dxOffset ..]} of shape {@code [channels, H, W]} (accumulated
   * into); {@code cols} is not.
   */
  public static void col2im(float[] cols, int channels, Window2d w, float[] dx, int dxOffset) {
    int p = w.outPlane();
    int k = w.kernelSize();
    Parallel.forRange(
        channels,
        (long) k * p,
        (from, to) -> {
          for (int c = from; c < to; c++) {
            for (int r = c * k; r < (c + 1) * k; r++) {
              foldRow(cols, r * p, w, r, dx, dxOffset + c * w.inPlane());
            }
          }
        });
  }

  /**
   * The adjoint of {@link #im2colBatch}: folds {@code cols [channels·kh·kw, images·OH·OW]} back
   * onto {@code images} images stored one after another from {@code dx[dxOffset]}. Modified: {@code
   * dx} (accumulated into); {@code cols} is not.
   */
  public static void col2imBatch(
      float[] cols, int images, int channels, Window2d w, float[] dx, int dxOffset) {
    int p = w.outPlane();
    int k = w.kernelSize();
    int ld = images * p;
    // one task per (image, channel) plane: each writes only its own plane
    Parallel.forRange(
        images * channels,
        (long) k * p,
        (from, to) -> {
          for (int q = from; q < to; q++) {
            int n = q / channels;
            int c = q % channels;
            int plane = dxOffset + q * w.inPlane();
            for (int r = c * k; r < (c + 1) * k; r++) {
              foldRow(cols, r * ld + n * p, w, r, dx, plane);
            }
          }
        });
  }

  /** Adds row {@code r} of one image's columns, read from {@code cols[src0]}, onto its plane. */
  private static void foldRow(float[] cols, int src0, Window2d w, int r, float[] dx, int plane) {
    int oh = w.outHeight();
    int ow = w.outWidth();
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
      int src = src0 + i * ow;
      int dst = plane + ih * w.width() + lo * sw - w.padW() + v;
      if (sw == 1) {
        // unit stride: a plain indexed loop, which the JIT vectorises
        int d = dst - lo;
        for (int j = lo; j < hi; j++) {
          dx[d + j] += cols[src + j];
        }
      } else {
        for (int j = lo; j < hi; j++, dst += sw) {
          dx[dst] += cols[src + j];
        }
      }
    }
  }

  /**
   * Rearranges a batched convolution's product {@code prod [O, images·P]} (channel-major, as {@code
   * W·cols}) into NCHW {@code out[outOffset ..] [images, O, P]}, adding {@code bias[o]} (when not
   * null) to channel o. Modified: {@code out}; {@code prod} and {@code bias} are not.
   */
  public static void channelsToImages(
      float[] prod, int channels, int images, int p, float[] bias, float[] out, int outOffset) {
    int ld = images * p;
    Parallel.forRange(
        images * channels,
        p,
        (from, to) -> {
          for (int q = from; q < to; q++) {
            int n = q / channels;
            int o = q % channels;
            int src = o * ld + n * p;
            int dst = outOffset + q * p;
            if (bias == null) {
              System.arraycopy(prod, src, out, dst, p);
            } else {
              float b = bias[o];
              for (int j = 0; j < p; j++) {
                out[dst + j] = prod[src + j] + b;
              }
            }
          }
        });
  }

  /**
   * The inverse rearrangement: NCHW {@code g[gOffset ..] [images, O, P]} into channel-major {@code
   * gT [O, images·P]}. Modified: {@code gT} (its first {@code O·images·P} entries); {@code g} is
   * not.
   */
  public static void imagesToChannels(
      float[] g, int gOffset, int channels, int images, int p, float[] gT) {
    int ld = images * p;
    Parallel.forRange(
        images * channels,
        p,
        (from, to) -> {
          for (int q = from; q < to; q++) {
            int n = q / channels;
            int o = q % channels;
            System.arraycopy(g, gOffset + q * p, gT, o * ld + n * p, p);
          }
        });
  }

  /**
   * {@code acc[accOffset + r] += Σ_j m[r·cols + j]} for each of {@code rows} rows, summed in double
   * (a bias gradient): four partial sums over {@code j mod 4}, added as {@code (s0 + s1) + (s2 +
   * s3)}. Four chains, not one, because one double addition waits for the previous (4 cycles): a
   * single chain made this 3% of a W5 step. Modified: {@code acc}.
   */
  public static void addRowSums(float[] m, int rows, int cols, double[] acc, int accOffset) {
    for (int r = 0; r < rows; r++) {
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int j = r * cols;
      int end = j + cols;
      for (; j + 3 < end; j += 4) {
        s0 += m[j];
        s1 += m[j + 1];
        s2 += m[j + 2];
        s3 += m[j + 3];
      }
      for (int t = 0; j < end; j++, t++) {
        switch (t) {
          case 0 -> s0 += m[j];
          case 1 -> s1 += m[j];
          default -> s2 += m[j];
        }
      }
      acc[accOffset + r] += (s0 + s1) + (s2 + s3);
    }
  }
}
