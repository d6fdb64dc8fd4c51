package org.gradguard.nn;

import java.util.Arrays;

/** Validation of the {@code [height, width]} pairs that configure the sliding-window layers. */
final class WindowPairs {
  private WindowPairs() {}

  /** A copy of {@code pair} after checking that it holds two ints {@code ≥ min}. */
  static int[] check(String layer, String name, int[] pair, int min) {
    if (pair == null || pair.length != 2 || pair[0] < min || pair[1] < min) {
      throw new IllegalArgumentException(
          layer
              + ": "
              + name
              + " must be 2 ints >= "
              + min
              + ", got "
              + (pair == null ? "null" : Arrays.toString(pair)));
    }
    return pair.clone();
  }

  /** Checks PyTorch's pooling rule: padding at most half the kernel along each axis. */
  static void checkPoolPadding(String layer, int[] kernel, int[] padding) {
    if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
      throw new IllegalArgumentException(
          layer
              + ": padding must be at most half the kernel, got padding "
              + Arrays.toString(padding)
              + " for kernel "
              + Arrays.toString(kernel));
    }
  }
}
