package org.gradguard.data;

import java.util.Arrays;
import org.gradguard.tensor.Tensor;

/**
 * A batch of examples: {@code inputs} of shape {@code [B, ...featureShape]} and {@code targets} of
 * shape {@code [B]} holding class indices as integral float values (classification) or {@code [B,
 * k]} (regression).
 *
 * @param inputs the inputs, first axis the batch
 * @param targets the targets, first axis the batch
 */
public record Batch(Tensor inputs, Tensor targets) {

  /** Validates that inputs and targets have the same, non-empty leading (batch) axis. */
  public Batch {
    if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
      throw new IllegalArgumentException(
          "Batch: inputs "
              + Arrays.toString(inputs.shape())
              + " and targets "
              + Arrays.toString(targets.shape())
              + " must share the leading batch axis");
    }
  }

  /** The number of examples, {@code B}. */
  public int size() {
    return inputs.size(0);
  }

  /**
   * The class labels as ints, for classification batches (targets of shape {@code [B]}).
   *
   * @throws IllegalArgumentException if the targets are not rank 1 or hold a non-integral value
   */
  public int[] labels() {
    if (targets.dim() != 1) {
      throw new IllegalArgumentException(
          "Batch.labels: targets of shape "
              + Arrays.toString(targets.shape())
              + " are not class labels [B]");
    }
    float[] t = targets.data();
    int[] out = new int[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = (int) t[i];
      if (out[i] != t[i] || t[i] < 0) {
        throw new IllegalArgumentException(
            "Batch.labels: target " + i + " is " + t[i] + ", not a class index");
      }
    }
    return out;
  }

  /**
   * The inputs {@code [B, T, F]} transposed to the sequence-major layout {@code [T, B, F]} that
   * recurrent layers take ({@code [seq, batch, feature]}, PyTorch's default {@code
   * batch_first=False}). Not modified: this batch (the result is a copy).
   *
   * @throws IllegalArgumentException if the inputs are not rank 3
   */
  public Tensor sequenceMajorInputs() {
    if (inputs.dim() != 3) {
      throw new IllegalArgumentException(
          "Batch.sequenceMajorInputs: inputs of shape "
              + Arrays.toString(inputs.shape())
              + " are not [B, T, F]");
    }
    return inputs.permute(1, 0, 2);
  }
}
