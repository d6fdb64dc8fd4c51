package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.ChildJvm;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The monitor's scans: the Vector API kernels against the scalar ones, method by method, over many
 * lengths (0, 1, odd, around and beyond every lane count) and inputs (ordinary, huge, signed zeros,
 * NaN and infinity, squares that underflow float32); both against a naive loop and a hand-computed
 * case. Sums must agree to {@link #SUM_TOLERANCE} relative to the sum of the terms' magnitudes (the
 * vector loops sum float blocks, see {@link VectorScans}); minima, maxima and counts exactly, zero
 * signs included.
 */
class ScansTest {
  private static final int[] LENGTHS = {
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 1000, 1023,
    1024, 2047, 4097, 10_001
  };

  /**
   * The float-block bound of {@link VectorScans}: a block of {@code BLOCK} non-negative terms
   * summed in float lanes is within {@code BLOCK·2⁻²⁴} relative; the double sum of block sums adds
   * nothing visible at this scale.
   */
  private static final double SUM_TOLERANCE = VectorScans.BLOCK * 0x1p-24;

  private static final ScanKernels SCALAR = ScalarScans.INSTANCE;

  private static ScanKernels vector() {
    ScanKernels v = Scans.vector();
    assertNotNull(v, "the tests run with --add-modules jdk.incubator.vector");
    return v;
  }

  /** How an input array is filled. */
  private enum Fill {
    GAUSSIAN,
    HUGE, // squares overflow float32 but not double
    TINY, // squares underflow float32 but not double
    SIGNED_ZEROS,
    NON_NEGATIVE_WITH_ZEROS,
    NON_FINITE
  }

  private static float[] fill(Fill f, int n, Random r) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] =
          switch (f) {
            case GAUSSIAN -> (float) r.nextGaussian();
            case HUGE -> (float) (r.nextGaussian() * 1e25);
            case TINY -> (float) (r.nextGaussian() * 1e-25);
            case SIGNED_ZEROS -> r.nextBoolean() ? 0f : -0f;
            case NON_NEGATIVE_WITH_ZEROS -> r.nextInt(3) == 0 ? 0f : (float) r.nextDouble();
            case NON_FINITE -> (float) r.nextGaussian();
          };
    }
    if (f == Fill.NON_FINITE && n > 0) {
      float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
      for (int k = 0; k < 1 + n / 7; k++) {
        x[r.nextInt(n)] = bad[r.nextInt(3)];
      }
    }
    return x;
  }

  /** Every (fill, length) pair, each with its own seed. */
  private static List<float[]> inputs(long seed) {
    Random r = new Random(seed);
    List<float[]> out = new ArrayList<>();
    for (Fill f : Fill.values()) {
      for (int n : LENGTHS) {
        out.add(fill(f, n, r));
      }
    }
    return out;
  }

  private static void assertClose(double expected, double actual, String what) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      assertEquals(expected, actual, what);
      return;
    }
    // the terms summed here are non-negative, so the sum is the sum of their magnitudes
    assertEquals(expected, actual, SUM_TOLERANCE * Math.abs(expected) + 1e-300, what);
  }

  private static void assertSameFloat(float expected, float actual, String what) {
    assertEquals(
        Float.floatToIntBits(expected),
        Float.floatToIntBits(actual),
        what + ": expected " + expected + ", got " + actual);
  }

  private static double naiveSumSq(float[] x, int off, int n) {
    double s = 0;
    for (int i = off; i < off + n; i++) {
      s += (double) x[i] * x[i];
    }
    return s;
  }

  @Test
  void gradientAndParameterMatchesScalar() {
    Random r = new Random(7);
    for (float[] g : inputs(1)) {
      int n = g.length;
      float[] p = fill(Fill.GAUSSIAN, n, r);
      for (float[] grad : new float[][] {g, null}) {
        Scans.GradientScan a = new Scans.GradientScan();
        Scans.GradientScan b = new Scans.GradientScan();
        SCALAR.gradientAndParameter(grad, p, n, a);
        vector().gradientAndParameter(grad, p, n, b);
        String at = "n=" + n + (grad == null ? " without gradient" : "");
        assertClose(a.paramSumSq, b.paramSumSq, "paramSumSq " + at);
        assertClose(a.paramSumAbs, b.paramSumAbs, "paramSumAbs " + at);
        assertClose(a.gradSumSq, b.gradSumSq, "gradSumSq " + at);
        if (grad != null) {
          assertClose(naiveSumSq(g, 0, n), b.gradSumSq, "gradSumSq vs naive " + at);
        }
        if (Double.isFinite(a.gradSumSq)) {
          // the kernels' extremes are specified for finite gradients only
          assertSameFloat(a.finiteMin, b.finiteMin, "min " + at);
          assertSameFloat(a.finiteMax, b.finiteMax, "max " + at);
        }
      }
    }
  }

  @Test
  void finishedScansAgreeExactlyIncludingNonFiniteGradients() {
    Random r = new Random(8);
    for (float[] g : inputs(2)) {
      int n = g.length;
      float[] p = fill(Fill.GAUSSIAN, n, r);
      Scans.GradientScan a = Scans.gradientAndParameter(SCALAR, g, p, n);
      Scans.GradientScan b = Scans.gradientAndParameter(vector(), g, p, n);
      long bad = 0;
      float maxAbs = 0;
      for (float v : g) {
        bad += Float.isFinite(v) ? 0 : 1;
        maxAbs = Float.isFinite(v) ? Math.max(maxAbs, Math.abs(v)) : maxAbs;
      }
      String at = "n=" + n;
      assertEquals(bad, a.nonFinite, "scalar nonFinite " + at);
      assertEquals(bad, b.nonFinite, "vector nonFinite " + at);
      assertSameFloat(maxAbs, a.gradMaxAbs, "scalar maxAbs " + at);
      assertSameFloat(maxAbs, b.gradMaxAbs, "vector maxAbs " + at);
      assertSameFloat(a.finiteMin, b.finiteMin, "finite min " + at);
      assertSameFloat(a.finiteMax, b.finiteMax, "finite max " + at);
      assertClose(a.gradSumSq, b.gradSumSq, "gradSumSq " + at);
    }
  }

  @Test
  void handComputedGradientScan() {
    float[] g = {3, -4, 0, 12, Float.NaN, -0f, Float.POSITIVE_INFINITY, 1, 2};
    float[] p = {1, -2, 2, 0, 0, 0, 0, 0, 4};
    for (ScanKernels k : List.of(SCALAR, vector())) {
      Scans.GradientScan s = Scans.gradientAndParameter(k, g, p, g.length);
      assertTrue(Double.isNaN(s.gradSumSq), k.getClass().getSimpleName());
      assertEquals(2, s.nonFinite);
      assertSameFloat(-4, s.finiteMin, "min");
      assertSameFloat(12, s.finiteMax, "max");
      assertSameFloat(12, s.gradMaxAbs, "maxAbs");
      assertEquals(25, s.paramSumSq, 0);
      assertEquals(9, s.paramSumAbs, 0);
      float[] finite = {3, -4, 0, 12, -0f, 1, 2, 0, 0};
      Scans.GradientScan f = Scans.gradientAndParameter(k, finite, p, finite.length);
      assertEquals(174, f.gradSumSq, 0);
      assertEquals(0, f.nonFinite);
      // all zeros: Math.min orders -0 before +0, and so must every kernel
      float[] zeros = {0f, -0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -0f};
      Scans.GradientScan z = Scans.gradientAndParameter(k, zeros, new float[10], 10);
      assertSameFloat(-0f, z.finiteMin, "min of zeros");
      assertSameFloat(0f, z.finiteMax, "max of zeros");
    }
  }

  @Test
  void sumSqAndSumAbsMatchesScalar() {
    for (float[] u : inputs(3)) {
      double[] a = new double[2];
      double[] b = new double[2];
      SCALAR.sumSqAndSumAbs(u, u.length, a);
      vector().sumSqAndSumAbs(u, u.length, b);
      assertClose(a[0], b[0], "sum of squares, n=" + u.length);
      assertClose(a[1], b[1], "sum of |u|, n=" + u.length);
    }
    double[] hand = new double[2];
    vector().sumSqAndSumAbs(new float[] {3, -4, 0, 1, -2, 2, 0, 0, 4}, 9, hand);
    assertEquals(50, hand[0], 0);
    assertEquals(16, hand[1], 0);
  }

  @Test
  void sumSqMatchesScalar() {
    for (float[] x : inputs(4)) {
      int n = x.length;
      for (int off : new int[] {0, Math.min(n, 1), n / 3}) {
        int len = n - off;
        double a = SCALAR.sumSq(x, off, len);
        assertClose(naiveSumSq(x, off, len), a, "scalar vs naive, n=" + n + " off=" + off);
        assertClose(a, vector().sumSq(x, off, len), "n=" + n + " off=" + off);
      }
    }
    // long enough for the float-block loop: its fallbacks must give the double results
    float[] big = new float[100];
    big[37] = 1e20f; // its square overflows float32, not double
    assertEquals(1e20f * (double) 1e20f, vector().sumSq(big, 0, 100), 0);
    float[] tiny = new float[100];
    Arrays.fill(tiny, 1e-30f); // its square underflows float32
    assertEquals(100 * (1e-30f * (double) 1e-30f), vector().sumSq(tiny, 0, 100), 1e-73);
    // several float blocks and a remainder, exact in float: 3001 · 3² and 3001 · (−2)²
    float[] threes = new float[3001];
    Arrays.fill(threes, 3f);
    assertEquals(27_009, vector().sumSq(threes, 0, 3001), 0);
    Arrays.fill(threes, -2f);
    assertEquals(12_004, vector().sumSq(threes, 0, 3001), 0);
  }

  @Test
  void shiftedMomentsMatchesScalar() {
    for (float[] x : inputs(5)) {
      for (double shift : new double[] {0, 0.37, -2.5}) {
        double[] a = new double[2];
        double[] b = new double[2];
        SCALAR.shiftedMoments(x, x.length, shift, a);
        vector().shiftedMoments(x, x.length, shift, b);
        String at = "n=" + x.length + " shift=" + shift;
        // a sum of shifted values can cancel: compare relative to the sum of their magnitudes
        double scale = 0;
        for (float v : x) {
          scale += Math.abs(v - shift);
        }
        if (Double.isFinite(a[0])) {
          assertEquals(a[0], b[0], SUM_TOLERANCE * scale + 1e-300, "sum " + at);
        } else {
          assertEquals(a[0], b[0], "sum " + at);
        }
        assertClose(a[1], b[1], "sum of squares " + at);
      }
    }
    double[] hand = new double[2];
    vector().shiftedMoments(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 9, 5, hand);
    assertEquals(0, hand[0], 0);
    assertEquals(60, hand[1], 0);
  }

  @Test
  void countOutsideMatchesScalar() {
    for (float[] x : inputs(6)) {
      float[] s = sigmoidLike(x);
      assertEquals(
          SCALAR.countOutside(s, s.length, 0.01f, 0.99f),
          vector().countOutside(s, s.length, 0.01f, 0.99f),
          "n=" + s.length);
    }
    float[] hand = {0.01f, 0.5f, 0.99f, Float.NaN, 0.005f, 1f, 0.2f, 0.3f, 0.989f};
    assertEquals(4, vector().countOutside(hand, hand.length, 0.01f, 0.99f));
  }

  @Test
  void countAbsAtLeastMatchesScalar() {
    for (float[] x : inputs(7)) {
      float[] t = new float[x.length];
      for (int i = 0; i < t.length; i++) {
        t[i] = (float) Math.tanh(x[i]);
      }
      assertEquals(
          SCALAR.countAbsAtLeast(t, t.length, 0.99f),
          vector().countAbsAtLeast(t, t.length, 0.99f),
          "n=" + t.length);
    }
    float[] hand = {-1f, 0.99f, -0.99f, Float.NaN, 0.5f, 0f, -0.98f, 0.999f, 1f};
    assertEquals(5, vector().countAbsAtLeast(hand, hand.length, 0.99f));
  }

  @Test
  void momentsAndPositiveMatchesScalar() {
    Random r = new Random(9);
    for (int rows : new int[] {1, 2, 3, 17}) {
      for (int units : LENGTHS) {
        for (Fill f : Fill.values()) {
          float[] x = fill(f, rows * units, r);
          for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(4) == 0 ? x[i] : Math.min(x[i], 0); // mostly dead, some alive
          }
          boolean[] a = new boolean[units];
          boolean[] b = new boolean[units];
          for (int u = 0; u < units; u++) {
            a[u] = b[u] = r.nextInt(5) == 0; // already active from an earlier call
          }
          double shift = x.length > 0 && Float.isFinite(x[0]) ? x[0] : 0;
          double[] ma = new double[2];
          double[] mb = new double[2];
          SCALAR.momentsAndPositive(x, rows, units, shift, ma, a);
          vector().momentsAndPositive(x, rows, units, shift, mb, b);
          String at = "rows=" + rows + " units=" + units + " fill=" + f.name();
          assertTrue(Arrays.equals(a, b), "marks " + at);
          double scale = 0;
          for (float v : x) {
            scale += Math.abs(v - shift);
          }
          if (Double.isFinite(ma[0])) {
            assertEquals(ma[0], mb[0], SUM_TOLERANCE * scale + 1e-300, "sum " + at);
          } else {
            assertEquals(ma[0], mb[0], "sum " + at);
          }
          assertClose(ma[1], mb[1], "sum of squares " + at);
        }
      }
    }
    // by hand: 2 rows of 9 units (a vector's worth and a remainder on AVX2)
    boolean[] hand = new boolean[9];
    hand[8] = true;
    float[] x = new float[18];
    x[2] = 1; // row 0, unit 2
    x[9 + 4] = Float.MIN_VALUE; // row 1, unit 4
    x[9 + 5] = Float.NaN;
    x[6] = -0f;
    x[9 + 7] = 3; // row 1, unit 7, after a smaller positive in row 0
    x[7] = 2;
    double[] m = new double[2];
    vector().momentsAndPositive(x, 2, 9, 0, m, hand);
    assertTrue(
        Arrays.equals(
            new boolean[] {false, false, true, false, true, false, false, true, true}, hand));
    assertTrue(Double.isNaN(m[0]), "a NaN output propagates into the sum");
    x[9 + 5] = 0;
    vector().momentsAndPositive(x, 2, 9, 1, m, new boolean[9]);
    // shifted by 1: fourteen zeros and MIN_VALUE give −1 each, then 0, 1 and 2
    assertEquals(-15 + 0 + 1 + 2, m[0], 0);
    assertEquals(15 + 0 + 1 + 4, m[1], 0);
  }

  /** No kernel escapes its comparison: each method of ScanKernels has a test named after it. */
  @Test
  void everyKernelHasAComparisonTest() {
    for (Method m : ScanKernels.class.getDeclaredMethods()) {
      String test = m.getName() + "MatchesScalar";
      boolean found =
          Arrays.stream(ScansTest.class.getDeclaredMethods())
              .anyMatch(t -> t.getName().equals(test) && t.isAnnotationPresent(Test.class));
      assertTrue(found, "ScanKernels." + m.getName() + " has no test " + test + " in ScansTest");
    }
  }

  @Test
  void theReferenceBackendSelectsTheScalarKernels() {
    Backend previous = Backends.use(new ReferenceBackend());
    try {
      assertSame(ScalarScans.INSTANCE, Scans.kernels());
    } finally {
      Backends.use(previous);
    }
    if (!(previous instanceof ReferenceBackend)) {
      assertSame(vector(), Scans.kernels());
    }
  }

  @Test
  void withoutTheVectorModuleTheScalarKernelsRunTheMonitor() throws Exception {
    ChildJvm.Result r = ChildJvm.run(List.of(), Map.of(), NoVectorProbe.class.getName());
    assertEquals(0, r.exitCode(), r.stderr());
    String[] out = r.stdout().strip().split(" ");
    assertEquals("scalar", out[0], r.stdout());
    double here = NoVectorProbe.globalGradNorm();
    assertEquals(here, Double.parseDouble(out[1]), 1e-5 * here, "the monitor's norm in both JVMs");
  }

  /** Prints which kernels a JVM without the module uses and one monitored step's gradient norm. */
  public static final class NoVectorProbe {
    private NoVectorProbe() {}

    static double globalGradNorm() {
      Rng rng = new Rng(3);
      Sequential net =
          new Sequential(new Linear(5, 33, rng), Activation.relu(), new Linear(33, 2, rng));
      Monitor m = Monitor.builder(net).detectors(List.of()).build();
      return Nets.probe(m, net, Tensor.randn(rng, 9, 5), Tensor.randn(rng, 9, 2), 0)
          .globalGradNorm();
    }

    public static void main(String[] args) {
      double norm = globalGradNorm();
      String kernels = Scans.kernels() == ScalarScans.INSTANCE ? "scalar" : "vector";
      System.out.println(kernels + " " + norm);
    }
  }

  private static float[] sigmoidLike(float[] x) {
    float[] s = new float[x.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) (1 / (1 + Math.exp(-4 * x[i])));
    }
    return s;
  }
}
