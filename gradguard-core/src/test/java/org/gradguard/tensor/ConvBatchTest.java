package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvBatch} against a direct convolution in double, on the reference and the vector
 * backend, with one and two threads and several chunkings; bit-identical results for every thread
 * count; the partition by hand.
 */
class ConvBatchTest {
  /** Every public method of {@link ConvBatch} → the tests that check it. */
  private static final Map<String, List<String>> COVERAGE =
      Map.of(
          "forward",
          List.of(
              "matchesTheDirectConvolution",
              "bitIdenticalForEveryThreadCount",
              "argumentErrorsNameTheMethodAndTheValue"),
          "backward",
          List.of(
              "matchesTheDirectConvolution",
              "bitIdenticalForEveryThreadCount",
              "argumentErrorsNameTheMethodAndTheValue"),
          "chunks",
          List.of("partitionByHand"),
          "groups",
          List.of("partitionByHand"));

  private static final int[][] SHAPES = {
    // N, C, H, W, O, kh, kw, sh, sw, ph, pw
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, // everything 1
    {1, 2, 7, 9, 3, 3, 3, 1, 1, 1, 1}, // batch 1, odd sizes, "same" padding
    {3, 1, 8, 8, 2, 3, 3, 2, 2, 1, 1},
    {5, 3, 7, 6, 2, 2, 3, 1, 2, 0, 1}, // non-square kernel and stride
    {2, 2, 9, 7, 3, 1, 4, 2, 1, 0, 2}, // 1x4 kernel
    {3, 3, 9, 9, 2, 2, 2, 3, 3, 0, 0}, // stride larger than the kernel
    {2, 1, 3, 3, 2, 5, 5, 1, 1, 1, 1}, // kernel larger than the input
    {7, 2, 5, 5, 4, 1, 1, 1, 1, 0, 0}, // 1x1 kernel
    {20, 3, 6, 5, 5, 3, 3, 1, 1, 1, 1}, // 20 one-image chunks: more chunks than groups
    {9, 4, 12, 11, 17, 3, 3, 1, 1, 1, 1}, // odd channel counts, larger than a vector
  };

  private final int savedThreads = Parallel.threads();

  @AfterEach
  void restore() {
    Parallel.setThreads(savedThreads);
  }

  private static List<Backend> backends() {
    List<Backend> list = new ArrayList<>(List.of(new ReferenceBackend()));
    if (Backends.vectorAvailable()) {
      list.add(Backends.create("vector"));
    }
    return list;
  }

  /** One problem: inputs, geometry and the direct results with their error bounds. */
  private record Problem(
      int[] sh, Window2d w, float[] x, float[] weight, float[] bias, float[] g, Direct expected) {
    static Problem of(int[] sh, Rng rng) {
      Window2d w = new Window2d(sh[2], sh[3], sh[5], sh[6], sh[7], sh[8], sh[9], sh[10]);
      float[] x = Tensor.randn(rng, sh[0] * sh[1] * w.inPlane()).data();
      float[] weight = Tensor.randn(rng, sh[4] * sh[1] * w.kernelSize()).data();
      float[] bias = Tensor.randn(rng, sh[4]).data();
      float[] g = Tensor.randn(rng, sh[0] * sh[4] * w.outPlane()).data();
      return new Problem(sh, w, x, weight, bias, g, Direct.of(sh, w, x, weight, bias, g));
    }

    /** {out, gx, gw, gb (as float)} from ConvBatch; gx starts at 1 (accumulated into). */
    float[][] run(Backend be, long budget) {
      float[] out = new float[expected.value[0].length];
      float[] gx = new float[x.length];
      Arrays.fill(gx, 1f);
      float[] gw = new float[weight.length];
      double[] gb = new double[bias.length];
      ConvBatch.forward(be, x, sh[0], sh[1], w, weight, sh[4], bias, out, budget);
      ConvBatch.backward(be, x, sh[0], sh[1], w, weight, sh[4], g, gx, gw, gb, budget);
      float[] gbf = new float[gb.length];
      for (int o = 0; o < gb.length; o++) {
        gbf[o] = (float) gb[o];
      }
      return new float[][] {out, gx, gw, gbf};
    }
  }

  /** The direct sums in double, and the sums of the absolute terms (a bound on rounding). */
  private record Direct(double[][] value, double[][] magnitude) {
    static Direct of(int[] sh, Window2d w, float[] x, float[] wt, float[] b, float[] g) {
      int n = sh[0];
      int c = sh[1];
      int o = sh[4];
      int oh = w.outHeight();
      int ow = w.outWidth();
      double[] out = new double[n * o * oh * ow];
      double[] outM = new double[out.length];
      double[] gx = new double[x.length];
      double[] gxM = new double[x.length];
      double[] gw = new double[wt.length];
      double[] gwM = new double[wt.length];
      double[] gb = new double[o];
      double[] gbM = new double[o];
      for (int in = 0; in < n; in++) {
        for (int io = 0; io < o; io++) {
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              int oi = ((in * o + io) * oh + i) * ow + j;
              out[oi] = b[io];
              outM[oi] = Math.abs(b[io]);
              gb[io] += g[oi];
              gbM[io] += Math.abs(g[oi]);
              for (int ic = 0; ic < c; ic++) {
                for (int u = 0; u < w.kernelH(); u++) {
                  for (int v = 0; v < w.kernelW(); v++) {
                    int r = i * w.strideH() - w.padH() + u;
                    int q = j * w.strideW() - w.padW() + v;
                    if (r < 0 || r >= w.height() || q < 0 || q >= w.width()) {
                      continue;
                    }
                    int xi = ((in * c + ic) * w.height() + r) * w.width() + q;
                    int wi = ((io * c + ic) * w.kernelH() + u) * w.kernelW() + v;
                    out[oi] += (double) wt[wi] * x[xi];
                    outM[oi] += Math.abs((double) wt[wi] * x[xi]);
                    gx[xi] += (double) g[oi] * wt[wi];
                    gxM[xi] += Math.abs((double) g[oi] * wt[wi]);
                    gw[wi] += (double) g[oi] * x[xi];
                    gwM[wi] += Math.abs((double) g[oi] * x[xi]);
                  }
                }
              }
            }
          }
        }
      }
      for (int i = 0; i < gx.length; i++) {
        gx[i] += 1; // the test's gx starts at 1
        gxM[i] += 1;
      }
      return new Direct(new double[][] {out, gx, gw, gb}, new double[][] {outM, gxM, gwM, gbM});
    }
  }

  private static final String[] NAMES = {"out", "gx", "gw", "gb"};

  private static void assertClose(Direct d, float[][] got, String what) {
    for (int t = 0; t < 4; t++) {
      assertEquals(d.value[t].length, got[t].length, what + " " + NAMES[t]);
      for (int i = 0; i < got[t].length; i++) {
        // float32 rounding of a sum: a few ulps of the sum of the absolute terms
        double tol = 1e-6 * (1 + d.magnitude[t][i]);
        assertEquals(d.value[t][i], got[t][i], tol, what + " " + NAMES[t] + " at " + i);
      }
    }
  }

  /** Budgets of one image per chunk, two and a bit, and the whole batch (the default's role). */
  private static long[] budgets(int[] sh, Window2d w) {
    long perImage = (long) sh[1] * w.kernelSize() * w.outPlane();
    return new long[] {1, 2 * perImage + 1, Long.MAX_VALUE};
  }

  @Test
  void matchesTheDirectConvolution() {
    Rng rng = new Rng(21);
    poisonTheBuffers();
    for (int[] sh : SHAPES) {
      Problem pr = Problem.of(sh, rng);
      for (Backend be : backends()) {
        for (int threads : new int[] {1, 2}) {
          Parallel.setThreads(threads);
          for (long budget : budgets(sh, pr.w)) {
            String what =
                Arrays.toString(sh) + " " + be.name() + ", " + threads + " threads, " + budget;
            assertClose(pr.expected, pr.run(be, budget), what);
          }
        }
      }
    }
  }

  /** Leaves NaN in this thread's scratch arrays: no result may depend on what they held. */
  private static void poisonTheBuffers() {
    int[] sh = {4, 3, 9, 9, 6, 3, 3, 1, 1, 1, 1};
    Problem pr = Problem.of(sh, new Rng(1));
    Arrays.fill(pr.x, Float.NaN);
    Arrays.fill(pr.g, Float.NaN);
    pr.run(new ReferenceBackend(), Long.MAX_VALUE);
  }

  @Test
  void bitIdenticalForEveryThreadCount() {
    // large enough for the pool to split it: 8 images × 2·16·72·256 FLOP
    int[][] shapes = {{8, 8, 16, 16, 16, 3, 3, 1, 1, 1, 1}, {19, 3, 13, 11, 9, 3, 2, 2, 1, 1, 0}};
    Rng rng = new Rng(22);
    for (int[] sh : shapes) {
      Problem pr = Problem.of(sh, rng);
      for (Backend be : backends()) {
        for (long budget : budgets(sh, pr.w)) {
          Parallel.setThreads(1);
          float[][] one = pr.run(be, budget);
          for (int threads = 2; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[][] many = pr.run(be, budget);
            for (int t = 0; t < 4; t++) {
              String what =
                  Arrays.toString(sh) + " " + be.name() + " " + NAMES[t] + ", budget " + budget;
              assertArrayEquals(one[t], many[t], what + ", " + threads + " threads");
            }
          }
        }
      }
    }
  }

  @Test
  void theChunksRunOnSeveralThreads() {
    int[] sh = {8, 8, 16, 16, 16, 3, 3, 1, 1, 1, 1};
    Problem pr = Problem.of(sh, new Rng(23));
    Set<Thread> seen = ConcurrentHashMap.newKeySet();
    // each product waits until two threads have run one: the caller cannot claim every chunk
    // before the helper starts, and a pool that never hands out a chunk fails after 60 s
    CountDownLatch two = new CountDownLatch(2);
    Backend recording = new ThreadRecordingBackend(seen, two);
    Parallel.setThreads(2);
    float[][] got = pr.run(recording, 1);
    assertEquals(2, seen.size(), "threads that ran products: " + seen);
    assertClose(pr.expected, got, "recording backend");
  }

  @Test
  void partitionByHand() {
    // W5: 1 channel of 28×28, 3×3 → 7056 columns per image, 9 fit 65536: 64 images in 8 chunks
    assertEquals(8, ConvBatch.chunks(64, 9 * 784, 1 << 16));
    // 32 channels of 14×14 → 56448 per image: one each
    assertEquals(64, ConvBatch.chunks(64, 288 * 196, 1 << 16));
    assertEquals(1, ConvBatch.chunks(64, 288 * 196, Long.MAX_VALUE));
    assertEquals(0, ConvBatch.chunks(0, 10, 100));
    assertEquals(3, ConvBatch.chunks(5, 10, 20)); // two per chunk: 2 + 1 + 2
    assertEquals(16, ConvBatch.groups(64));
    assertEquals(5, ConvBatch.groups(5));
    assertEquals(0, ConvBatch.groups(0));
    int[] bounds = new int[4];
    for (int i = 0; i <= 3; i++) {
      bounds[i] = ConvBatch.start(5, 3, i);
    }
    assertArrayEquals(new int[] {0, 1, 3, 5}, bounds);
    for (int n = 1; n <= 70; n++) {
      for (int parts = 1; parts <= n; parts++) {
        for (int i = 0; i < parts; i++) {
          int size = ConvBatch.start(n, parts, i + 1) - ConvBatch.start(n, parts, i);
          assertTrue(size == n / parts || size == n / parts + 1, n + "/" + parts + " part " + i);
        }
      }
    }
    String m =
        assertThrows(IllegalArgumentException.class, () -> ConvBatch.chunks(4, 0, 10)).getMessage();
    assertTrue(m.contains("ConvBatch.chunks") && m.contains("columnsPerImage"), m);
  }

  @Test
  void argumentErrorsNameTheMethodAndTheValue() {
    Window2d w = new Window2d(4, 4, 3, 3, 1, 1, 1, 1);
    Backend be = new ReferenceBackend();
    float[] x = new float[2 * 3 * 16];
    float[] wt = new float[5 * 27];
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvBatch.forward(be, x, 2, 3, w, wt, 5, null, new float[10], 1 << 16))
            .getMessage();
    assertEquals("ConvBatch.forward: out has 10 floats, expected 160", m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvBatch.forward(be, x, 3, 3, w, wt, 5, null, new float[240], 1 << 16))
            .getMessage();
    assertEquals("ConvBatch.forward: x has 96 floats, expected 144", m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    ConvBatch.backward(
                        be, x, 2, 3, w, wt, 5, new float[160], null, new float[7], null, 1 << 16))
            .getMessage();
    assertEquals("ConvBatch.backward: gw has 7 floats, expected 135", m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvBatch.forward(be, x, 2, 0, w, wt, 5, null, new float[160], 1 << 16))
            .getMessage();
    assertTrue(m.startsWith("ConvBatch.forward: images must be >= 0") && m.contains("2, 0, 5"), m);
  }

  @Test
  void everyPublicMethodHasATest() {
    Set<String> tests =
        Arrays.stream(ConvBatchTest.class.getDeclaredMethods())
            .filter(m -> m.isAnnotationPresent(Test.class))
            .map(Method::getName)
            .collect(java.util.stream.Collectors.toSet());
    for (Method m : ConvBatch.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
        assertTrue(COVERAGE.containsKey(m.getName()), "ConvBatch." + m.getName() + " has no test");
        assertTrue(tests.containsAll(COVERAGE.get(m.getName())), m.getName());
      }
    }
  }

  /** The reference backend's products, recording the threads that run them. */
  private static final class ThreadRecordingBackend implements Backend {
    private final Backend reference = new ReferenceBackend();
    private final Set<Thread> seen;
    private final CountDownLatch two;

    ThreadRecordingBackend(Set<Thread> seen, CountDownLatch two) {
      this.seen = seen;
      this.two = two;
    }

    @Override
    public String name() {
      return "recording";
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
      if (seen.add(Thread.currentThread())) {
        two.countDown();
      }
      try {
        if (!two.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("only " + seen + " ran products");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      reference.gemm(ta, tb, m, n, k, a, ao, b, bo, c, co, acc);
    }

    @Override
    public void map(UnaryOp op, float[] x, float[] out, int n) {
      throw new UnsupportedOperationException("map");
    }

    @Override
    public void zip(
        BinaryOp op, float[] a, int[] as, float[] b, int[] bs, float[] out, int[] shape) {
      throw new UnsupportedOperationException("zip");
    }

    @Override
    public void reduce(ReduceOp op, float[] x, int outer, int len, int inner, float[] out) {
      throw new UnsupportedOperationException("reduce");
    }

    @Override
    public void elmanForwardSteps(
        boolean tanh, int steps, int batch, int hidden, float[] w, float[] h0, float[] out) {
      throw new UnsupportedOperationException("elmanForwardSteps");
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
      throw new UnsupportedOperationException("elmanBackwardSteps");
    }
  }
}
