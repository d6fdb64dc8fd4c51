package org.gradguard.autograd;

import java.util.Arrays;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Window2d;

/** Validation shared by the sliding-window ops: NCHW input, kernel, stride and padding pairs. */
final class WindowArgs {
  private WindowArgs() {}

  /** Throws unless {@code x} is 4-D {@code [N, C, H, W]} with no empty axis. */
  static void checkImage(String op, int[] x) {
    if (x.length != 4 || Shapes.numel(x) == 0) {
      throw new IllegalArgumentException(
          op + ": input must be a non-empty 4-D tensor [N, C, H, W], got " + Shapes.format(x));
    }
  }

  /** Throws unless {@code pair} holds two values {@code ≥ min}. */
  static void checkPair(String op, String name, int[] pair, int min) {
    if (pair == null || pair.length != 2 || pair[0] < min || pair[1] < min) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must be 2 ints >= "
              + min
              + ", got "
              + (pair == null ? "null" : Arrays.toString(pair)));
    }
  }

  /**
   * The window of {@code kernel}, {@code stride}, {@code padding} over the planes of {@code x [N,
   * C, H, W]}; throws, naming the shapes, when the kernel exceeds the padded input.
   */
  static Window2d window(String op, int[] x, int[] kernel, int[] stride, int[] padding) {
    checkPair(op, "kernel", kernel, 1);
    checkPair(op, "stride", stride, 1);
    checkPair(op, "padding", padding, 0);
    int ph = x[2] + 2 * padding[0];
    int pw = x[3] + 2 * padding[1];
    if (kernel[0] > ph || kernel[1] > pw) {
      throw new IllegalArgumentException(
          op
              + ": kernel "
              + Arrays.toString(kernel)
              + " exceeds the padded input ["
              + ph
              + ", "
              + pw
              + "] (input "
              + Shapes.format(x)
              + ", padding "
              + Arrays.toString(padding)
              + ")");
    }
    return new Window2d(
        x[2], x[3], kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
  }
}
