package org.gradguard.train;

import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.HealthListener;
import org.gradguard.health.StepStats;

/**
 * Receives everything a {@link Trainer} learns, as immutable records, in the order it happens, on
 * the training thread. Every method defaults to doing nothing. The metrics file ({@link
 * MetricsWriter}) and the console display ({@link ConsoleProgress}) are listeners.
 *
 * <p>Per step, in order: the health monitor's {@link #onEvent events} as its detectors find them,
 * the guards' {@link #onAction actions}, the monitor's {@link #onStats statistics} (on monitored
 * steps), then {@link #onStep}. At an epoch's end: {@link #onEpoch}, then {@link #onValidation}
 * when there is a validation set, then {@link #onCheckpoint} when one is written. Step numbers in
 * the health records are the trainer's (they continue across a resume).
 *
 * <p>A listener may call {@link Trainer#requestStop()}; training then stops after the current step.
 * An exception thrown by a listener ends {@code fit()} with that exception.
 */
public interface TrainingListener extends HealthListener {
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

  /** The statistics of a monitored step (see {@link org.gradguard.health.Monitor}). */
  @Override
  default void onStats(StepStats stats) {}

  /** A symptom a health detector found. */
  @Override
  default void onEvent(HealthEvent event) {}

  /** An action a guard took (a skipped step, a roll-back, a stop). */
  @Override
  default void onAction(GuardAction action) {}

  /** When {@code fit()} returns (also after a divergence); not when it throws. */
  default void onEnd(FitResult result) {}
}
