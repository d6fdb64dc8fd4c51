package org.gradguard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.health.DeadUnitsDetector;
import org.gradguard.health.Detector;
import org.gradguard.health.ExplodingDetector;
import org.gradguard.health.NonFiniteDetector;
import org.gradguard.health.SaturationDetector;
import org.gradguard.health.UpdateRatioDetector;
import org.gradguard.health.VanishingDetector;

/**
 * The gradient-health monitor ({@code org.gradguard.health.Monitor}) and its detectors. Each
 * detector's settings are the health package's own {@code Config} record, read key by key ({@link
 * RecordReader}); a detector set to {@code false} is off. The non-finite detector is always on.
 *
 * @param every monitor every k-th step
 * @param saturationTolerance a sigmoid output within this of 0 or 1, or a tanh output with {@code
 *     |y| >= 1 − tol}, counts as saturated
 * @param exploding settings of the EXPLODING detector, or null for off
 * @param vanishing settings of the VANISHING detector, or null for off
 * @param saturation settings of the SATURATION detector, or null for off
 * @param deadUnits settings of the DEAD_UNITS detector, or null for off
 * @param updateRatio settings of the UPDATE_RATIO detector, or null for off
 */
public record MonitorConfig(
    int every,
    double saturationTolerance,
    ExplodingDetector.Config exploding,
    VanishingDetector.Config vanishing,
    SaturationDetector.Config saturation,
    DeadUnitsDetector.Config deadUnits,
    UpdateRatioDetector.Config updateRatio) {

  /** The defaults: every 10th step (the Trainer's), every detector with its defaults. */
  public static final MonitorConfig DEFAULT =
      new MonitorConfig(
          10,
          0.01,
          ExplodingDetector.Config.defaults(),
          VanishingDetector.Config.defaults(),
          SaturationDetector.Config.defaults(),
          DeadUnitsDetector.Config.defaults(),
          UpdateRatioDetector.Config.defaults());

  /** The keys of {@code monitor}. */
  public static final List<String> KEYS =
      List.of(
          "every",
          "saturation_tolerance",
          "exploding",
          "vanishing",
          "saturation",
          "dead_units",
          "update_ratio");

  /** The keys of each detector's map, by its key in {@code monitor}. */
  public static final Map<String, List<String>> DETECTOR_KEYS =
      Map.of(
          "exploding", RecordReader.keys(ExplodingDetector.Config.class),
          "vanishing", RecordReader.keys(VanishingDetector.Config.class),
          "saturation", RecordReader.keys(SaturationDetector.Config.class),
          "dead_units", RecordReader.keys(DeadUnitsDetector.Config.class),
          "update_ratio", RecordReader.keys(UpdateRatioDetector.Config.class));

  /** A fresh set of the detectors that are on (detectors keep state: one set per monitor). */
  public List<Detector> detectors() {
    List<Detector> out = new ArrayList<>();
    out.add(new NonFiniteDetector());
    if (exploding != null) {
      out.add(new ExplodingDetector(exploding));
    }
    if (vanishing != null) {
      out.add(new VanishingDetector(vanishing));
    }
    if (saturation != null) {
      out.add(new SaturationDetector(saturation));
    }
    if (deadUnits != null) {
      out.add(new DeadUnitsDetector(deadUnits));
    }
    if (updateRatio != null) {
      out.add(new UpdateRatioDetector(updateRatio));
    }
    return out;
  }

  static MonitorConfig parse(Node node) {
    Section s = node.asSection().keys(KEYS);
    double tol = s.number("saturation_tolerance", DEFAULT.saturationTolerance, Range.OPEN_UNIT);
    return new MonitorConfig(
        s.integer("every", DEFAULT.every, 1),
        tol,
        RecordReader.read(s.get("exploding"), DEFAULT.exploding, Map.of()),
        RecordReader.read(s.get("vanishing"), DEFAULT.vanishing, Map.of()),
        RecordReader.read(s.get("saturation"), DEFAULT.saturation, Map.of()),
        RecordReader.read(s.get("dead_units"), DEFAULT.deadUnits, Map.of()),
        RecordReader.read(s.get("update_ratio"), DEFAULT.updateRatio, Map.of()));
  }
}
