package org.gradguard.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Checks shared by the built-in detectors' {@link Detector#restoreState}. Package-private. */
final class DetectorStates {
  private DetectorStates() {}

  /**
   * Throws unless every key of {@code state} starts with one of {@code prefixes}.
   *
   * @throws IllegalArgumentException naming the first unknown key and the detector
   */
  static void onlyPrefixes(Detector d, Map<String, double[]> state, Set<String> prefixes) {
    for (String k : state.keySet()) {
      if (prefixes.stream().noneMatch(k::startsWith)) {
        throw new IllegalArgumentException(
            d.getClass().getSimpleName()
                + ": unknown detector state '"
                + k
                + "' (expected keys starting with "
                + prefixes
                + ")");
      }
    }
  }

  /** The key prefix of a detector whose only state is one {@link Debounce}. */
  private static final String DEBOUNCE = "debounce/";

  /** The state of a detector whose only state is {@code d}. */
  static Map<String, double[]> of(Debounce d) {
    Map<String, double[]> out = new LinkedHashMap<>();
    d.exportInto(DEBOUNCE, out);
    return out;
  }

  /** Puts back {@link #of} into {@code d}, {@code owner}'s only state; checked first. */
  static void restore(Detector owner, Debounce d, Map<String, double[]> state) {
    onlyPrefixes(owner, state, Set.of(DEBOUNCE));
    d.set(Debounce.read(DEBOUNCE, state));
  }
}
