package org.gradguard.health;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

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

  /** Adds each key's run as {@code prefix + key → [run]}, keys in sorted order. */
  void exportInto(String prefix, Map<String, double[]> out) {
    new TreeMap<>(runs).forEach((k, run) -> out.put(prefix + k, new double[] {run}));
  }

  /**
   * The runs saved by {@link #exportInto} under {@code prefix} in {@code state}, checked; apply
   * them with {@link #set}. Not modified: {@code state}.
   *
   * @throws IllegalArgumentException naming the key of a run that is not one positive integer
   */
  static Map<String, Integer> read(String prefix, Map<String, double[]> state) {
    Map<String, Integer> out = new HashMap<>();
    state.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            if (v.length != 1 || !(v[0] >= 1 && v[0] <= Integer.MAX_VALUE) || v[0] != (int) v[0]) {
              throw new IllegalArgumentException(
                  "detector state '" + k + "' must be one whole number >= 1");
            }
            out.put(k.substring(prefix.length()), (int) v[0]);
          }
        });
    return out;
  }

  /** Replaces every run with {@code saved} (from {@link #read}). */
  void set(Map<String, Integer> saved) {
    runs.clear();
    runs.putAll(saved);
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
