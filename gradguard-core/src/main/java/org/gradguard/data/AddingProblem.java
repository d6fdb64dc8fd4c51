package org.gradguard.data;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997, "Long short-term memory", experiment 4;
 * Pascanu, Mikolov and Bengio 2013, "On the difficulty of training recurrent neural networks"), a
 * test of long-range memory for recurrent networks and the data of benchmark W4 ({@code
 * rnn-adding}).
 *
 * <p>Each example is a sequence of {@code T} steps with two channels: channel 0 holds values {@code
 * v_t ~ U[0, 1)}, channel 1 holds markers, exactly one 1 at a position {@code a} uniform in the
 * first half {@code [0, ⌊T/2⌋)} and one at {@code b} uniform in the second half {@code [⌊T/2⌋, T)},
 * 0 elsewhere. The target is {@code v_a + v_b} (computed in float32), a regression target of shape
 * {@code [1]}. Predicting the constant 1 gives a mean squared error of about 1/6; a network that
 * solves the task does much better.
 *
 * <p>Inputs are batch-major {@code [n, T, 2]}; {@link Batch#sequenceMajorInputs()} turns a batch
 * into the {@code [T, B, 2]} layout that recurrent layers take.
 */
public final class AddingProblem {
  private AddingProblem() {}

  /**
   * {@code n} examples of length {@code steps}, example after example from one {@link Rng}: for
   * each, the {@code T} values, then {@code a}, then {@code b}. So the first {@code m} examples do
   * not depend on {@code n}.
   *
   * @param n examples, {@code >= 1}
   * @param steps sequence length {@code T}, {@code >= 2}
   * @param seed determines everything
   * @return inputs {@code [n, T, 2]}, targets {@code [n, 1]}
   */
  public static TensorDataset generate(int n, int steps, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("AddingProblem: n must be >= 1, got " + n);
    }
    if (steps < 2) {
      throw new IllegalArgumentException("AddingProblem: steps must be >= 2, got " + steps);
    }
    Rng rng = new Rng(seed);
    float[] x = new float[Shapes.numel(new int[] {n, steps, 2})];
    float[] y = new float[n];
    int half = steps / 2;
    for (int i = 0; i < n; i++) {
      int base = i * steps * 2;
      for (int t = 0; t < steps; t++) {
        x[base + 2 * t] = (rng.nextLong() >>> 40) * 0x1.0p-24f; // 24 random bits: exact, < 1
      }
      int a = rng.nextInt(half);
      int b = half + rng.nextInt(steps - half);
      x[base + 2 * a + 1] = 1f;
      x[base + 2 * b + 1] = 1f;
      y[i] = x[base + 2 * a] + x[base + 2 * b];
    }
    String description =
        String.format(
            "adding problem: %d sequences of length %d, values U[0,1), one marker per half,"
                + " target = sum of the two marked values, seed %d",
            n, steps, seed);
    return TensorDataset.regression(Tensor.wrap(x, n, steps, 2), Tensor.wrap(y, n, 1), description);
  }
}
