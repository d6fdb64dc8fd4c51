package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SATURATION: in a sigmoid or tanh layer, at least {@code threshold} of the outputs sit within the
 * monitor's saturation tolerance of a bound (where the derivative is below about 0.02, so the
 * gradient through those units nearly stops), for {@code patience} consecutive monitored steps. One
 * event per layer (signal {@code "layer"}); CRITICAL when the fraction is at least {@code
 * critical}, else WARNING; repeated every {@code repeatEvery} monitored steps while it lasts.
 * Numbers: {@code fraction_saturated}, {@code mean}, {@code std}.
 */
public final class SaturationDetector implements Detector {
  /**
   * Settings.
   *
   * @param threshold fraction of saturated outputs that fires (default 0.25)
   * @param critical fraction that makes the event CRITICAL (default 0.9)
   * @param patience consecutive monitored steps (default 1: an initialization problem shows at the
   *     first step)
   * @param repeatEvery monitored steps between repeats (default 100)
   */
  public record Config(double threshold, double critical, int patience, int repeatEvery) {
    public Config {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException(
            "SaturationDetector: threshold must be in (0, 1], got " + threshold);
      }
      if (!(critical >= threshold && critical <= 1)) {
        throw new IllegalArgumentException(
            "SaturationDetector: critical must be in [threshold, 1], got " + critical);
      }
      Debounce.validate("SaturationDetector", patience, repeatEvery);
    }

    public static Config defaults() {
      return new Config(0.25, 0.9, 1, 100);
    }
  }

  private final Config config;
  private final Debounce debounce;

  public SaturationDetector(Config config) {
    this.config = config;
    this.debounce = new Debounce(config.patience(), config.repeatEvery());
  }

  public SaturationDetector() {
    this(Config.defaults());
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
    List<HealthEvent> out = new ArrayList<>();
    for (ActivationStats a : s.activations()) {
      double f = a.fractionSaturated();
      if (!debounce.update(a.layer(), f >= config.threshold())) {
        continue;
      }
      Map<String, Double> nums = new LinkedHashMap<>();
      nums.put("fraction_saturated", f);
      nums.put("mean", a.mean());
      nums.put("std", a.std());
      out.add(
          new HealthEvent(
              EventType.SATURATION,
              "layer",
              f >= config.critical() ? Severity.CRITICAL : Severity.WARNING,
              s.step(),
              List.of(a.layer()),
              Fmt.pct(f)
                  + " of the outputs of "
                  + a.kind().name().toLowerCase(java.util.Locale.ROOT)
                  + " layer '"
                  + a.layer()
                  + "' are saturated (mean "
                  + Fmt.num(a.mean())
                  + ", std "
                  + Fmt.num(a.std())
                  + ")",
              nums));
    }
    return out;
  }
}
