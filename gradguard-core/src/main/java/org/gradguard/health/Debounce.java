package org.gradguard.health;

import java.util.HashMap;
import java.util.Map;

/**
 * Patience and repetition for sustained conditions, per key: a condition fires once it has held for
 * {@code patience} consecutive monitored steps, then again every {@code repeatEvery} steps while it
 * keeps holding; a step without it resets the count. Package-private.
 */
final class Debounce {
  private final int patience;
  private final int repeatEvery;
  private final Map<String, Integer> runs = new HashMap<>();

  Debounce(int patience, int repeatEvery) {
    this.patience = patience;
    this.repeatEvery = repeatEvery;
  }

  /** Records whether the condition holds now for {@code key}; true when it should fire. */
  boolean update(String key, boolean holds) {
    if (!holds) {
      runs.remove(key);
      return false;
    }
    int run = runs.merge(key, 1, Integer::sum);
    return run >= patience && (run - patience) % repeatEvery == 0;
  }

  /** How many consecutive steps the condition has held for {@code key}. */
  int run(String key) {
    return runs.getOrDefault(key, 0);
  }

  static void validate(String owner, int patience, int repeatEvery) {
    if (patience < 1) {
      throw new IllegalArgumentException(owner + ": patience must be >= 1, got " + patience);
    }
    if (repeatEvery < 1) {
      throw new IllegalArgumentException(owner + ": repeatEvery must be >= 1, got " + repeatEvery);
    }
  }
}
