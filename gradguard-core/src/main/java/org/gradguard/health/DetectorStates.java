package org.gradguard.health;

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
}
