package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pooling kernels by hand and at their edge cases. */
class PoolKernelsTest {
  private static final float[] GRID = {1, 2, 3, 4, 5, 6, 7, 8, 9};

  @Test
  void maxPoolByHandWithPadding() {
    // 3x3 grid 1..9, kernel 2, stride 2, padding 1: windows {1}, {2,3}, {4,7}, {5,6,8,9}.
    Window2d w = new Window2d(3, 3, 2, 2, 2, 2, 1, 1);
    float[] out = new float[4];
    int[] arg = new int[4];
    PoolKernels.maxPool(GRID, 1, w, out, arg);
    assertArrayEquals(new float[] {1, 3, 7, 9}, out);
    assertArrayEquals(new int[] {0, 2, 6, 8}, arg);
  }

  @Test
  void maxPoolGradientAccumulatesOverOverlappingWindows() {
    // The centre is the maximum of all four 2x2 windows of a 3x3 plane.
    float[] x = {0, 1, 0, 2, 9, 3, 0, 4, 0};
    Window2d w = new Window2d(3, 3, 2, 2, 1, 1, 0, 0);
    float[] out = new float[4];
    int[] arg = new int[4];
    PoolKernels.maxPool(x, 1, w, out, arg);
    assertArrayEquals(new float[] {9, 9, 9, 9}, out);
    float[] dx = new float[9];
    PoolKernels.maxPoolBackward(new float[] {1, 2, 3, 4}, arg, 1, w, dx);
    assertArrayEquals(new float[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, dx);
  }

  @Test
  void maxPoolTiesPickTheFirstAndNaNPropagates() {
    Window2d w = new Window2d(2, 2, 2, 2, 1, 1, 0, 0);
    float[] out = new float[1];
    int[] arg = new int[1];
    PoolKernels.maxPool(new float[] {1, 5, 5, 2}, 1, w, out, arg);
    assertEquals(1, arg[0]);
    PoolKernels.maxPool(new float[] {1, Float.NaN, 7, 2}, 1, w, out, arg);
    assertTrue(Float.isNaN(out[0]));
    assertEquals(1, arg[0]);
    PoolKernels.maxPool(new float[] {-3, -5, -4, -6}, 1, w, out, arg);
    assertEquals(-3f, out[0]); // padding never wins, negatives are kept
  }

  @Test
  void avgPoolDivisorWithAndWithoutPadding() {
    Window2d w = new Window2d(3, 3, 2, 2, 2, 2, 1, 1);
    float[] incl = new float[4];
    float[] excl = new float[4];
    PoolKernels.avgPool(GRID, 1, w, true, incl);
    PoolKernels.avgPool(GRID, 1, w, false, excl);
    assertArrayEquals(new float[] {1 / 4f, 5 / 4f, 11 / 4f, 28 / 4f}, incl, 1e-6f);
    assertArrayEquals(new float[] {1f, 5 / 2f, 11 / 2f, 28 / 4f}, excl, 1e-6f);
    float[] dx = new float[9];
    PoolKernels.avgPoolBackward(new float[] {1, 1, 1, 1}, 1, w, false, dx);
    assertArrayEquals(new float[] {1, .5f, .5f, .5f, .25f, .25f, .5f, .25f, .25f}, dx, 1e-6f);
  }

  @Test
  void planesAreIndependent() {
    Window2d w = new Window2d(3, 3, 3, 3, 1, 1, 0, 0);
    float[] x = new float[18];
    for (int i = 0; i < 9; i++) {
      x[i] = GRID[i];
      x[9 + i] = -GRID[i];
    }
    float[] out = new float[2];
    int[] arg = new int[2];
    PoolKernels.maxPool(x, 2, w, out, arg);
    assertArrayEquals(new float[] {9, -1}, out);
    assertArrayEquals(new int[] {8, 0}, arg);
    PoolKernels.avgPool(x, 2, w, true, out);
    assertArrayEquals(new float[] {5, -5}, out, 1e-6f);
  }

  @Test
  void twoByTwoKernelEqualsTheGeneralOneIncludingTiesNaNAndInfinities() {
    Rng rng = new Rng(31);
    int[] sizes = {2, 3, 4, 5, 8, 9, 28};
    for (int h : sizes) {
      for (int wd : sizes) {
        Window2d w = new Window2d(h, wd, 2, 2, 2, 2, 0, 0);
        assertTrue(PoolKernels.isTwoByTwo(w));
        int planes = 3;
        float[] x = Tensor.randn(rng, planes * h * wd).data();
        // coarse values make ties common; sprinkle NaN and infinities
        for (int i = 0; i < x.length; i++) {
          x[i] = Math.round(x[i]);
          if (i % 11 == 3) {
            x[i] = Float.NaN;
          } else if (i % 13 == 5) {
            x[i] = Float.NEGATIVE_INFINITY;
          } else if (i % 17 == 7) {
            x[i] = Float.POSITIVE_INFINITY;
          } else if (i % 19 == 9) {
            x[i] = -0f; // ties with +0 (from rounding)
          } else if (i % 23 == 4) {
            x[i] = Float.NaN; // with i % 11 == 3, windows with two NaNs
          }
        }
        int n = planes * w.outPlane();
        float[] expected = new float[n];
        int[] expectedArg = new int[n];
        PoolKernels.maxPoolGeneral(x, planes, w, expected, expectedArg);
        float[] out = new float[n];
        int[] arg = new int[n];
        PoolKernels.maxPool(x, planes, w, out, arg);
        String what = h + "x" + wd;
        assertArrayEquals(expected, out, what);
        assertArrayEquals(expectedArg, arg, what);
      }
    }
  }

  /**
   * W5's first pooling, split over the pool since its cost counts {@link PoolKernels#OPS_PER_READ}
   * per read: the same outputs and argmax for one, two and three threads, forward and backward.
   */
  @Test
  void resultsDoNotDependOnTheThreadCount() {
    int saved = Parallel.threads();
    try {
      Rng rng = new Rng(32);
      int planes = 512;
      Window2d[] windows = {
        new Window2d(28, 28, 2, 2, 2, 2, 0, 0), new Window2d(27, 26, 3, 3, 2, 2, 1, 1)
      };
      for (Window2d w : windows) {
        float[] x = Tensor.randn(rng, planes * w.inPlane()).data();
        float[] g = Tensor.randn(rng, planes * w.outPlane()).data();
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
          Parallel.setThreads(threads);
          float[] out = new float[g.length];
          int[] arg = new int[g.length];
          PoolKernels.maxPool(x, planes, w, out, arg);
          float[] dx = new float[x.length];
          PoolKernels.maxPoolBackward(g, arg, planes, w, dx);
          float[] avg = new float[g.length];
          PoolKernels.avgPool(x, planes, w, true, avg);
          float[] adx = new float[x.length];
          PoolKernels.avgPoolBackward(g, planes, w, false, adx);
          float[] args = new float[arg.length];
          for (int i = 0; i < arg.length; i++) {
            args[i] = arg[i];
          }
          float[][] now = {out, args, dx, avg, adx};
          if (first == null) {
            first = now;
          }
          for (int t = 0; t < now.length; t++) {
            assertArrayEquals(first[t], now[t], w + ", " + threads + " threads, output " + t);
          }
        }
      }
    } finally {
      Parallel.setThreads(saved);
    }
  }

  @Test
  void twoByTwoKernelByHand() {
    // 1x3x4 (the last row is dropped): windows [1, 5, 2, 6] and [3, 4, 7, 7]; ties → first
    Window2d w = new Window2d(3, 4, 2, 2, 2, 2, 0, 0);
    float[] x = {1, 5, 3, 4, 2, 6, 7, 7, 9, 9, 9, 9};
    float[] out = new float[2];
    int[] arg = new int[2];
    PoolKernels.maxPool2x2(x, 1, w, out, arg);
    assertArrayEquals(new float[] {6, 7}, out);
    assertArrayEquals(new int[] {5, 6}, arg);
  }
}
