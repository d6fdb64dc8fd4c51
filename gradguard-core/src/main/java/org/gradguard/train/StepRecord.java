package org.gradguard.train;

import org.gradguard.health.StepOutcome;

/**
 * What one training step did, handed to {@link TrainingListener#onStep} and written as a {@code
 * "step"} line of {@code metrics.jsonl}.
 *
 * @param step the step's 0-based index over the whole run (the same number the health monitor and
 *     {@link org.gradguard.optim.StepContext#step()} use)
 * @param epoch the epoch the batch came from, 0-based
 * @param batch the batch's index within its epoch, 0-based
 * @param examples the number of examples in the batch
 * @param loss the batch's mean loss (may be NaN or infinite when training diverges)
 * @param lr the learning rate the step used, read from the chain's {@code lr} state number (see
 *     {@link org.gradguard.optim.Transforms#scaleByLearningRate}); NaN when the chain has none
 * @param gradNorm the global L2 norm of the raw gradients, before any clipping (NaN or infinite
 *     when a gradient is)
 * @param preClipNorm the norm a clipping transformation measured ({@code last_norm} in its state),
 *     NaN when the chain does not clip by a norm
 * @param status what happened to the update: applied, skipped by a guard, rolled back, or the batch
 *     skipped without a forward pass after a roll-back (then {@code loss} and {@code gradNorm} are
 *     NaN)
 * @param seconds wall-clock time of the step, from fetching the batch to the applied update
 */
public record StepRecord(
    long step,
    int epoch,
    int batch,
    int examples,
    double loss,
    double lr,
    double gradNorm,
    double preClipNorm,
    StepOutcome.Status status,
    double seconds) {

  /** True when the update reached the parameters. */
  public boolean applied() {
    return status == StepOutcome.Status.APPLIED;
  }
}
