package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EXPLODING: gradients too large, by three tests.
 *
 * <ul>
 *   <li>{@code "spike"}: the global gradient norm {@code g} is far above its running level: its
 *       z-score {@code (g − mean)/std} over the last {@code window} finite norms is at least {@code
 *       zThreshold} <em>and</em> {@code g} is at least {@code medianFactor} times the all-time
 *       median (both, so that a quiet window with a tiny std does not fire on noise). Needs {@code
 *       minHistory} norms first. A spike is not added to the window (so a run of spikes keeps
 *       firing) but is counted in the median. Numbers: {@code norm}, {@code z}, {@code
 *       window_mean}, {@code window_std}, {@code median}, {@code median_ratio}.
 *   <li>{@code "depth"}: layer gradient norms grow layer over layer toward the input: the
 *       least-squares line through {@code ln ‖g_l‖} against depth puts the first layer at least
 *       {@code ratio} times above the last (at least {@code minLayers} layers). The layers involved
 *       are those at least {@code involvedFactor} times the fitted last-layer norm. Numbers: {@code
 *       growth_per_layer} (fitted, toward the input), {@code fitted_ratio}, {@code measured_ratio}
 *       (first layer's norm / last layer's), {@code layers}.
 *   <li>{@code "backprop"}: the same test on the gradient backpropagated to the outputs of the
 *       activation layers ({@code ‖∂loss/∂y_l‖}, for activation layers called once per step), in
 *       forward order. In a ReLU net weight-gradient norms stay level even when this gradient
 *       explodes (activations shrink by the same factor per layer as it grows), so this is the test
 *       that sees a too-large initialization there. Same numbers as "depth".
 *   <li>{@code "time"}: the gradient grows back in time, by the same test: across the calls of a
 *       layer called at least {@code minLayers} times per step (a recurrent cell built from layers:
 *       the gradient of each call's output), or across the time steps of an {@code RNN}, {@code
 *       LSTM} or {@code GRU} input ({@link SequenceStats}). Numbers: {@code growth_per_step},
 *       {@code fitted_ratio}, {@code measured_ratio}, {@code steps}.
 * </ul>
 *
 * <p>Severity: CRITICAL when the ratio is at least {@code ratio²} or the z-score at least {@code
 * 2·zThreshold}, else WARNING. "depth", "backprop" and "time" fire when the condition appears and
 * then every {@code repeatEvery} monitored steps while it lasts.
 */
public final class ExplodingDetector implements Detector {
  /**
   * Settings; see the class documentation.
   *
   * @param window rolling window of global norms (default 50)
   * @param minHistory norms needed before "spike" can fire (default 10)
   * @param zThreshold z-score of a spike (default 6)
   * @param medianFactor multiple of the all-time median of a spike (default 10)
   * @param minLayers layers (or calls) needed for "depth" and "time" (default 4)
   * @param ratio first/last norm ratio for "depth" and "time" (default 100: two orders of
   *     magnitude)
   * @param involvedFactor a layer is involved at this multiple of the last layer's norm (default
   *     10)
   * @param repeatEvery monitored steps between repeats of a sustained condition (default 100)
   */
  public record Config(
      int window,
      int minHistory,
      double zThreshold,
      double medianFactor,
      int minLayers,
      double ratio,
      double involvedFactor,
      int repeatEvery) {
    public Config {
      if (window < 2) {
        throw new IllegalArgumentException("ExplodingDetector: window must be >= 2, got " + window);
      }
      if (minHistory < 2 || minHistory > window) {
        throw new IllegalArgumentException(
            "ExplodingDetector: minHistory must be in [2, window], got " + minHistory);
      }
      if (!(zThreshold > 0)) {
        throw new IllegalArgumentException(
            "ExplodingDetector: zThreshold must be > 0, got " + zThreshold);
      }
      if (!(medianFactor >= 1)) {
        throw new IllegalArgumentException(
            "ExplodingDetector: medianFactor must be >= 1, got " + medianFactor);
      }
      if (minLayers < 2) {
        throw new IllegalArgumentException(
            "ExplodingDetector: minLayers must be >= 2, got " + minLayers);
      }
      if (!(ratio > 1) || Double.isInfinite(ratio)) {
        throw new IllegalArgumentException(
            "ExplodingDetector: ratio must be finite and > 1, got " + ratio);
      }
      if (!(involvedFactor >= 1)) {
        throw new IllegalArgumentException(
            "ExplodingDetector: involvedFactor must be >= 1, got " + involvedFactor);
      }
      Debounce.validate("ExplodingDetector", 1, repeatEvery);
    }

    /** The documented defaults. */
    public static Config defaults() {
      return new Config(50, 10, 6, 10, 4, 100, 10, 100);
    }
  }

  private final Config config;
  private final RollingWindow window;
  private final RunningMedian median = new RunningMedian();
  private final Debounce sustained;

  public ExplodingDetector(Config config) {
    this.config = config;
    this.window = new RollingWindow(config.window());
    this.sustained = new Debounce(1, config.repeatEvery());
  }

  /** A detector with {@link Config#defaults()}. */
  public ExplodingDetector() {
    this(Config.defaults());
  }

  public Config config() {
    return config;
  }

  @Override
  public Map<String, double[]> state() {
    Map<String, double[]> out = new LinkedHashMap<>();
    sustained.exportInto("sustained/", out);
    window.exportInto("window/", out);
    median.exportInto("median/", out);
    return out;
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    DetectorStates.onlyPrefixes(this, state, Set.of("sustained/", "window/", "median/"));
    Map<String, Integer> s = Debounce.read("sustained/", state);
    // into fresh objects first, so that an error leaves this detector as it was
    new RollingWindow(config.window()).restoreFrom("window/", state);
    new RunningMedian().restoreFrom("median/", state);
    sustained.set(s);
    window.restoreFrom("window/", state);
    median.restoreFrom("median/", state);
  }

  @Override
  public List<HealthEvent> inspect(StepStats s) {
    List<HealthEvent> out = new ArrayList<>();
    spike(s, out);
    Trend t = GradientFlow.depth(s, config.minLayers());
    boolean depthHolds = t != null && t.fittedRatio() >= config.ratio();
    if (sustained.update("depth", depthHolds)) {
      out.add(depthEvent(s, t));
    }
    Trend b = GradientFlow.backprop(s, config.minLayers());
    boolean backpropHolds = b != null && b.fittedRatio() >= config.ratio();
    if (sustained.update("backprop", backpropHolds)) {
      out.add(backpropEvent(s, b));
    }
    for (ActivationStats a : s.activations()) {
      Trend tt = GradientFlow.time(a, config.minLayers());
      boolean holds = tt != null && tt.fittedRatio() >= config.ratio();
      if (sustained.update("time:" + a.layer(), holds)) {
        out.add(timeEvent(s, a.layer(), "calls of recurrent layer", a.calls(), tt));
      }
    }
    for (SequenceStats q : s.sequences()) {
      Trend tt = GradientFlow.time(q.inputGradNorms(), config.minLayers());
      boolean holds = tt != null && tt.fittedRatio() >= config.ratio();
      if (sustained.update("time:" + q.layer(), holds)) {
        out.add(timeEvent(s, q.layer(), "time steps of " + q.module() + " layer", q.steps(), tt));
      }
    }
    return out;
  }

  private void spike(StepStats s, List<HealthEvent> out) {
    double g = s.globalGradNorm();
    if (!Double.isFinite(g)) {
      return;
    }
    boolean fired = false;
    if (window.count() >= config.minHistory()) {
      double mean = window.mean();
      double std = window.std();
      double z = std > 0 ? (g - mean) / std : (g > mean ? Double.POSITIVE_INFINITY : 0);
      // the median only for a candidate: its tree walk touches cold memory on every step otherwise
      double med = z >= config.zThreshold() ? median.median() : Double.NaN;
      double medRatio = g / med;
      if (z >= config.zThreshold() && medRatio >= config.medianFactor()) {
        fired = true;
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("norm", g);
        nums.put("z", z);
        nums.put("window_mean", mean);
        nums.put("window_std", std);
        nums.put("median", med);
        nums.put("median_ratio", medRatio);
        Severity sev = z >= 2 * config.zThreshold() ? Severity.CRITICAL : Severity.WARNING;
        out.add(
            new HealthEvent(
                EventType.EXPLODING,
                "spike",
                sev,
                s.step(),
                List.of(),
                "global gradient norm "
                    + Fmt.num(g)
                    + " is "
                    + Fmt.num(z)
                    + " standard deviations above its mean of the last "
                    + window.count()
                    + " steps ("
                    + Fmt.num(mean)
                    + " ± "
                    + Fmt.num(std)
                    + ") and "
                    + Fmt.num(medRatio)
                    + "× its all-time median ("
                    + Fmt.num(med)
                    + ")",
                nums));
      }
    }
    if (!fired) {
      window.add(g);
    }
    median.add(g);
  }

  private HealthEvent depthEvent(StepStats s, Trend t) {
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("growth_per_layer", t.factorTowardStart());
    nums.put("fitted_ratio", t.fittedRatio());
    nums.put("measured_ratio", t.measuredRatio());
    nums.put("layers", (double) t.points);
    List<String> involved = GradientFlow.layersAbove(s, t, config.involvedFactor());
    return new HealthEvent(
        EventType.EXPLODING,
        "depth",
        severity(t.fittedRatio()),
        s.step(),
        involved,
        "the weight-gradient norm grows ×"
            + Fmt.num(t.factorTowardStart())
            + " per layer toward the input: "
            + GradientFlow.layerName(s, t.firstX)
            + " receives "
            + Fmt.num(t.measuredRatio())
            + "× the gradient norm of "
            + GradientFlow.layerName(s, t.lastX)
            + " (fitted over "
            + t.points
            + " layers: "
            + Fmt.num(t.fittedRatio())
            + "×)",
        nums);
  }

  private HealthEvent backpropEvent(StepStats s, Trend t) {
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("growth_per_layer", t.factorTowardStart());
    nums.put("fitted_ratio", t.fittedRatio());
    nums.put("measured_ratio", t.measuredRatio());
    nums.put("layers", (double) t.points);
    return new HealthEvent(
        EventType.EXPLODING,
        "backprop",
        severity(t.fittedRatio()),
        s.step(),
        GradientFlow.activationsAbove(s, t, config.involvedFactor()),
        "the backpropagated gradient ‖∂loss/∂y‖ grows ×"
            + Fmt.num(t.factorTowardStart())
            + " per layer toward the input: "
            + GradientFlow.activationName(s, t.firstX)
            + " receives "
            + Fmt.num(t.measuredRatio())
            + "× the gradient of "
            + GradientFlow.activationName(s, t.lastX)
            + " (fitted over "
            + t.points
            + " layers: "
            + Fmt.num(t.fittedRatio())
            + "×)",
        nums);
  }

  private HealthEvent timeEvent(StepStats s, String layer, String what, int calls, Trend t) {
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("growth_per_step", t.factorTowardStart());
    nums.put("fitted_ratio", t.fittedRatio());
    nums.put("measured_ratio", t.measuredRatio());
    nums.put("steps", (double) t.points);
    return new HealthEvent(
        EventType.EXPLODING,
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
            + "' the gradient grows ×"
            + Fmt.num(t.factorTowardStart())
            + " per step back in time: the first step receives "
            + Fmt.num(t.measuredRatio())
            + "× the gradient of the last (fitted: "
            + Fmt.num(t.fittedRatio())
            + "×)",
        nums);
  }

  private Severity severity(double ratio) {
    return ratio >= config.ratio() * config.ratio() ? Severity.CRITICAL : Severity.WARNING;
  }
}
