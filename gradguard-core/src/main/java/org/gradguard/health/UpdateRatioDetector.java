package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UPDATE_RATIO: a layer's update:parameter ratio {@code log10(mean |u| / mean |θ|)} (DL4J's
 * definition; about −3 is healthy) stays above {@code log10(high)} (signal {@code "high"}: the
 * learning rate is probably too high) or below {@code log10(low)} (signal {@code "low"}: too low,
 * or the layer barely learns) for {@code patience} consecutive monitored steps with known updates.
 * One WARNING event per signal naming every layer out of band; repeated every {@code repeatEvery}
 * steps while it lasts. Numbers: {@code log10_ratio_min}, {@code log10_ratio_max}, {@code
 * log10_low}, {@code log10_high}. Runs after the update ({@link Stage#UPDATES}).
 */
public final class UpdateRatioDetector implements Detector {
  /**
   * Settings.
   *
   * @param low the lower end of the healthy band (default 1e-4)
   * @param high the upper end (default 1e-2)
   * @param patience consecutive monitored steps out of band (default 20)
   * @param repeatEvery monitored steps between repeats (default 100)
   */
  public record Config(double low, double high, int patience, int repeatEvery) {
    public Config {
      if (!(low > 0 && high > low) || Double.isInfinite(high)) {
        throw new IllegalArgumentException(
            "UpdateRatioDetector: need 0 < low < high < infinity, got low "
                + low
                + ", high "
                + high);
      }
      Debounce.validate("UpdateRatioDetector", patience, repeatEvery);
    }

    public static Config defaults() {
      return new Config(1e-4, 1e-2, 20, 100);
    }
  }

  private final Config config;
  private final Debounce debounce;

  public UpdateRatioDetector(Config config) {
    this.config = config;
    this.debounce = new Debounce(config.patience(), config.repeatEvery());
  }

  public UpdateRatioDetector() {
    this(Config.defaults());
  }

  @Override
  public Stage stage() {
    return Stage.UPDATES;
  }

  @Override
  public Map<String, double[]> state() {
    return DetectorStates.of(debounce);
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    DetectorStates.restore(this, debounce, state);
  }

  @Override
  public List<HealthEvent> inspect(StepStats s) {
    double lo = Math.log10(config.low());
    double hi = Math.log10(config.high());
    List<HealthEvent> out = new ArrayList<>();
    for (String signal : new String[] {"high", "low"}) {
      List<String> layers = new ArrayList<>();
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (LayerStats l : s.layers()) {
        double r = l.updateRatio();
        if (Double.isNaN(r)) {
          continue; // update unknown: the step does not count either way
        }
        boolean holds = signal.equals("high") ? r > hi : r < lo;
        if (debounce.update(signal + ":" + l.label(), holds)) {
          layers.add(l.label());
          min = Math.min(min, r);
          max = Math.max(max, r);
        }
      }
      if (layers.isEmpty()) {
        continue;
      }
      Map<String, Double> nums = new LinkedHashMap<>();
      nums.put("log10_ratio_min", min);
      nums.put("log10_ratio_max", max);
      nums.put("log10_low", lo);
      nums.put("log10_high", hi);
      out.add(
          new HealthEvent(
              EventType.UPDATE_RATIO,
              signal,
              Severity.WARNING,
              s.step(),
              layers,
              "update:parameter ratio (log10) between "
                  + Fmt.num(min)
                  + " and "
                  + Fmt.num(max)
                  + ", "
                  + (signal.equals("high") ? "above " + Fmt.num(hi) : "below " + Fmt.num(lo))
                  + " for "
                  + config.patience()
                  + "+ monitored steps, in "
                  + layers.size()
                  + " layer(s): "
                  + String.join(", ", layers),
              nums));
    }
    return out;
  }
}
