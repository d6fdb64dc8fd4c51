package org.gradguard.health;

import java.util.EnumSet;
import java.util.Set;

/**
 * When and how a {@link TrainingStep} rolls back to the last good state.
 *
 * <p>Every {@code every} healthy applied steps the training step keeps, in memory, a copy of the
 * parameters, the buffers, the optimizer chain's state (which holds the schedule's position) and
 * the RNG's state. On a trigger it restores that copy, multiplies the learning rate by {@code
 * backoff} (through the chain's {@code lr_scale}), skips the next {@code skipBatches} batches and
 * carries on; after {@code maxRetries} roll-backs without {@code every} healthy steps in between it
 * stops with a {@link TrainingDivergedException}.
 *
 * @param every healthy applied steps between snapshots, {@code >= 1} (default 10)
 * @param backoff learning-rate factor per roll-back, in {@code (0, 1]} (default 0.5)
 * @param skipBatches batches to skip after a roll-back, {@code >= 0} (default 0)
 * @param maxRetries roll-backs allowed without progress, {@code >= 1} (default 3)
 * @param onNonFinite roll back when the loss or a gradient is non-finite (default true)
 * @param lossSpike the spike rule for the loss, or null to ignore spikes (default: window 128, k 6,
 *     minHistory 20, loss only)
 * @param onEvents roll back when the monitor reports an event of these types with severity CRITICAL
 *     at the step (default none)
 */
public record RollbackConfig(
    int every,
    double backoff,
    int skipBatches,
    int maxRetries,
    boolean onNonFinite,
    SpikeConfig lossSpike,
    Set<EventType> onEvents) {
  public RollbackConfig {
    if (every < 1) {
      throw new IllegalArgumentException("RollbackConfig: every must be >= 1, got " + every);
    }
    if (!(backoff > 0 && backoff <= 1)) {
      throw new IllegalArgumentException(
          "RollbackConfig: backoff must be in (0, 1], got " + backoff);
    }
    if (skipBatches < 0) {
      throw new IllegalArgumentException(
          "RollbackConfig: skipBatches must be >= 0, got " + skipBatches);
    }
    if (maxRetries < 1) {
      throw new IllegalArgumentException(
          "RollbackConfig: maxRetries must be >= 1, got " + maxRetries);
    }
    onEvents = onEvents.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(onEvents));
  }

  /** The documented defaults. */
  public static RollbackConfig defaults() {
    return new RollbackConfig(
        10, 0.5, 0, 3, true, new SpikeConfig(128, 6, 20, true, false), Set.of());
  }

  public RollbackConfig withEvery(int m) {
    return new RollbackConfig(
        m, backoff, skipBatches, maxRetries, onNonFinite, lossSpike, onEvents);
  }

  public RollbackConfig withBackoff(double f) {
    return new RollbackConfig(every, f, skipBatches, maxRetries, onNonFinite, lossSpike, onEvents);
  }

  public RollbackConfig withSkipBatches(int n) {
    return new RollbackConfig(every, backoff, n, maxRetries, onNonFinite, lossSpike, onEvents);
  }

  public RollbackConfig withMaxRetries(int r) {
    return new RollbackConfig(every, backoff, skipBatches, r, onNonFinite, lossSpike, onEvents);
  }

  public RollbackConfig withLossSpike(SpikeConfig s) {
    return new RollbackConfig(every, backoff, skipBatches, maxRetries, onNonFinite, s, onEvents);
  }

  public RollbackConfig withOnEvents(Set<EventType> types) {
    return new RollbackConfig(
        every, backoff, skipBatches, maxRetries, onNonFinite, lossSpike, types);
  }
}
