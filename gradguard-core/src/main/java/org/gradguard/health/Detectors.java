package org.gradguard.health;

import java.util.List;

/** Factories for the standard detectors. */
public final class Detectors {
  private Detectors() {}

  /**
   * A fresh set of every detector with its documented defaults: {@link NonFiniteDetector}, {@link
   * ExplodingDetector}, {@link VanishingDetector}, {@link SaturationDetector}, {@link
   * DeadUnitsDetector}, {@link UpdateRatioDetector}. Detectors keep state, so each monitor needs
   * its own set.
   */
  public static List<Detector> defaults() {
    return List.of(
        new NonFiniteDetector(),
        new ExplodingDetector(),
        new VanishingDetector(),
        new SaturationDetector(),
        new DeadUnitsDetector(),
        new UpdateRatioDetector());
  }
}
