package org.gradguard.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@link Trainer#fit()} did.
 *
 * @param reason why training ended
 * @param steps the steps completed over the whole run (including those before a resume)
 * @param epochsCompleted the epochs completed over the whole run
 * @param finalTrainLoss the loss of the last step (for a diverged run, of the step that diverged),
 *     NaN if no step ran
 * @param validations one record per validated epoch, over the whole run (restored from the
 *     checkpoint after a resume)
 * @param seconds wall-clock time of this call of {@code fit()}
 * @param lastCheckpoint the last checkpoint written or resumed from, or null
 * @param message one line for people: what ended training and, after an interruption or a
 *     divergence, what to do next
 * @param test the test set's loss and accuracy after training ({@link Trainer.Builder#test}), or
 *     null when there is no test set or training was interrupted or diverged
 */
public record FitResult(
    StopReason reason,
    long steps,
    int epochsCompleted,
    double finalTrainLoss,
    List<ValidationRecord> validations,
    double seconds,
    Path lastCheckpoint,
    String message,
    Evaluation.Result test) {

  public FitResult {
    validations = List.copyOf(validations);
  }

  /** Why training ended. */
  public enum StopReason {
    /** The configured number of epochs or steps was reached. */
    COMPLETED,
    /** Early stopping: the validation loss stopped improving. */
    EARLY_STOPPED,
    /** {@link Trainer#requestStop()} was called (e.g. by the Ctrl-C hook). */
    INTERRUPTED,
    /** A guard or the loss declared the run diverged. */
    DIVERGED
  }

  /** True when the run ended by early stopping. */
  public boolean stoppedEarly() {
    return reason == StopReason.EARLY_STOPPED;
  }

  /** True when the run diverged. */
  public boolean diverged() {
    return reason == StopReason.DIVERGED;
  }

  /**
   * The test result in one line, as the progress listeners print it, e.g. {@code "test after
   * training: loss 0.4281 accuracy 0.8433 (10000 examples)"}; null without a test result.
   */
  public String testLine() {
    if (test == null) {
      return null;
    }
    String acc =
        Double.isNaN(test.accuracy())
            ? ""
            : String.format(Locale.ROOT, "  accuracy %.4f", test.accuracy());
    return String.format(
        Locale.ROOT,
        "test after training: loss %.4f%s (%d examples)",
        test.loss(),
        acc,
        test.examples());
  }

  /** The last validation record, or null. */
  public ValidationRecord lastValidation() {
    return validations.isEmpty() ? null : validations.get(validations.size() - 1);
  }
}
