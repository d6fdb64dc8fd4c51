package org.gradguard.train;

/**
 * Receives everything a {@link Trainer} learns, as immutable records, in the order it happens, on
 * the training thread. Every method defaults to doing nothing. The metrics file ({@link
 * MetricsWriter}) and the console display ({@link ConsoleProgress}) are listeners.
 *
 * <p>Per step: {@link #onStep}. At an epoch's end: {@link #onEpoch}, then {@link #onValidation}
 * when there is a validation set, then {@link #onCheckpoint} when one is written. A listener may
 * call {@link Trainer#requestStop()}; training then stops after the current step. An exception
 * thrown by a listener ends {@code fit()} with that exception.
 */
public interface TrainingListener {
  /** Before the first step of this call of {@code fit()}. */
  default void onStart(RunInfo info) {}

  /** After every step. */
  default void onStep(StepRecord step) {}

  /** After the last step of an epoch. */
  default void onEpoch(EpochRecord epoch) {}

  /** After the validation set was evaluated at an epoch's end. */
  default void onValidation(ValidationRecord validation) {}

  /** After a checkpoint was written completely. */
  default void onCheckpoint(CheckpointRecord checkpoint) {}

  /** When {@code fit()} returns normally (not when it throws). */
  default void onEnd(FitResult result) {}
}
