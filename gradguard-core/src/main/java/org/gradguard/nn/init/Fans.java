package org.gradguard.nn.init;

import org.gradguard.tensor.Shapes;

/**
 * The fan-in and fan-out of a weight, as PyTorch's {@code _calculate_fan_in_and_fan_out}: for a
 * shape {@code [out, in, k₁, …]}, with receptive field {@code r = Π kᵢ} (1 for a Linear weight),
 * {@code fanIn = in·r} and {@code fanOut = out·r}.
 *
 * @param fanIn the number of inputs feeding one output unit
 * @param fanOut the number of outputs one input unit feeds
 */
public record Fans(long fanIn, long fanOut) {

  /**
   * The fans of a weight of {@code shape}. Not modified: {@code shape}.
   *
   * @throws IllegalArgumentException for fewer than 2 dimensions or a negative one
   */
  public static Fans of(int[] shape) {
    if (shape.length < 2) {
      throw new IllegalArgumentException(
          "Init.fans: fan in and fan out need a tensor with at least 2 dimensions, got shape "
              + Shapes.format(shape));
    }
    long receptive = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            "Init.fans: negative dimension in shape " + Shapes.format(shape));
      }
      if (i >= 2) {
        receptive *= shape[i];
      }
    }
    return new Fans((long) shape[1] * receptive, (long) shape[0] * receptive);
  }

  /** {@code (fanIn + fanOut) / 2}, the denominator of Glorot's variance and of {@code fan_avg}. */
  public double average() {
    return (fanIn + fanOut) / 2.0;
  }

  /** The fan that {@code mode} names. */
  public double select(FanMode mode) {
    return switch (mode) {
      case FAN_IN -> fanIn;
      case FAN_OUT -> fanOut;
      case FAN_AVG -> average();
    };
  }
}
