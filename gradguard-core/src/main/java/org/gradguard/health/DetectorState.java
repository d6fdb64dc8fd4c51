package org.gradguard.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One detector's {@link Detector#state()} as a checkpoint holds it.
 *
 * @param detector the detector's class name ({@code ExplodingDetector}), which a resumed monitor's
 *     detector at the same position must have
 * @param values the named arrays of numbers (copied)
 */
public record DetectorState(String detector, Map<String, double[]> values) {
  public DetectorState {
    if (detector == null || detector.isEmpty() || values == null) {
      throw new IllegalArgumentException("DetectorState: detector and values must be given");
    }
    Map<String, double[]> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k == null || v == null) {
            throw new IllegalArgumentException("DetectorState: null key or array");
          }
          copy.put(k, v.clone());
        });
    values = Collections.unmodifiableMap(copy);
  }
}
