package org.gradguard.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.BinaryOp;
import org.gradguard.tensor.ReduceOp;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

/** conv2d (im2col + GEMM) against a direct seven-loop convolution, by hand, and its errors. */
class ConvOpsTest {
  private static final int[][] SHAPES = {
    // N, C, H, W, O, kh, kw, sh, sw, ph, pw
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, // everything 1
    {2, 3, 5, 5, 4, 1, 1, 1, 1, 0, 0}, // 1x1 kernel (pointwise path)
    {1, 2, 6, 6, 3, 1, 1, 2, 2, 1, 1}, // 1x1 kernel, strided and padded
    {1, 2, 7, 9, 3, 3, 3, 1, 1, 1, 1}, // batch 1, odd sizes, "same" padding
    {3, 1, 8, 8, 2, 3, 3, 2, 2, 1, 1},
    {2, 3, 7, 6, 2, 2, 3, 1, 2, 0, 1}, // non-square kernel and stride
    {2, 2, 9, 7, 3, 1, 4, 2, 1, 0, 2}, // 1x4 kernel
    {1, 3, 9, 9, 2, 2, 2, 3, 3, 0, 0}, // stride larger than the kernel
    {2, 2, 5, 6, 3, 5, 2, 4, 1, 2, 0},
    {1, 1, 3, 3, 2, 5, 5, 1, 1, 1, 1}, // kernel larger than the input
  };

  /** out[n,o,i,j] = b[o] + Σ_{c,u,v} w[o,c,u,v]·xpad[n,c,i·sh+u,j·sw+v], summed in double. */
  private static double[] direct(Tensor x, Tensor w, Tensor b, int[] s, int[] p) {
    int n = x.size(0);
    int c = x.size(1);
    int h = x.size(2);
    int wd = x.size(3);
    int o = w.size(0);
    int kh = w.size(2);
    int kw = w.size(3);
    int oh = (h + 2 * p[0] - kh) / s[0] + 1;
    int ow = (wd + 2 * p[1] - kw) / s[1] + 1;
    double[] out = new double[n * o * oh * ow];
    for (int in = 0; in < n; in++) {
      for (int io = 0; io < o; io++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double acc = b == null ? 0 : b.get(io);
            for (int ic = 0; ic < c; ic++) {
              for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                  int r = i * s[0] - p[0] + u;
                  int q = j * s[1] - p[1] + v;
                  if (r >= 0 && r < h && q >= 0 && q < wd) {
                    acc += (double) w.get(io, ic, u, v) * x.get(in, ic, r, q);
                  }
                }
              }
            }
            out[((in * o + io) * oh + i) * ow + j] = acc;
          }
        }
      }
    }
    return out;
  }

  private static void assertClose(double[] expected, Tensor actual, String what) {
    float[] a = actual.data();
    assertEquals(expected.length, a.length, what);
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], 1e-5 + 1e-5 * Math.abs(expected[i]), what + " at " + i);
    }
  }

  private static Variable conv(Variable x, Variable w, Variable b, int[] s, int[] p) {
    return ConvOps.conv2d(x, w, b, s, p);
  }

  @Test
  void matchesDirectConvolutionOverManyShapes() {
    Rng rng = new Rng(11);
    for (int[] sh : SHAPES) {
      for (boolean withBias : new boolean[] {true, false}) {
        Tensor x = Tensor.randn(rng, sh[0], sh[1], sh[2], sh[3]);
        Tensor w = Tensor.randn(rng, sh[4], sh[1], sh[5], sh[6]);
        Tensor b = withBias ? Tensor.randn(rng, sh[4]) : null;
        int[] s = {sh[7], sh[8]};
        int[] p = {sh[9], sh[10]};
        Variable y =
            conv(
                Variable.constant(x),
                Variable.constant(w),
                b == null ? null : Variable.constant(b),
                s,
                p);
        assertClose(direct(x, w, b, s, p), y.value(), Arrays.toString(sh) + " bias " + withBias);
      }
    }
  }

  /**
   * The gradients against the direct convolution's own: since the output is linear in x and in w,
   * {@code ∂L/∂x[e]} is the direct output with x replaced by the unit vector e, dotted with G.
   */
  @Test
  void gradientsMatchTheDirectConvolutionsAdjoint() {
    Rng rng = new Rng(12);
    for (int[] sh : new int[][] {SHAPES[2], SHAPES[5], SHAPES[8]}) {
      Tensor x = Tensor.randn(rng, sh[0], sh[1], sh[2], sh[3]);
      Tensor w = Tensor.randn(rng, sh[4], sh[1], sh[5], sh[6]);
      Tensor b = Tensor.randn(rng, sh[4]);
      int[] s = {sh[7], sh[8]};
      int[] p = {sh[9], sh[10]};
      Variable xv = Variable.leaf(x);
      Variable wv = Variable.leaf(w);
      Variable bv = Variable.leaf(b);
      Variable y = conv(xv, wv, bv, s, p);
      Tensor g = Tensor.randn(rng, y.shape());
      y.backward(g);
      assertClose(basisGradient(x, e -> direct(e, w, null, s, p), g), xv.grad(), "dx");
      assertClose(basisGradient(w, e -> direct(x, e, null, s, p), g), wv.grad(), "dw");
      double[] db = new double[sh[4]];
      for (int i = 0; i < g.numel(); i++) {
        db[(i / (g.size(2) * g.size(3))) % sh[4]] += g.data()[i];
      }
      assertClose(db, bv.grad(), "db");
    }
  }

  private static double[] basisGradient(
      Tensor at, java.util.function.Function<Tensor, double[]> linear, Tensor g) {
    double[] grad = new double[at.numel()];
    for (int e = 0; e < grad.length; e++) {
      Tensor unit = Tensor.zeros(at.shape());
      unit.data()[e] = 1f;
      double[] y = linear.apply(unit);
      for (int k = 0; k < y.length; k++) {
        grad[e] += y[k] * g.data()[k];
      }
    }
    return grad;
  }

  @Test
  void batchCutIntoChunksGivesTheSameValuesAndGradients() {
    // column budgets of one image, two images and a remainder, and all at once
    Rng rng = new Rng(13);
    for (int[] sh : new int[][] {SHAPES[4], SHAPES[5], SHAPES[8]}) {
      Tensor x = Tensor.randn(rng, 5, sh[1], sh[2], sh[3]);
      Tensor w = Tensor.randn(rng, sh[4], sh[1], sh[5], sh[6]);
      Tensor b = Tensor.randn(rng, sh[4]);
      int[] s = {sh[7], sh[8]};
      int[] p = {sh[9], sh[10]};
      Variable[] whole = run(x, w, b, s, p, ConvOps.MAX_COLUMN_FLOATS);
      double[] expected = direct(x, w, b, s, p);
      assertClose(expected, whole[0].value(), "all at once");
      long perImage = (long) sh[1] * sh[5] * sh[6] * whole[0].shape()[2] * whole[0].shape()[3];
      for (long budget : new long[] {1, perImage, 2 * perImage + 1}) {
        Variable[] cut = run(x, w, b, s, p, budget);
        String what = java.util.Arrays.toString(sh) + ", budget " + budget;
        assertClose(expected, cut[0].value(), "values, " + what);
        for (int i = 1; i < 4; i++) {
          assertClose(whole[i].grad().toDoubleArray(), cut[i].grad(), "gradient " + i + what);
        }
      }
    }
  }

  /** {output, x, w, b} after a backward pass of a fixed upstream gradient. */
  private static Variable[] run(Tensor x, Tensor w, Tensor b, int[] s, int[] p, long budget) {
    Variable xv = Variable.leaf(x.copy());
    Variable wv = Variable.leaf(w.copy());
    Variable bv = Variable.leaf(b.copy());
    Variable y = ConvOps.conv2d(xv, wv, bv, s, p, budget);
    y.backward(Tensor.randn(new Rng(99), y.shape()));
    return new Variable[] {y, xv, wv, bv};
  }

  @Test
  void handComputedCase() {
    // x = 1..9 (3x3); kernel [[1, 0], [0, 1]] adds each pixel to its lower-right neighbour.
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    Tensor w = Tensor.of(new float[] {1, 0, 0, 1}, 1, 1, 2, 2);
    Variable y =
        conv(
            Variable.constant(x),
            Variable.constant(w),
            Variable.constant(Tensor.vector(10f)),
            new int[] {1, 1},
            new int[] {0, 0});
    assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
    assertArrayEquals(new float[] {16, 18, 22, 24}, y.value().data());
    // Stride 2, padding 1: windows at (-1,-1), (-1,1), (1,-1), (1,1); the kernel's top-left tap
    // lands in the padding except in the last one: 0+1, 0+3, 0+7, 5+9.
    Variable z =
        conv(Variable.constant(x), Variable.constant(w), null, new int[] {2, 2}, new int[] {1, 1});
    assertArrayEquals(new float[] {1, 3, 7, 14}, z.value().data());
  }

  @Test
  void onlyTheInputsThatRequireGradientsGetThem() {
    Variable x = Variable.constant(Tensor.randn(new Rng(1), 1, 2, 4, 4));
    Variable w = Variable.leaf(Tensor.randn(new Rng(2), 3, 2, 3, 3));
    Variable b = Variable.constant(Tensor.zeros(3));
    Variable y = conv(x, w, b, new int[] {1, 1}, new int[] {1, 1});
    y.sum().backward();
    assertNull(x.grad());
    assertNull(b.grad());
    assertArrayEquals(new int[] {3, 2, 3, 3}, w.grad().shape());
  }

  @Test
  void runsItsProductsOnTheCurrentBackend() {
    AtomicInteger calls = new AtomicInteger();
    Backend reference = new ReferenceBackend();
    Backend counting =
        new Backend() {
          @Override
          public String name() {
            return "counting";
          }

          @Override
          public void gemm(
              boolean ta,
              boolean tb,
              int m,
              int n,
              int k,
              float[] a,
              int ao,
              float[] b,
              int bo,
              float[] c,
              int co,
              boolean acc) {
            calls.incrementAndGet();
            reference.gemm(ta, tb, m, n, k, a, ao, b, bo, c, co, acc);
          }

          @Override
          public void map(UnaryOp op, float[] x, float[] out, int n) {
            reference.map(op, x, out, n);
          }

          @Override
          public void zip(
              BinaryOp op, float[] a, int[] as, float[] b, int[] bs, float[] out, int[] shape) {
            reference.zip(op, a, as, b, bs, out, shape);
          }

          @Override
          public void reduce(ReduceOp op, float[] x, int outer, int len, int inner, float[] out) {
            reference.reduce(op, x, outer, len, inner, out);
          }

          @Override
          public void elmanForwardSteps(
              boolean tanh, int steps, int batch, int hidden, float[] w, float[] h0, float[] out) {
            reference.elmanForwardSteps(tanh, steps, batch, hidden, w, h0, out);
          }

          @Override
          public void elmanBackwardSteps(
              boolean tanh,
              int steps,
              int batch,
              int hidden,
              float[] w,
              float[] h0,
              float[] out,
              float[] g,
              float[] dA,
              float[] dh0,
              float[] dW) {
            reference.elmanBackwardSteps(tanh, steps, batch, hidden, w, h0, out, g, dA, dh0, dW);
          }
        };
    Backend previous = Backends.use(counting);
    try {
      Variable x = Variable.leaf(Tensor.randn(new Rng(1), 2, 2, 4, 4));
      Variable w = Variable.leaf(Tensor.randn(new Rng(2), 3, 2, 3, 3));
      Variable y = conv(x, w, null, new int[] {1, 1}, new int[] {1, 1});
      assertEquals(1, calls.get(), "one GEMM for the whole batch forward");
      y.backward(Tensor.ones(y.shape()));
      assertEquals(3, calls.get(), "weight and input gradients: one GEMM each for the batch");
    } finally {
      Backends.use(previous);
    }
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void shapeErrorsNameTheShapes() {
    Variable x = Variable.constant(Tensor.zeros(2, 3, 4, 4));
    Variable w = Variable.constant(Tensor.zeros(5, 2, 3, 3));
    int[] one = {1, 1};
    int[] zero = {0, 0};
    String m = error(() -> conv(x, w, null, one, zero));
    assertTrue(m.contains("conv2d") && m.contains("[2, 3, 4, 4]") && m.contains("[5, 2, 3, 3]"), m);
    Variable big = Variable.constant(Tensor.zeros(5, 3, 7, 3));
    m = error(() -> conv(x, big, null, one, new int[] {1, 0}));
    assertTrue(m.contains("kernel [7, 3] exceeds the padded input [6, 4]"), m);
    assertTrue(m.contains("[2, 3, 4, 4]"), m);
    Variable w3 = Variable.constant(Tensor.zeros(5, 3, 3, 3));
    m = error(() -> conv(Variable.constant(Tensor.zeros(3, 4, 4)), w3, null, one, zero));
    assertTrue(m.contains("4-D") && m.contains("[3, 4, 4]"), m);
    m = error(() -> conv(x, w3, Variable.constant(Tensor.zeros(4)), one, zero));
    assertTrue(m.contains("bias [4]") && m.contains("expected [5]"), m);
    m = error(() -> conv(x, w3, null, new int[] {0, 1}, zero));
    assertTrue(m.contains("stride") && m.contains("[0, 1]"), m);
    m = error(() -> conv(x, w3, null, one, new int[] {-1, 0}));
    assertTrue(m.contains("padding") && m.contains("[-1, 0]"), m);
    m = error(() -> conv(x, w3, null, new int[] {1}, zero));
    assertTrue(m.contains("stride") && m.contains("[1]"), m);
  }
}
