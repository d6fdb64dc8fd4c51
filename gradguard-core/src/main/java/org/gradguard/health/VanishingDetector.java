package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * VANISHING: early layers (or early time steps) receive orders of magnitude less gradient than late
 * ones, or gradient norms stay below a floor.
 *
 * <ul>
 *   <li>{@code "depth"}: the least-squares line through {@code ln ‖g_l‖} against depth puts the
 *       first layer at most {@code 1/ratio} of the last (at least {@code minLayers} layers). The
 *       layers involved are those at most {@code 1/involvedFactor} of the fitted last-layer norm.
 *       Numbers: {@code decay_per_layer} (fitted factor per layer toward the input), {@code
 *       fitted_ratio}, {@code measured_ratio} (first layer's norm / last layer's), {@code layers}.
 *   <li>{@code "backprop"}: the same test on the gradient backpropagated to the outputs of the
 *       activation layers ({@code ‖∂loss/∂y_l‖}, for activation layers called once per step), in
 *       forward order; the layers involved are activation layers. Same numbers as "depth".
 *   <li>{@code "time"}: the gradient decays back in time, by the same test: across the calls of a
 *       layer called at least {@code minLayers} times per step (a recurrent cell built from
 *       layers), or across the time steps of an {@code RNN}, {@code LSTM} or {@code GRU} input
 *       ({@link SequenceStats}). Numbers: {@code decay_per_step}, {@code fitted_ratio}, {@code
 *       measured_ratio}, {@code steps}.
 *   <li>{@code "floor"}: a layer's gradient norm has stayed below {@code floor} for {@code
 *       floorPatience} consecutive monitored steps. Numbers: {@code floor}, {@code steps}, {@code
 *       max_norm} (largest norm among the layers involved now).
 * </ul>
 *
 * <p>Severity: CRITICAL when the ratio is at most {@code 1/ratio²}, else WARNING; "floor" is
 * WARNING. Conditions fire when they appear (after {@code floorPatience} steps for "floor") and
 * then every {@code repeatEvery} monitored steps while they last.
 */
public final class VanishingDetector implements Detector {
  /**
   * Settings; see the class documentation.
   *
   * @param minLayers layers (or calls) needed for "depth" and "time" (default 4)
   * @param ratio last/first norm ratio for "depth" and "time" (default 100: two orders of
   *     magnitude)
   * @param involvedFactor a layer is involved at {@code 1/involvedFactor} of the last layer's norm
   *     (default 10)
   * @param floor the gradient-norm floor (default 1e-8)
   * @param floorPatience consecutive monitored steps below the floor (default 50)
   * @param repeatEvery monitored steps between repeats of a sustained condition (default 100)
   */
  public record Config(
      int minLayers,
      double ratio,
      double involvedFactor,
      double floor,
      int floorPatience,
      int repeatEvery) {
    public Config {
      if (minLayers < 2) {
        throw new IllegalArgumentException(
            "VanishingDetector: minLayers must be >= 2, got " + minLayers);
      }
      if (!(ratio > 1) || Double.isInfinite(ratio)) {
        throw new IllegalArgumentException(
            "VanishingDetector: ratio must be finite and > 1, got " + ratio);
      }
      if (!(involvedFactor >= 1)) {
        throw new IllegalArgumentException(
            "VanishingDetector: involvedFactor must be >= 1, got " + involvedFactor);
      }
      if (!(floor >= 0) || Double.isInfinite(floor)) {
        throw new IllegalArgumentException(
            "VanishingDetector: floor must be finite and >= 0, got " + floor);
      }
      Debounce.validate("VanishingDetector", floorPatience, repeatEvery);
    }

    /** The documented defaults. */
    public static Config defaults() {
      return new Config(4, 100, 10, 1e-8, 50, 100);
    }
  }

  private final Config config;
  private final Debounce sustained;
  private final Debounce belowFloor;

  public VanishingDetector(Config config) {
    this.config = config;
    this.sustained = new Debounce(1, config.repeatEvery());
    this.belowFloor = new Debounce(config.floorPatience(), config.repeatEvery());
  }

  /** A detector with {@link Config#defaults()}. */
  public VanishingDetector() {
    this(Config.defaults());
  }

  public Config config() {
    return config;
  }

  @Override
  public Map<String, double[]> state() {
    Map<String, double[]> out = new LinkedHashMap<>();
    sustained.exportInto("sustained/", out);
    belowFloor.exportInto("floor/", out);
    return out;
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    DetectorStates.onlyPrefixes(this, state, Set.of("sustained/", "floor/"));
    Map<String, Integer> s = Debounce.read("sustained/", state);
    Map<String, Integer> f = Debounce.read("floor/", state);
    sustained.set(s);
    belowFloor.set(f);
  }

  @Override
  public List<HealthEvent> inspect(StepStats s) {
    List<HealthEvent> out = new ArrayList<>();
    Trend t = GradientFlow.depth(s, config.minLayers());
    boolean depthHolds = t != null && t.fittedRatio() <= 1 / config.ratio();
    if (sustained.update("depth", depthHolds)) {
      out.add(depthEvent(s, t));
    }
    Trend b = GradientFlow.backprop(s, config.minLayers());
    boolean backpropHolds = b != null && b.fittedRatio() <= 1 / config.ratio();
    if (sustained.update("backprop", backpropHolds)) {
      out.add(backpropEvent(s, b));
    }
    for (ActivationStats a : s.activations()) {
      Trend tt = GradientFlow.time(a, config.minLayers());
      boolean holds = tt != null && tt.fittedRatio() <= 1 / config.ratio();
      if (sustained.update("time:" + a.layer(), holds)) {
        out.add(timeEvent(s, a.layer(), "calls of recurrent layer", a.calls(), tt));
      }
    }
    for (SequenceStats q : s.sequences()) {
      Trend tt = GradientFlow.time(q.inputGradNorms(), config.minLayers());
      boolean holds = tt != null && tt.fittedRatio() <= 1 / config.ratio();
      if (sustained.update("time:" + q.layer(), holds)) {
        out.add(timeEvent(s, q.layer(), "time steps of " + q.module() + " layer", q.steps(), tt));
      }
    }
    floor(s, out);
    return out;
  }

  private HealthEvent depthEvent(StepStats s, Trend t) {
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("decay_per_layer", t.factorTowardStart());
    nums.put("fitted_ratio", t.fittedRatio());
    nums.put("measured_ratio", t.measuredRatio());
    nums.put("layers", (double) t.points);
    return new HealthEvent(
        EventType.VANISHING,
        "depth",
        severity(t.fittedRatio()),
        s.step(),
        GradientFlow.layersBelow(s, t, 1 / config.involvedFactor()),
        GradientFlow.layerName(s, t.firstX)
            + " receives "
            + Fmt.num(t.measuredRatio())
            + " of the gradient norm of "
            + GradientFlow.layerName(s, t.lastX)
            + ": ×"
            + Fmt.num(t.factorTowardStart())
            + " per layer toward the input (fitted over "
            + t.points
            + " layers: "
            + Fmt.num(t.fittedRatio())
            + ")",
        nums);
  }

  private HealthEvent backpropEvent(StepStats s, Trend t) {
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("decay_per_layer", t.factorTowardStart());
    nums.put("fitted_ratio", t.fittedRatio());
    nums.put("measured_ratio", t.measuredRatio());
    nums.put("layers", (double) t.points);
    return new HealthEvent(
        EventType.VANISHING,
        "backprop",
        severity(t.fittedRatio()),
        s.step(),
        GradientFlow.activationsBelow(s, t, 1 / config.involvedFactor()),
        "the backpropagated gradient ‖∂loss/∂y‖ at "
            + GradientFlow.activationName(s, t.firstX)
            + " is "
            + Fmt.num(t.measuredRatio())
            + " of that at "
            + GradientFlow.activationName(s, t.lastX)
            + ": ×"
            + Fmt.num(t.factorTowardStart())
            + " per layer toward the input (fitted over "
            + t.points
            + " layers: "
            + Fmt.num(t.fittedRatio())
            + ")",
        nums);
  }

  private HealthEvent timeEvent(StepStats s, String layer, String what, int calls, Trend t) {
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("decay_per_step", t.factorTowardStart());
    nums.put("fitted_ratio", t.fittedRatio());
    nums.put("measured_ratio", t.measuredRatio());
    nums.put("steps", (double) t.points);
    return new HealthEvent(
        EventType.VANISHING,
        "time",
        severity(t.fittedRatio()),
        s.step(),
        List.of(layer),
        "through the "
            + calls
            + " "
            + what
            + " '"
            + layer
            + "' the gradient decays ×"
            + Fmt.num(t.factorTowardStart())
            + " per step back in time: the first step receives "
            + Fmt.num(t.measuredRatio())
            + " of the gradient of the last (fitted: "
            + Fmt.num(t.fittedRatio())
            + ")",
        nums);
  }

  private void floor(StepStats s, List<HealthEvent> out) {
    List<String> fired = new ArrayList<>();
    double maxNorm = 0;
    for (LayerStats l : s.layers()) {
      boolean below = Double.isFinite(l.gradNorm()) && l.gradNorm() < config.floor();
      if (belowFloor.update(l.label(), below)) {
        fired.add(l.label());
        maxNorm = Math.max(maxNorm, l.gradNorm());
      }
    }
    if (fired.isEmpty()) {
      return;
    }
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("floor", config.floor());
    nums.put("steps", (double) belowFloor.run(fired.get(0)));
    nums.put("max_norm", maxNorm);
    out.add(
        new HealthEvent(
            EventType.VANISHING,
            "floor",
            Severity.WARNING,
            s.step(),
            fired,
            fired.size()
                + " layer(s) have had a gradient norm below "
                + Fmt.num(config.floor())
                + " for "
                + belowFloor.run(fired.get(0))
                + " monitored steps (largest now "
                + Fmt.num(maxNorm)
                + "): "
                + String.join(", ", fired),
            nums));
  }

  private Severity severity(double fittedRatio) {
    return fittedRatio <= 1 / (config.ratio() * config.ratio())
        ? Severity.CRITICAL
        : Severity.WARNING;
  }
}
