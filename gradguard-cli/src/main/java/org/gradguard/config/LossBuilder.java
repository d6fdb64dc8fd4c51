package org.gradguard.config;

import org.gradguard.autograd.Variable;
import org.gradguard.nn.BCEWithLogitsLoss;
import org.gradguard.nn.CrossEntropyLoss;
import org.gradguard.tensor.Tensor;
import org.gradguard.train.BatchLoss;

/** The Trainer's {@link BatchLoss} for a run's {@code loss} section. */
public final class LossBuilder {
  private LossBuilder() {}

  /**
   * The loss the config names ({@code auto} resolved by the data): cross-entropy on the labels
   * (with label smoothing); mean squared error on the targets; binary cross-entropy with logits on
   * the targets, or on two-class labels as a {@code [B, 1]} column of 0/1.
   */
  public static BatchLoss of(RunConfig run) {
    return switch (run.lossKind()) {
      case CROSS_ENTROPY ->
          BatchLoss.classification(new CrossEntropyLoss(run.loss().labelSmoothing()));
      case MSE -> BatchLoss.mse();
      case BCE_WITH_LOGITS -> {
        BCEWithLogitsLoss bce = new BCEWithLogitsLoss();
        yield (out, batch) -> {
          Tensor t = batch.targets();
          Tensor target = t.dim() == 1 ? t.reshape(t.size(0), 1) : t;
          return bce.apply(out, Variable.constant(target));
        };
      }
      case AUTO -> throw new IllegalStateException("lossKind() resolves auto");
    };
  }
}
