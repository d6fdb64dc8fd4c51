package org.gradguard.golden;

import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * One tensor of a golden file, or one tensor of a {@link GoldenResult}: a dtype ({@code "float64"},
 * {@code "int64"}, or {@code "float32"} for results computed in float32), a row-major shape and the
 * values widened to double (int64 values are exact up to 2^53).
 *
 * <p>The arrays are shared, not copied: callers must not modify them.
 *
 * @param dtype the element type as written in the file
 * @param shape the shape; {@code []} is a scalar with one value
 * @param data the row-major values, {@code prod(shape)} of them
 */
public record GoldenTensor(String dtype, int[] shape, double[] data) {
  /** Checks that {@code data} fills {@code shape}. */
  public GoldenTensor {
    if (data.length != Shapes.numel(shape)) {
      throw new IllegalArgumentException(
          "golden tensor: " + data.length + " values do not fill shape " + Shapes.format(shape));
    }
  }

  /** The number of elements. */
  public int numel() {
    return data.length;
  }

  /** The values rounded to a new float32 tensor of this shape. */
  public Tensor toTensor() {
    return Tensor.ofDoubles(data, shape);
  }

  /**
   * The values as ints, for int64 index tensors.
   *
   * @throws IllegalArgumentException when the tensor is not int64 or a value does not fit an int
   */
  public int[] toInts() {
    if (!dtype.equals("int64")) {
      throw new IllegalArgumentException("golden tensor is " + dtype + ", not int64");
    }
    int[] out = new int[data.length];
    for (int i = 0; i < out.length; i++) {
      if (data[i] != (int) data[i]) {
        throw new IllegalArgumentException("golden tensor value " + data[i] + " does not fit int");
      }
      out[i] = (int) data[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return "GoldenTensor[" + dtype + " " + Shapes.format(shape) + "]";
  }
}
