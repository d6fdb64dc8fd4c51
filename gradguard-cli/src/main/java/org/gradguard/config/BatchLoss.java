package org.gradguard.config;

import org.gradguard.autograd.Variable;
import org.gradguard.data.Batch;
import org.gradguard.nn.BCEWithLogitsLoss;
import org.gradguard.nn.CrossEntropyLoss;
import org.gradguard.nn.MSELoss;
import org.gradguard.tensor.Tensor;

/**
 * A loss on a batch: the model's output and the batch's targets, whatever their form (class labels
 * or target vectors), to a scalar. Modifies neither argument.
 */
@FunctionalInterface
public interface BatchLoss {
  /** The mean loss over the batch, a scalar {@link Variable}. */
  Variable apply(Variable prediction, Batch batch);

  /**
   * The loss a run's config names ({@code auto} resolved by the data): cross-entropy on the labels;
   * mean squared error on the targets; binary cross-entropy with logits on the targets, or on the
   * labels 0/1 as a {@code [B, 1]} column for two-class data.
   */
  static BatchLoss of(RunConfig run) {
    return switch (run.lossKind()) {
      case CROSS_ENTROPY -> {
        CrossEntropyLoss ce = new CrossEntropyLoss(run.loss().labelSmoothing());
        yield (p, b) -> ce.apply(p, b.labels());
      }
      case MSE -> {
        MSELoss mse = new MSELoss();
        yield (p, b) -> mse.apply(p, Variable.constant(b.targets()));
      }
      case BCE_WITH_LOGITS -> {
        BCEWithLogitsLoss bce = new BCEWithLogitsLoss();
        yield (p, b) -> {
          Tensor t = b.targets();
          Tensor target = t.dim() == 1 ? t.reshape(t.size(0), 1) : t;
          return bce.apply(p, Variable.constant(target));
        };
      }
      case AUTO -> throw new IllegalStateException("lossKind() resolves auto");
    };
  }
}
