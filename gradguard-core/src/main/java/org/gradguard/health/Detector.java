package org.gradguard.health;

import java.util.List;
import java.util.Map;

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

  /**
   * What this detector carries from step to step (rolling windows, patience counters), as named
   * arrays of numbers, for a checkpoint: a resumed run's detector then fires exactly as the
   * uninterrupted run's would. Empty (the default) for a detector that keeps no state. Copies.
   */
  default Map<String, double[]> state() {
    return Map.of();
  }

  /**
   * Puts back a {@link #state()} of a detector of the same class and settings. Checked first: on an
   * error nothing has changed. Not modified: {@code state}.
   *
   * @throws IllegalArgumentException naming the key that is missing, unknown or out of range
   */
  default void restoreState(Map<String, double[]> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " keeps no state, got " + state.keySet());
    }
  }
}
