package org.gradguard.config;

import java.util.List;

/**
 * Guards: what to do when a step goes wrong. A step is bad when its loss or gradients are not
 * finite, or (with {@code spikeFactor > 0}) when its global gradient norm exceeds {@code
 * spikeFactor} times the running average. Training counts as diverged (exit code 1) when the guards
 * give up: {@code nonfinite: stop}, more than {@code maxConsecutiveSkips} skipped steps in a row,
 * or more than {@code maxRollbacks} roll-backs.
 *
 * @param nonfinite action on a non-finite loss or gradient
 * @param maxConsecutiveSkips consecutive skipped steps after which training stops, {@code >= 1}
 * @param spikeFactor spike threshold as a multiple of the running norm; 0 turns spikes off
 * @param spikeAction action on a spike
 * @param rollbackLrFactor factor applied to the learning rate after each roll-back, in (0, 1)
 * @param maxRollbacks roll-backs after which training stops, {@code >= 0}
 * @param snapshotEvery steps between the good states kept for roll-back, {@code >= 1}
 */
public record GuardsConfig(
    Action nonfinite,
    int maxConsecutiveSkips,
    double spikeFactor,
    Action spikeAction,
    double rollbackLrFactor,
    int maxRollbacks,
    int snapshotEvery) {

  /** What a guard does with a bad step. */
  public enum Action implements Named {
    /** Do nothing (let the step through). */
    NONE,
    /** Drop the step: the parameters and optimizer state stay as they were. */
    SKIP,
    /** Clip the update to the running norm (spikes only). */
    CLIP,
    /** Restore the last good state and lower the learning rate. */
    ROLLBACK,
    /** Stop training; the run counts as diverged. */
    STOP;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** The defaults: skip non-finite steps, at most 5 in a row; no spike guard. */
  public static final GuardsConfig DEFAULT =
      new GuardsConfig(Action.SKIP, 5, 0, Action.SKIP, 0.5, 3, 100);

  /** The keys of {@code guards}. */
  public static final List<String> KEYS =
      List.of(
          "nonfinite",
          "max_consecutive_skips",
          "spike_factor",
          "spike_action",
          "rollback_lr_factor",
          "max_rollbacks",
          "snapshot_every");

  static GuardsConfig parse(Node node) {
    if (!node.isAbsent() && node.json().isTextual()) {
      String t = node.json().asText();
      if (Suggestions.normalize(t).equals("none")) {
        return new GuardsConfig(Action.NONE, 5, 0, Action.SKIP, 0.5, 3, 100);
      }
      throw node.error("expected a map of settings or none, got " + node.describe());
    }
    Section s = node.asSection().keys(KEYS);
    Action nonfinite = s.choice("nonfinite", Action.values(), Action.SKIP, "guard action");
    if (nonfinite == Action.CLIP) {
      throw s.error(
          "nonfinite", "clip cannot repair a non-finite gradient; use skip, rollback or stop");
    }
    double spikeFactor = s.number("spike_factor", 0, Range.NON_NEGATIVE);
    if (spikeFactor > 0 && spikeFactor <= 1) {
      throw s.error("spike_factor", "must be 0 (off) or > 1, got " + Numbers.format(spikeFactor));
    }
    return new GuardsConfig(
        nonfinite,
        s.integer("max_consecutive_skips", 5, 1),
        spikeFactor,
        s.choice("spike_action", Action.values(), Action.SKIP, "guard action"),
        s.number("rollback_lr_factor", 0.5, Range.OPEN_UNIT),
        s.integer("max_rollbacks", 3, 0),
        s.integer("snapshot_every", 100, 1));
  }
}
