package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** im2col and col2im against a naive definition, by hand, and as an adjoint pair. */
class ConvKernelsTest {
  /** The definition: {@code cols[(c·kh+u)·kw+v, i·OW+j] = xpad[c, i·sh+u, j·sw+v]}. */
  private static float[] naiveIm2col(float[] x, int channels, Window2d w) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    float[] cols = new float[channels * w.kernelSize() * oh * ow];
    for (int c = 0; c < channels; c++) {
      for (int u = 0; u < w.kernelH(); u++) {
        for (int v = 0; v < w.kernelW(); v++) {
          int row = (c * w.kernelH() + u) * w.kernelW() + v;
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              int ih = i * w.strideH() - w.padH() + u;
              int iw = j * w.strideW() - w.padW() + v;
              boolean in = ih >= 0 && ih < w.height() && iw >= 0 && iw < w.width();
              cols[(row * oh + i) * ow + j] = in ? x[(c * w.height() + ih) * w.width() + iw] : 0f;
            }
          }
        }
      }
    }
    return cols;
  }

  private static final int[][] GEOMETRIES = {
    // C, H, W, kh, kw, sh, sw, ph, pw
    {1, 1, 1, 1, 1, 1, 1, 0, 0},
    {2, 5, 7, 3, 3, 1, 1, 1, 1},
    {3, 6, 5, 2, 3, 2, 1, 0, 1},
    {1, 7, 7, 3, 3, 2, 2, 1, 1},
    {2, 4, 9, 1, 4, 3, 2, 2, 0},
    {1, 5, 5, 2, 2, 4, 4, 0, 0}, // stride larger than the kernel
    {2, 3, 3, 5, 5, 1, 1, 2, 2}, // kernel larger than the input
    {1, 2, 8, 2, 1, 1, 3, 3, 1}, // windows wholly in the padding
  };

  private static Window2d geometry(int[] g) {
    return new Window2d(g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8]);
  }

  @Test
  void im2colMatchesTheDefinition() {
    Rng rng = new Rng(3);
    for (int[] g : GEOMETRIES) {
      Window2d w = geometry(g);
      float[] x = Tensor.randn(rng, 1 + g[0] * w.inPlane()).data(); // one spare element before
      float[] expected = naiveIm2col(java.util.Arrays.copyOfRange(x, 1, x.length), g[0], w);
      float[] cols = new float[expected.length];
      java.util.Arrays.fill(cols, Float.NaN); // every entry must be overwritten
      ConvKernels.im2col(x, 1, g[0], w, cols);
      assertArrayEquals(expected, cols, java.util.Arrays.toString(g));
    }
  }

  @Test
  void col2imIsTheAdjointOfIm2col() {
    // <im2col(x), y> == <x, col2im(y)> for every x, y.
    Rng rng = new Rng(4);
    for (int[] g : GEOMETRIES) {
      Window2d w = geometry(g);
      float[] x = Tensor.randn(rng, g[0] * w.inPlane()).data();
      float[] y = Tensor.randn(rng, g[0] * w.kernelSize() * w.outPlane()).data();
      float[] cols = new float[y.length];
      ConvKernels.im2col(x, 0, g[0], w, cols);
      float[] back = new float[x.length];
      ConvKernels.col2im(y, g[0], w, back, 0);
      double left = 0;
      for (int i = 0; i < y.length; i++) {
        left += (double) cols[i] * y[i];
      }
      double right = 0;
      for (int i = 0; i < x.length; i++) {
        right += (double) x[i] * back[i];
      }
      assertEquals(left, right, 1e-4 * (1 + Math.abs(left)), java.util.Arrays.toString(g));
    }
  }

  @Test
  void col2imAccumulatesOverlappingReadsByHand() {
    // 1x3x3 ones, 2x2 kernel, stride 1: position (r, c) is read by as many windows as cover it.
    Window2d w = new Window2d(3, 3, 2, 2, 1, 1, 0, 0);
    float[] ones = new float[4 * 4];
    java.util.Arrays.fill(ones, 1f);
    float[] dx = new float[9];
    dx[0] = 10f; // accumulated into, not overwritten
    ConvKernels.col2im(ones, 1, w, dx, 0);
    assertArrayEquals(new float[] {11, 2, 1, 2, 4, 2, 1, 2, 1}, dx);
  }

  @Test
  void batchedKernelsEqualTheImageByImageOnes() {
    Rng rng = new Rng(5);
    for (int[] g : GEOMETRIES) {
      Window2d w = geometry(g);
      for (int images : new int[] {1, 2, 3}) {
        int image = g[0] * w.inPlane();
        int rows = g[0] * w.kernelSize();
        int p = w.outPlane();
        float[] x = Tensor.randn(rng, 2 + images * image).data(); // two spare elements before
        float[] cols = new float[rows * images * p];
        java.util.Arrays.fill(cols, Float.NaN);
        ConvKernels.im2colBatch(x, 2, images, g[0], w, cols);
        float[] one = new float[rows * p];
        float[] y = Tensor.randn(rng, rows * images * p).data();
        float[] folded = new float[1 + images * image];
        folded[0] = 7f; // outside the images: untouched
        ConvKernels.col2imBatch(y, images, g[0], w, folded, 1);
        assertEquals(7f, folded[0]);
        for (int n = 0; n < images; n++) {
          ConvKernels.im2col(x, 2 + n * image, g[0], w, one);
          float[] oneY = new float[rows * p];
          for (int r = 0; r < rows; r++) {
            System.arraycopy(cols, r * images * p + n * p, oneY, r * p, p);
          }
          assertArrayEquals(one, oneY, java.util.Arrays.toString(g) + ", image " + n);
          for (int r = 0; r < rows; r++) {
            System.arraycopy(y, r * images * p + n * p, oneY, r * p, p);
          }
          float[] back = new float[image];
          ConvKernels.col2im(oneY, g[0], w, back, 0);
          float[] got = java.util.Arrays.copyOfRange(folded, 1 + n * image, 1 + (n + 1) * image);
          assertArrayEquals(back, got, "col2imBatch " + java.util.Arrays.toString(g) + " " + n);
        }
      }
    }
  }

  @Test
  void rearrangementsAndRowSumsByHand() {
    // prod [O = 2, images 2 × P 3]: channel 0 = 1..6, channel 1 = 7..12; bias [10, 20]
    float[] prod = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    float[] out = new float[1 + 12];
    ConvKernels.channelsToImages(prod, 2, 2, 3, new float[] {10, 20}, out, 1);
    assertArrayEquals(
        new float[] {0, 11, 12, 13, 27, 28, 29, 14, 15, 16, 30, 31, 32}, out); // [n][o][p]
    ConvKernels.channelsToImages(prod, 2, 2, 3, null, out, 0);
    float[] nchw = java.util.Arrays.copyOf(out, 12);
    assertArrayEquals(new float[] {1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}, nchw);
    float[] back = new float[12];
    ConvKernels.imagesToChannels(
        new float[] {0, 1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}, 1, 2, 2, 3, back);
    assertArrayEquals(prod, back);
    double[] acc = {-1, 100, 0};
    ConvKernels.addRowSums(prod, 2, 6, acc, 1);
    assertArrayEquals(new double[] {-1, 121, 57}, acc);
  }

  @Test
  void rowSumsMatchASumInIndexOrderForEveryLength() {
    Rng rng = new Rng(6);
    for (int cols = 0; cols <= 13; cols++) {
      for (int rows : new int[] {1, 3}) {
        float[] m = Tensor.randn(rng, rows * cols).data();
        double[] acc = {0.5, 0.5, 0.5, 0.5};
        ConvKernels.addRowSums(m, rows, cols, acc, 1);
        assertEquals(0.5, acc[0]);
        for (int r = 0; r < rows; r++) {
          double s = 0;
          for (int j = 0; j < cols; j++) {
            s += m[r * cols + j];
          }
          assertEquals(0.5 + s, acc[1 + r], 1e-12, "cols " + cols + ", row " + r);
        }
      }
    }
  }

  @Test
  void im2colByHand() {
    // x = 1..9 as 3x3, kernel 2x2, stride 2, padding 1: windows at (-1,-1), (-1,1), (1,-1), (1,1).
    Window2d w = new Window2d(3, 3, 2, 2, 2, 2, 1, 1);
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] cols = new float[4 * 4];
    ConvKernels.im2col(x, 0, 1, w, cols);
    float[] expected = {
      0, 0, 0, 5, // (u, v) = (0, 0)
      0, 0, 4, 6, // (0, 1)
      0, 2, 0, 8, // (1, 0)
      1, 3, 7, 9, // (1, 1)
    };
    assertArrayEquals(expected, cols);
  }

  @Test
  void windowSizesAndValidation() {
    Window2d w = new Window2d(28, 28, 3, 3, 2, 2, 1, 1);
    assertEquals(14, w.outHeight());
    assertEquals(14, w.outWidth());
    assertEquals(3, new Window2d(7, 8, 3, 2, 2, 3, 0, 0).outHeight());
    assertEquals(3, new Window2d(7, 8, 3, 2, 2, 3, 0, 0).outWidth());
    assertThrows(IllegalArgumentException.class, () -> new Window2d(3, 3, 4, 1, 1, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Window2d(3, 3, 1, 1, 0, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Window2d(3, 3, 1, 1, 1, 1, -1, 0));
  }
}
