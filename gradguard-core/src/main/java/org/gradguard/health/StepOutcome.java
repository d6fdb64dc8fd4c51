package org.gradguard.health;

import java.util.List;

/**
 * What one {@link TrainingStep#run} did.
 *
 * @param step the step number (every call counts, applied or not)
 * @param status what happened to the update
 * @param loss the batch's loss (NaN when the batch was skipped without a forward pass)
 * @param stats the monitor's statistics, or null when the step was not monitored
 * @param actions the guard actions taken at this step
 */
public record StepOutcome(
    long step, Status status, double loss, StepStats stats, List<GuardAction> actions) {
  /** What happened to a step's update. */
  public enum Status {
    /** The update was applied. */
    APPLIED,
    /** A guard skipped the update; parameters and optimizer state are unchanged. */
    SKIPPED,
    /** The last good state was restored (and the learning rate lowered). */
    ROLLED_BACK,
    /** The batch was skipped without a forward pass, as asked after a roll-back. */
    SKIPPED_BATCH
  }

  public StepOutcome {
    actions = List.copyOf(actions);
  }

  /** True when the update was applied. */
  public boolean applied() {
    return status == Status.APPLIED;
  }
}
