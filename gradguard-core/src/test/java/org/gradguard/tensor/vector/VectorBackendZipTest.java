package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gradguard.tensor.BinaryOp;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend#zip} equals {@link ReferenceBackend#zip} bit for bit (NaN payloads aside),
 * for every {@link BinaryOp} and every broadcasting pattern: equal shapes, scalars on either side,
 * row and column vectors, general broadcasts, lengths around the vector width, empty shapes,
 * non-contiguous strides (the fallback) and output aliasing an input.
 */
class VectorBackendZipTest {
  /** Pairs of operand shapes; the output is their broadcast. */
  private static final int[][][] SHAPES = {
    {{}, {}},
    {{1}, {1}},
    {{7}, {7}},
    {{8}, {8}},
    {{37}, {37}},
    {{3, 17}, {3, 17}},
    {{5, 9}, {}},
    {{}, {5, 9}},
    {{1}, {4, 33}},
    {{4, 33}, {33}},
    {{33}, {4, 33}},
    {{6, 1}, {6, 19}},
    {{6, 19}, {6, 1}},
    {{2, 1, 5}, {3, 1}},
    {{3, 1, 8}, {1, 4, 1}},
    {{2, 3, 4, 5}, {3, 1, 5}},
    {{0, 3}, {3}},
    {{3, 0}, {3, 1}},
    {{4, 1}, {1, 1}},
  };

  @Test
  void handComputedRowAndColumnBroadcasts() {
    float[] a = {1, 2, 3, 4, 5, 6}; // [2, 3]
    float[] out = new float[6];
    new VectorBackend()
        .zip(
            BinaryOp.SUB,
            a,
            new int[] {3, 1},
            new float[] {1, 2, 3},
            new int[] {0, 1},
            out,
            shape(2, 3));
    assertArrayEquals(new float[] {0, 0, 0, 3, 3, 3}, out);
    new VectorBackend()
        .zip(
            BinaryOp.MUL,
            a,
            new int[] {3, 1},
            new float[] {10, -1},
            new int[] {1, 0},
            out,
            shape(2, 3));
    assertArrayEquals(new float[] {10, 20, 30, -4, -5, -6}, out);
    new VectorBackend()
        .zip(
            BinaryOp.GT,
            a,
            new int[] {3, 1},
            new float[] {3.5f},
            new int[] {0, 0},
            out,
            shape(2, 3));
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, out);
  }

  @Test
  void everyOpAndBroadcastPatternMatchesTheReference() {
    Rng rng = new Rng(5);
    for (BinaryOp op : BinaryOp.values()) {
      for (int[][] pair : SHAPES) {
        int[] outShape = Shapes.broadcast("test", pair[0], pair[1]);
        float[] a = values(rng, Shapes.numel(pair[0]));
        float[] b = values(rng, Shapes.numel(pair[1]));
        int[] as = stridesIn(pair[0], outShape);
        int[] bs = stridesIn(pair[1], outShape);
        check(op, a, as, b, bs, outShape, shapesText(pair));
      }
    }
  }

  @Test
  void nonContiguousStridesUseTheFallback() {
    Rng rng = new Rng(6);
    float[] a = values(rng, 12);
    float[] b = values(rng, 12);
    for (BinaryOp op : BinaryOp.values()) {
      // a read as the transpose of a [4, 3] matrix, b as a [3, 4] matrix
      check(op, a, new int[] {1, 3}, b, new int[] {4, 1}, shape(3, 4), "transposed a");
      check(op, a, new int[] {2}, b, new int[] {1}, shape(6), "stride 2");
    }
  }

  @Test
  void outputMayAliasAnInputWithTheOutputStrides() {
    Rng rng = new Rng(8);
    for (BinaryOp op : BinaryOp.values()) {
      float[] a = values(rng, 5 * 21);
      float[] b = values(rng, 21);
      float[] expected = new float[a.length];
      new ReferenceBackend()
          .zip(op, a, new int[] {21, 1}, b, new int[] {0, 1}, expected, shape(5, 21));
      new VectorBackend().zip(op, a, new int[] {21, 1}, b, new int[] {0, 1}, a, shape(5, 21));
      assertBitEqual(expected, a, op + " in place");
    }
  }

  private static void check(
      BinaryOp op, float[] a, int[] as, float[] b, int[] bs, int[] outShape, String what) {
    int n = Shapes.numel(outShape);
    float[] expected = new float[n + 1];
    float[] actual = new float[n + 1];
    expected[n] = 42f;
    actual[n] = 42f;
    new ReferenceBackend().zip(op, a, as, b, bs, expected, outShape);
    new VectorBackend().zip(op, a, as, b, bs, actual, outShape);
    assertBitEqual(expected, actual, op + " " + what);
  }

  private static void assertBitEqual(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) {
        continue;
      }
      assertEquals(
          Float.floatToRawIntBits(expected[i]),
          Float.floatToRawIntBits(actual[i]),
          what + ": [" + i + "] = " + actual[i] + ", reference " + expected[i]);
    }
  }

  /** Mostly ordinary values, with ±0, ±∞, NaN, ties and small integers mixed in. */
  private static float[] values(Rng rng, int n) {
    float[] special = {
      0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, 2f
    };
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] =
          rng.nextInt(4) == 0
              ? special[rng.nextInt(special.length)]
              : (float) (3 * rng.nextGaussian());
    }
    return x;
  }

  /** The strides of a contiguous {@code shape} read as {@code target}: 0 where broadcast. */
  private static int[] stridesIn(int[] shape, int[] target) {
    int[] own = Shapes.strides(shape);
    int[] s = new int[target.length];
    int lead = target.length - shape.length;
    for (int d = lead; d < target.length; d++) {
      s[d] = shape[d - lead] == 1 ? 0 : own[d - lead];
    }
    return s;
  }

  private static int[] shape(int... dims) {
    return dims;
  }

  private static String shapesText(int[][] pair) {
    return Shapes.format(pair[0]) + " with " + Shapes.format(pair[1]);
  }
}
