package org.gradguard.health;

/**
 * Receives what the monitor measures, what the detectors find and what the guards do, as immutable
 * records, in the order they happen. Every method defaults to doing nothing.
 */
public interface HealthListener {
  /** The statistics of a monitored step, once complete (after the update, or the skip). */
  default void onStats(StepStats stats) {}

  /** A symptom, as soon as it is found. */
  default void onEvent(HealthEvent event) {}

  /** An action a guard took. */
  default void onAction(GuardAction action) {}
}
