package org.gradguard.health;

import java.util.List;

/**
 * Turns the statistics of a step into {@link HealthEvent}s. Detectors may keep state across steps
 * (rolling windows, patience counters); the {@link Monitor} calls each one once per monitored step,
 * in step order, from one thread.
 */
public interface Detector {
  /** When in the step a detector runs. */
  enum Stage {
    /**
     * After backward, before the guards and the optimizer: sees gradients and activations. The
     * parameter statistics are NaN at this stage in a {@link TrainingStep}, which takes them from
     * the pass that applies the update; a detector that needs them runs at {@link #UPDATES}.
     */
    GRADIENTS,
    /** After the optimizer: also sees the updates ({@link ParameterStats#updateRatio()}). */
    UPDATES
  }

  /** The stage at which this detector runs; {@link Stage#GRADIENTS} unless overridden. */
  default Stage stage() {
    return Stage.GRADIENTS;
  }

  /** The events for one monitored step (empty when healthy). */
  List<HealthEvent> inspect(StepStats stats);
}
