package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DEAD_UNITS: in a ReLU-family layer, at least {@code threshold} of the units output {@code ≤ 0}
 * for every example of the batch, for {@code patience} consecutive monitored steps: those units
 * pass no gradient to their weights. One event per layer (signal {@code "layer"}); CRITICAL when
 * the fraction is at least {@code critical}, else WARNING; repeated every {@code repeatEvery}
 * monitored steps while it lasts. Numbers: {@code fraction_dead}, {@code mean}.
 */
public final class DeadUnitsDetector implements Detector {
  /**
   * Settings.
   *
   * @param threshold fraction of dead units that fires (default 0.5)
   * @param critical fraction that makes the event CRITICAL (default 0.9)
   * @param patience consecutive monitored steps (default 3: a unit that is off for one batch may
   *     just have seen a batch that does not excite it)
   * @param repeatEvery monitored steps between repeats (default 100)
   */
  public record Config(double threshold, double critical, int patience, int repeatEvery) {
    public Config {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException(
            "DeadUnitsDetector: threshold must be in (0, 1], got " + threshold);
      }
      if (!(critical >= threshold && critical <= 1)) {
        throw new IllegalArgumentException(
            "DeadUnitsDetector: critical must be in [threshold, 1], got " + critical);
      }
      Debounce.validate("DeadUnitsDetector", patience, repeatEvery);
    }

    public static Config defaults() {
      return new Config(0.5, 0.9, 3, 100);
    }
  }

  private final Config config;
  private final Debounce debounce;

  public DeadUnitsDetector(Config config) {
    this.config = config;
    this.debounce = new Debounce(config.patience(), config.repeatEvery());
  }

  public DeadUnitsDetector() {
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
      double f = a.fractionDead();
      if (!debounce.update(a.layer(), f >= config.threshold())) {
        continue;
      }
      Map<String, Double> nums = new LinkedHashMap<>();
      nums.put("fraction_dead", f);
      nums.put("mean", a.mean());
      out.add(
          new HealthEvent(
              EventType.DEAD_UNITS,
              "layer",
              f >= config.critical() ? Severity.CRITICAL : Severity.WARNING,
              s.step(),
              List.of(a.layer()),
              Fmt.pct(f)
                  + " of the units of "
                  + a.kind().name().toLowerCase(java.util.Locale.ROOT)
                  + " layer '"
                  + a.layer()
                  + "' are inactive for the whole batch, for "
                  + debounce.run(a.layer())
                  + " monitored steps",
              nums));
    }
    return out;
  }
}
