package org.gradguard.config;

import java.util.List;

/**
 * The gradient-health monitor and the thresholds of its detectors.
 *
 * @param every steps between measurements, {@code >= 1}
 * @param activations also measure activation statistics (saturation, dead units)
 * @param vanishingRatio VANISHING when the first layer's gradient norm is below this fraction of
 *     the last layer's, in (0, 1)
 * @param vanishingFloor VANISHING when a layer's gradient norm is below this absolute value
 * @param explodingFactor EXPLODING when the global norm exceeds this multiple of its running level
 * @param saturationThreshold SATURATION when this fraction of a layer's sigmoid/tanh units saturate
 * @param deadThreshold DEAD_UNITS when this fraction of a layer's ReLU units output 0 on a batch
 * @param updateRatioMin UPDATE_RATIO when ‖Δp‖/‖p‖ falls below this
 * @param updateRatioMax UPDATE_RATIO when ‖Δp‖/‖p‖ rises above this
 */
public record MonitorConfig(
    int every,
    boolean activations,
    double vanishingRatio,
    double vanishingFloor,
    double explodingFactor,
    double saturationThreshold,
    double deadThreshold,
    double updateRatioMin,
    double updateRatioMax) {

  /** The defaults. */
  public static final MonitorConfig DEFAULT =
      new MonitorConfig(10, true, 1e-3, 1e-8, 10, 0.5, 0.5, 1e-6, 1e-1);

  /** The keys of {@code monitor}. */
  public static final List<String> KEYS =
      List.of(
          "every",
          "activations",
          "vanishing_ratio",
          "vanishing_floor",
          "exploding_factor",
          "saturation_threshold",
          "dead_threshold",
          "update_ratio");

  static MonitorConfig parse(Node node) {
    Section s = node.asSection().keys(KEYS);
    double lo = DEFAULT.updateRatioMin;
    double hi = DEFAULT.updateRatioMax;
    Node ur = s.get("update_ratio");
    if (!ur.isAbsent()) {
      List<Node> items = ur.asList();
      if (items.size() != 2) {
        throw ur.error("expected two numbers [min, max], got " + items.size());
      }
      lo = items.get(0).asNumber(Range.POSITIVE);
      hi = items.get(1).asNumber(Range.POSITIVE);
      if (lo >= hi) {
        throw ur.error(
            "min must be below max, got [" + Numbers.format(lo) + ", " + Numbers.format(hi) + "]");
      }
    }
    return new MonitorConfig(
        s.integer("every", DEFAULT.every, 1),
        s.bool("activations", true),
        s.number("vanishing_ratio", DEFAULT.vanishingRatio, Range.OPEN_UNIT),
        s.number("vanishing_floor", DEFAULT.vanishingFloor, Range.NON_NEGATIVE),
        s.number("exploding_factor", DEFAULT.explodingFactor, Range.greaterThan(1)),
        s.number("saturation_threshold", DEFAULT.saturationThreshold, Range.UNIT_POSITIVE),
        s.number("dead_threshold", DEFAULT.deadThreshold, Range.UNIT_POSITIVE),
        lo,
        hi);
  }
}
