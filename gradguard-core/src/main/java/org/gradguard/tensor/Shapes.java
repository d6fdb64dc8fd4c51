package org.gradguard.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor kernels: sizes, strides, broadcasting, axis handling. */
public final class Shapes {
  private Shapes() {}

  /** The number of elements of a tensor of this shape; validates that no dimension is negative. */
  public static int numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + format(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "shape " + format(shape) + " has more than " + Integer.MAX_VALUE + " elements");
      }
    }
    return (int) n;
  }

  /** Row-major strides, in elements. */
  public static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** {@code [2, 3]} — the notation every error message uses. */
  public static String format(int[] shape) {
    return Arrays.toString(shape);
  }

  /**
   * The NumPy broadcast of two shapes: aligned at the right, each pair of dimensions equal or one
   * of them 1.
   *
   * @throws IllegalArgumentException naming {@code op} and both shapes when they do not broadcast
   */
  public static int[] broadcast(String op, int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            op
                + ": shapes "
                + format(a)
                + " and "
                + format(b)
                + " cannot be broadcast: dimension "
                + i
                + " is "
                + da
                + " vs "
                + db);
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /**
   * Strides to read a tensor of shape {@code shape} as if broadcast to {@code target}: 0 along
   * broadcast dimensions.
   */
  static int[] broadcastStrides(int[] shape, int[] target) {
    int[] own = strides(shape);
    int[] s = new int[target.length];
    int offset = target.length - shape.length;
    for (int i = 0; i < target.length; i++) {
      if (i < offset) {
        s[i] = 0;
      } else {
        s[i] = shape[i - offset] == 1 && target[i] != 1 ? 0 : own[i - offset];
      }
    }
    return s;
  }

  /**
   * Normalises a possibly negative axis ({@code -1} is the last) against {@code rank}.
   *
   * @throws IllegalArgumentException naming {@code op} when the axis is out of range
   */
  public static int axis(String op, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(
          op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
    }
    return a;
  }

  /** The shape with {@code axes} removed (or set to 1 when {@code keepDims}). */
  public static int[] reduced(int[] shape, boolean[] reducedAxes, boolean keepDims) {
    int count = 0;
    for (int i = 0; i < shape.length; i++) {
      if (!reducedAxes[i] || keepDims) {
        count++;
      }
    }
    int[] out = new int[count];
    int j = 0;
    for (int i = 0; i < shape.length; i++) {
      if (!reducedAxes[i]) {
        out[j++] = shape[i];
      } else if (keepDims) {
        out[j++] = 1;
      }
    }
    return out;
  }

  /** A mask of the axes to reduce; an empty {@code axes} means all axes. */
  public static boolean[] axisMask(String op, int[] axes, int rank) {
    boolean[] mask = new boolean[rank];
    if (axes.length == 0) {
      Arrays.fill(mask, true);
      return mask;
    }
    for (int a : axes) {
      int n = axis(op, a, rank);
      if (mask[n]) {
        throw new IllegalArgumentException(op + ": axis " + a + " appears twice");
      }
      mask[n] = true;
    }
    return mask;
  }
}
