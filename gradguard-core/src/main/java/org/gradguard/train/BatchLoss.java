package org.gradguard.train;

import org.gradguard.autograd.Variable;
import org.gradguard.data.Batch;
import org.gradguard.nn.BCEWithLogitsLoss;
import org.gradguard.nn.CrossEntropyLoss;
import org.gradguard.nn.Loss;
import org.gradguard.nn.MSELoss;

/**
 * The training objective as the {@link Trainer} sees it: a scalar {@link Variable} from the model's
 * output and the batch it was computed from. Implementations modify neither argument.
 *
 * <p>The ready-made ones adapt an {@link org.gradguard.nn.Loss}: {@link #classification} passes the
 * batch's integer {@link Batch#labels() labels}; {@link #regression} passes its targets as a
 * constant (no gradient flows into the data).
 */
@FunctionalInterface
public interface BatchLoss {

  /** The mean loss of the batch, a scalar of shape {@code []}. */
  Variable apply(Variable output, Batch batch);

  /** Mean cross-entropy of logits {@code [B, C]} against the batch's class labels. */
  static BatchLoss crossEntropy() {
    return classification(new CrossEntropyLoss());
  }

  /** Mean squared error against the batch's targets, shaped like the output. */
  static BatchLoss mse() {
    return regression(new MSELoss());
  }

  /** Binary cross-entropy with logits against the batch's {@code 0/1} targets. */
  static BatchLoss bceWithLogits() {
    return regression(new BCEWithLogitsLoss());
  }

  /** A loss against class indices, fed {@link Batch#labels()}. */
  static BatchLoss classification(Loss<int[]> loss) {
    if (loss == null) {
      throw new IllegalArgumentException("BatchLoss.classification: loss must not be null");
    }
    return (out, batch) -> loss.apply(out, batch.labels());
  }

  /** A loss against target tensors, fed {@code Variable.constant(batch.targets())}. */
  static BatchLoss regression(Loss<Variable> loss) {
    if (loss == null) {
      throw new IllegalArgumentException("BatchLoss.regression: loss must not be null");
    }
    return (out, batch) -> loss.apply(out, Variable.constant(batch.targets()));
  }
}
