package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend#map} against {@link ReferenceBackend} for every {@link UnaryOp}: exact for
 * the ops computed with correctly rounded lane operations, within {@value #MAX_ULPS} units in the
 * last place of the reference for the polynomial ones (a sweep of 2^26 bit patterns found at most 1
 * ulp for exp, log and tanh and 2 for sigmoid).
 */
class VectorBackendMapTest {
  private static final int MAX_ULPS = 2;
  private static final Set<UnaryOp> APPROXIMATE =
      EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID);
  private static final float[] SPECIAL = {
    0f,
    -0f,
    1f,
    -1f,
    0.5f,
    0.625f,
    -0.625f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    1e-30f,
    1e-40f,
    88.72f,
    88.73f,
    -87.3f,
    -103.9f,
    -104f,
    -120f,
    20f,
    -20f,
    9f,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.NaN
  };

  @Test
  void handComputedValues() {
    VectorBackend vb = new VectorBackend();
    float[] x = {-2, -0.5f, 0, 3};
    float[] out = new float[4];
    vb.map(UnaryOp.RELU, x, out, 4);
    assertArraysBitEqual(new float[] {0, 0, 0, 3}, out, "relu");
    // NaN passes through (as torch.relu), so a non-finite input reaches the loss and the monitor
    float[] special = {Float.NaN, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    float[] expected = {Float.NaN, 0f, 0f, Float.POSITIVE_INFINITY};
    vb.map(UnaryOp.RELU, special, out, 4);
    assertArraysBitEqual(expected, out, "relu of special values (vector)");
    new ReferenceBackend().map(UnaryOp.RELU, special, out, 4);
    assertArraysBitEqual(expected, out, "relu of special values (reference)");
    vb.map(UnaryOp.SQUARE, x, out, 4);
    assertArraysBitEqual(new float[] {4, 0.25f, 0, 9}, out, "square");
    vb.map(UnaryOp.EXP, new float[] {0, 1, -1, 2}, out, 4);
    assertEquals(1f, out[0], 0f);
    assertEquals((float) Math.E, out[1], Math.ulp((float) Math.E));
    assertEquals(0.36787945f, out[2], 1e-7f);
    assertEquals(7.389056f, out[3], 1e-6f);
    vb.map(UnaryOp.SIGMOID, new float[] {0, 100, -100, 2}, out, 4);
    assertEquals(0.5f, out[0], 0f);
    assertEquals(1f, out[1], 0f);
    assertEquals(3.7200760e-44f, out[2], 2 * Float.MIN_VALUE);
    assertEquals(0.880797f, out[3], 1e-6f);
  }

  @Test
  void everyOpMatchesTheReferenceOnSpecialValuesAndASweep() {
    float[] x = sweep();
    for (UnaryOp op : UnaryOp.values()) {
      float[] expected = new float[x.length];
      float[] actual = new float[x.length];
      new ReferenceBackend().map(op, x, expected, x.length);
      new VectorBackend().map(op, x, actual, x.length);
      for (int i = 0; i < x.length; i++) {
        assertClose(op, x[i], expected[i], actual[i]);
      }
    }
  }

  @Test
  void everyLengthAndInPlace() {
    Rng rng = new Rng(3);
    VectorBackend vb = new VectorBackend();
    for (UnaryOp op : UnaryOp.values()) {
      for (int n : new int[] {0, 1, 2, 7, 8, 9, 15, 16, 17, 33, 100}) {
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (4 * rng.nextGaussian());
        }
        if (op == UnaryOp.LOG || op == UnaryOp.SQRT) {
          for (int i = 0; i < x.length; i++) {
            x[i] = Math.abs(x[i]);
          }
        }
        float[] out = new float[n + 3];
        out[n] = 42f;
        vb.map(op, x, out, n);
        assertEquals(42f, out[n], 0f, op + ": wrote past n = " + n);
        float[] inPlace = x.clone();
        vb.map(op, inPlace, inPlace, n);
        for (int i = 0; i < n; i++) {
          assertClose(op, x[i], op.apply(x[i]), out[i]);
          assertEquals(
              Float.floatToRawIntBits(out[i]),
              Float.floatToRawIntBits(inPlace[i]),
              op + ": in place differs at " + i + " of " + n);
        }
        assertEquals(x[n], inPlace[n], 0f, op + ": in place wrote past n = " + n);
      }
    }
  }

  /** Special values, then values spread over every exponent, both signs, at odd positions. */
  static float[] sweep() {
    int spread = 1 << 13;
    float[] x = new float[SPECIAL.length + spread];
    System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
    Rng rng = new Rng(7);
    for (int i = 0; i < spread; i++) {
      float v;
      if (i % 2 == 0) {
        v = Float.intBitsToFloat((int) (i * 524287L + rng.nextInt(1 << 18)));
      } else {
        v = (float) (12 * (rng.nextDouble() - 0.5)); // the range activations live in
      }
      x[SPECIAL.length + i] = v;
    }
    return x;
  }

  private static void assertClose(UnaryOp op, float x, float expected, float actual) {
    if (Float.isNaN(expected) || Float.isNaN(actual)) {
      assertEquals(Float.isNaN(expected), Float.isNaN(actual), op + "(" + x + "): NaN mismatch");
      return;
    }
    if (!APPROXIMATE.contains(op)) {
      assertEquals(
          Float.floatToRawIntBits(expected),
          Float.floatToRawIntBits(actual),
          op + "(" + x + ") = " + actual + ", reference " + expected);
      return;
    }
    if (Float.isInfinite(expected) || Float.isInfinite(actual)) {
      assertEquals(expected, actual, op + "(" + x + ")");
      return;
    }
    double ulps = Math.abs((double) expected - actual) / Math.ulp(expected);
    if (!(ulps <= MAX_ULPS)) {
      throw new AssertionError(
          op + "(" + x + ") = " + actual + ", reference " + expected + ": " + ulps + " ulps");
    }
  }

  private static void assertArraysBitEqual(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(expected[i]),
          Float.floatToRawIntBits(actual[i]),
          what + "[" + i + "] = " + actual[i] + ", expected " + expected[i]);
    }
  }
}
