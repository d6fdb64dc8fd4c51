package org.gradguard.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing a guard did.
 *
 * @param step the step at which it acted
 * @param guard the guard's name ({@code "skipNonFinite"}, {@code "skipSpikes"}, {@code "rollback"})
 * @param action what it did
 * @param reason one line for people, with the numbers
 * @param numbers the measurements behind the action, by name (insertion order kept)
 */
public record GuardAction(
    long step, String guard, Action action, String reason, Map<String, Double> numbers) {
  /** The actions a guard can take. */
  public enum Action {
    /** The step's update was not applied; parameters and optimizer state are unchanged. */
    SKIP,
    /** The last good state was restored (and the learning rate lowered). */
    ROLLBACK,
    /** Training was stopped. */
    STOP
  }

  public GuardAction {
    numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
  }

  @Override
  public String toString() {
    return "step " + step + " " + guard + ": " + action + " — " + reason;
  }
}
