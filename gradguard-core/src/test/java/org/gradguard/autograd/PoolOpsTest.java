package org.gradguard.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Max and average pooling against direct loops over padded windows, and their errors. */
class PoolOpsTest {
  private static final int[][] SHAPES = {
    // N, C, H, W, kh, kw, sh, sw, ph, pw
    {1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    {2, 3, 4, 4, 2, 2, 2, 2, 0, 0},
    {1, 2, 5, 7, 2, 2, 2, 2, 0, 0}, // odd sizes: the last row and column are dropped
    {2, 1, 7, 7, 3, 3, 2, 2, 1, 1},
    {1, 2, 6, 5, 3, 2, 1, 2, 1, 1}, // non-square kernel
    {1, 1, 9, 8, 2, 3, 3, 4, 1, 0}, // stride larger than the kernel
    {3, 2, 5, 5, 5, 5, 1, 1, 2, 2},
  };

  /**
   * Direct pooling: for each output, visits the {@code kh×kw} window of the padded input; padded
   * positions count as −∞ for max and as 0 (and in the divisor when {@code include}) for avg.
   */
  private static double[] direct(Tensor x, int[] sh, boolean max, boolean include) {
    int oh = (sh[2] + 2 * sh[8] - sh[4]) / sh[6] + 1;
    int ow = (sh[3] + 2 * sh[9] - sh[5]) / sh[7] + 1;
    double[] out = new double[sh[0] * sh[1] * oh * ow];
    int k = 0;
    for (int n = 0; n < sh[0]; n++) {
      for (int c = 0; c < sh[1]; c++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double best = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int inside = 0;
            for (int u = 0; u < sh[4]; u++) {
              for (int v = 0; v < sh[5]; v++) {
                int r = i * sh[6] - sh[8] + u;
                int q = j * sh[7] - sh[9] + v;
                if (r >= 0 && r < sh[2] && q >= 0 && q < sh[3]) {
                  best = Math.max(best, x.get(n, c, r, q));
                  sum += x.get(n, c, r, q);
                  inside++;
                }
              }
            }
            out[k++] = max ? best : sum / (include ? sh[4] * sh[5] : inside);
          }
        }
      }
    }
    return out;
  }

  private static int[] kernel(int[] sh) {
    return new int[] {sh[4], sh[5]};
  }

  private static int[] stride(int[] sh) {
    return new int[] {sh[6], sh[7]};
  }

  private static int[] padding(int[] sh) {
    return new int[] {sh[8], sh[9]};
  }

  private static void assertClose(double[] expected, Tensor actual, String what) {
    float[] a = actual.data();
    assertEquals(expected.length, a.length, what);
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], 1e-6 + 1e-6 * Math.abs(expected[i]), what + " at " + i);
    }
  }

  @Test
  void matchDirectPoolingOverManyShapes() {
    Rng rng = new Rng(5);
    for (int[] sh : SHAPES) {
      Tensor x = Tensor.randn(rng, sh[0], sh[1], sh[2], sh[3]);
      Variable v = Variable.constant(x);
      String what = Arrays.toString(sh);
      assertClose(
          direct(x, sh, true, false),
          PoolOps.maxPool2d(v, kernel(sh), stride(sh), padding(sh)).value(),
          "max " + what);
      for (boolean include : new boolean[] {true, false}) {
        assertClose(
            direct(x, sh, false, include),
            PoolOps.avgPool2d(v, kernel(sh), stride(sh), padding(sh), include).value(),
            "avg include=" + include + " " + what);
      }
    }
  }

  @Test
  void maxGradientGoesToTheArgmaxAndAccumulates() {
    // 1x1x3x3 with the maximum in the centre; k3 s1 p1 gives nine overlapping windows.
    Tensor x = Tensor.of(new float[] {0, 1, 0, 2, 9, 3, 0, 4, 0}, 1, 1, 3, 3);
    Variable v = Variable.leaf(x);
    Variable y = PoolOps.maxPool2d(v, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1});
    assertArrayEquals(new float[] {9, 9, 9, 9, 9, 9, 9, 9, 9}, y.value().data());
    y.sum().backward();
    assertArrayEquals(new float[] {0, 0, 0, 0, 9, 0, 0, 0, 0}, v.grad().data());
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void errorsNameTheOpAndTheShapes() {
    Variable x = Variable.constant(Tensor.zeros(1, 2, 3, 3));
    int[] one = {1, 1};
    String m = error(() -> PoolOps.maxPool2d(x, new int[] {4, 4}, one, new int[] {0, 0}));
    assertTrue(m.contains("maxPool2d: kernel [4, 4] exceeds the padded input [3, 3]"), m);
    m = error(() -> PoolOps.avgPool2d(x, new int[] {3, 3}, one, new int[] {2, 1}, true));
    assertTrue(m.contains("avgPool2d") && m.contains("at most half the kernel"), m);
    m = error(() -> PoolOps.maxPool2d(Variable.constant(Tensor.zeros(2, 3)), one, one, one));
    assertTrue(m.contains("maxPool2d") && m.contains("[2, 3]"), m);
    m = error(() -> PoolOps.avgPool2d(x, new int[] {0, 1}, one, new int[] {0, 0}, true));
    assertTrue(m.contains("kernel") && m.contains("[0, 1]"), m);
    m = error(() -> PoolOps.maxPool2d(x, one, new int[] {1, 0}, new int[] {0, 0}));
    assertTrue(m.contains("stride") && m.contains("[1, 0]"), m);
  }
}
