package org.gradguard.optim;

/**
 * What a transformation may know about the current step besides the gradients.
 *
 * @param step the number of optimizer steps completed before this one (0 for the first step), the
 *     same count as PyTorch's scheduler {@code last_epoch} while the step runs. Transformations
 *     that need a count for their arithmetic (Adam's bias correction, schedules) keep their own in
 *     their state, so a skipped step does not advance them; this number is for reporting.
 * @param loss the loss of this step, or {@code NaN} when the caller does not supply it
 */
public record StepContext(long step, double loss) {

  public StepContext {
    if (step < 0) {
      throw new IllegalArgumentException("StepContext: step must be >= 0, got " + step);
    }
  }

  /** A context without a loss. */
  public static StepContext at(long step) {
    return new StepContext(step, Double.NaN);
  }

  /** True when a loss was supplied. */
  public boolean hasLoss() {
    return !Double.isNaN(loss);
  }
}
