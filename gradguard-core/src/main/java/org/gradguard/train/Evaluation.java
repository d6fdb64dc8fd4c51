package org.gradguard.train;

import java.util.Arrays;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.data.Batch;
import org.gradguard.data.Dataset;
import org.gradguard.nn.Module;
import org.gradguard.tensor.Tensor;

/** Evaluates a model on a dataset: mean loss and, for classification, accuracy. */
public final class Evaluation {
  private Evaluation() {}

  /**
   * The result of an evaluation.
   *
   * @param loss the mean loss over every example (each batch's mean loss weighted by its size)
   * @param accuracy for classification datasets the fraction of examples predicted right (arg-max
   *     over the last axis of a {@code [B, C]} output; {@code output > 0} for a single logit {@code
   *     [B]} or {@code [B, 1]}); NaN for regression
   * @param examples the number of examples
   */
  public record Result(double loss, double accuracy, int examples) {}

  /**
   * Runs {@code model} in evaluation mode without recording gradients over {@code data}, in order,
   * {@code batchSize} examples at a time. The model's training mode is restored afterwards.
   * Modified: nothing (the model's mode is put back).
   *
   * @throws IllegalArgumentException if {@code batchSize < 1}, the dataset is empty, or a
   *     classification output's shape does not fit the labels
   */
  public static Result evaluate(Module model, Dataset data, BatchLoss loss, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("Evaluation: batchSize must be >= 1, got " + batchSize);
    }
    int n = data.size();
    if (n == 0) {
      throw new IllegalArgumentException(
          "Evaluation: dataset is empty (" + data.description() + ")");
    }
    boolean wasTraining = model.isTraining();
    model.eval();
    double lossSum = 0;
    long correct = 0;
    boolean classify = data.numClasses() > 0;
    try (NoGrad.Scope s = NoGrad.enter()) {
      for (int from = 0; from < n; from += batchSize) {
        int to = Math.min(n, from + batchSize);
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = from + i;
        }
        Batch b = data.batch(idx);
        Variable out = model.forward(Variable.constant(b.inputs()));
        lossSum += (double) loss.apply(out, b).item() * idx.length;
        if (classify) {
          correct += correct(out.value(), b.labels());
        }
      }
    } finally {
      if (wasTraining) {
        model.train();
      }
    }
    return new Result(lossSum / n, classify ? (double) correct / n : Double.NaN, n);
  }

  /** The number of rows of {@code out} whose prediction equals the label. */
  static long correct(Tensor out, int[] labels) {
    int b = labels.length;
    int classes = out.numel() / Math.max(1, b);
    if (out.dim() == 0 || out.size(0) != b || (out.dim() > 2) || (out.dim() == 2 && classes < 1)) {
      throw new IllegalArgumentException(
          "Evaluation: accuracy needs outputs [B, C] or [B] for "
              + b
              + " labels, got "
              + Arrays.toString(out.shape()));
    }
    float[] d = out.data();
    long c = 0;
    if (classes == 1) {
      for (int i = 0; i < b; i++) {
        if ((d[i] > 0 ? 1 : 0) == labels[i]) {
          c++;
        }
      }
      return c;
    }
    for (int i = 0; i < b; i++) {
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (d[i * classes + k] > d[i * classes + best]) {
          best = k;
        }
      }
      if (best == labels[i]) {
        c++;
      }
    }
    return c;
  }
}
