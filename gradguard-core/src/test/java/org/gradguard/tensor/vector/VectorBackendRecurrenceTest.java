package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend#elmanForwardSteps} and {@link VectorBackend#elmanBackwardSteps} against
 * {@link ReferenceBackend} and a hand-computed case. The products add the same terms in another
 * order (fused multiply-adds) and tanh is within a few units in the last place, so values agree
 * within {@code 1e-5·(1 + Σ|terms|)}, propagated through the steps.
 */
class VectorBackendRecurrenceTest {
  private static final Backend VECTOR = new VectorBackend();
  private static final Backend REFERENCE = new ReferenceBackend();

  @Test
  void handComputedTwoSteps() {
    // N = 1, H = 2, W_hh = [[1, 2], [3, 4]], h0 = [1, -1], projections 0 and [0.5, 0.25]:
    // relu: h1 = relu([1 - 2, 3 - 4]) = [0, 0]; h2 = relu([0.5, 0.25] + 0) = [0.5, 0.25]
    float[] w = {1, 2, 3, 4};
    float[] h0 = {1, -1};
    for (Backend be : new Backend[] {VECTOR, REFERENCE}) {
      float[] out = {0, 0, 0.5f, 0.25f};
      be.elmanForwardSteps(false, 2, 1, 2, w, h0, out);
      assertArrayEquals(new float[] {0, 0, 0.5f, 0.25f}, out, be.name());
      // tanh, one step from h0 = [1, -1] with projection 0: h1 = tanh([-1, -1])
      float[] outT = {0, 0};
      be.elmanForwardSteps(true, 1, 1, 2, w, h0, outT);
      float t = (float) Math.tanh(-1);
      assertArrayEquals(new float[] {t, t}, outT, 1e-7f, be.name());
      // backward of relu through both steps with G = [[0, 0], [1, 2]]: dA_2 = [1, 2] (h2 > 0),
      // dh_1 = dA_2·W_hh = [1 + 6, 2 + 8] = [7, 10], dA_1 = 0 (h1 = 0), dh0 = 0
      float[] dA = new float[4];
      float[] dh0 = {9, 9};
      float[] dW = {9, 9, 9, 9};
      be.elmanBackwardSteps(false, 2, 1, 2, w, h0, out, new float[] {0, 0, 1, 2}, dA, dh0, dW);
      assertArrayEquals(new float[] {0, 0, 1, 2}, dA, be.name());
      assertArrayEquals(new float[] {0, 0}, dh0, be.name());
      // ∂W_hh = dA_2ᵀ·h1 + dA_1ᵀ·h0 = 0 (h1 = 0, dA_1 = 0)
      assertArrayEquals(new float[] {0, 0, 0, 0}, dW, be.name());
      // tanh, one step: dA = G·(1 − h²), dh0 = dA·W_hh
      float d = 1 - t * t;
      be.elmanBackwardSteps(true, 1, 1, 2, w, h0, outT, new float[] {1, 1}, dA, dh0, dW);
      assertEquals(d, dA[0], 1e-7f);
      assertEquals(4 * d, dh0[0], 1e-6f);
      assertEquals(6 * d, dh0[1], 1e-6f);
      // ∂W_hh = dA_0ᵀ·h0: [[d, −d], [d, −d]]
      assertArrayEquals(new float[] {d, -d, d, -d}, dW, 1e-7f, be.name());
    }
  }

  @Test
  void matchesReferenceOverShapes() {
    int[] batches = {1, 2, 5, 6, 7, 13, 64};
    int[] hiddens = {1, 3, 8, 15, 16, 17, 33, 128};
    int[] steps = {1, 2, 5};
    Rng rng = new Rng(3);
    for (int n : batches) {
      for (int h : hiddens) {
        for (int t : steps) {
          for (boolean tanh : new boolean[] {true, false}) {
            for (boolean withH0 : new boolean[] {true, false}) {
              compare(rng, tanh, t, n, h, withH0);
            }
          }
        }
      }
    }
  }

  @Test
  void weightGradientOverSeveralDepthBlocks() {
    // (T − 1)·N = 512 and 392 products per weight element: more than one depth block of 256
    Rng rng = new Rng(4);
    compare(rng, true, 9, 64, 33, true);
    compare(rng, false, 9, 49, 128, false);
  }

  @Test
  void weightGradientDoesNotDependOnTheThreadCount() {
    Rng rng = new Rng(6);
    int t = 9;
    int n = 64;
    int h = 100;
    float[] w = Tensor.randn(rng, h, h).mul(0.1f).data();
    float[] out = Tensor.randn(rng, t, n, h).data();
    float[] g = Tensor.randn(rng, t, n, h).data();
    float[] h0 = Tensor.randn(rng, n, h).data();
    float[][] dW = new float[2][h * h];
    int previous = org.gradguard.tensor.Parallel.threads();
    try {
      for (int threads = 1; threads <= 2; threads++) {
        org.gradguard.tensor.Parallel.setThreads(threads);
        float[] dA = new float[t * n * h];
        VECTOR.elmanBackwardSteps(true, t, n, h, w, h0, out, g, dA, null, dW[threads - 1]);
      }
    } finally {
      org.gradguard.tensor.Parallel.setThreads(previous);
    }
    assertArrayEquals(dW[0], dW[1]);
  }

  private static void compare(Rng rng, boolean tanh, int t, int n, int h, boolean withH0) {
    String what = "tanh " + tanh + ", T " + t + ", N " + n + ", H " + h + ", h0 " + withH0;
    float scale = (float) (1 / Math.sqrt(h));
    float[] w = Tensor.randn(rng, h, h).mul(scale).data();
    float[] h0 = withH0 ? Tensor.randn(rng, n, h).data() : null;
    float[] proj = Tensor.randn(rng, t, n, h).data();
    float[] expected = proj.clone();
    float[] actual = proj.clone();
    REFERENCE.elmanForwardSteps(tanh, t, n, h, w, h0, expected);
    VECTOR.elmanForwardSteps(tanh, t, n, h, w, h0, actual);
    close(expected, actual, h, "forward, " + what);
    float[] g = Tensor.randn(rng, t, n, h).data();
    float[] dAe = new float[t * n * h];
    float[] dAa = new float[t * n * h];
    float[] dh0e = withH0 ? new float[n * h] : null;
    float[] dh0a = withH0 ? new float[n * h] : null;
    float[] dWe = new float[h * h];
    float[] dWa = new float[h * h];
    java.util.Arrays.fill(dWa, Float.NaN); // overwritten
    REFERENCE.elmanBackwardSteps(tanh, t, n, h, w, h0, expected, g, dAe, dh0e, dWe);
    VECTOR.elmanBackwardSteps(tanh, t, n, h, w, h0, expected, g, dAa, dh0a, dWa);
    close(dAe, dAa, h, "dA, " + what);
    close(dWe, dWa, t * n, "dW_hh, " + what);
    if (withH0) {
      close(dh0e, dh0a, h, "dh0, " + what);
    }
  }

  private static void close(float[] expected, float[] actual, int depth, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      double tol = 1e-5 * (1 + Math.abs(expected[i]) + Math.sqrt(depth));
      assertEquals(expected[i], actual[i], tol, what + ", element " + i);
    }
  }
}
