package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.nn.Activation;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Each detector against scripted statistics: fires exactly when its documented rule says. */
class DetectorsTest {
  @Test
  void spikeFiresOnlyAboveBothTheZScoreAndTheMedianFactor() {
    ExplodingDetector d = new ExplodingDetector();
    Rng rng = new Rng(1);
    for (int t = 0; t < 40; t++) {
      double g = 1 + 0.1 * rng.nextGaussian();
      assertTrue(d.inspect(Synthetic.step(t, 1, g)).isEmpty(), "step " + t);
    }
    // 12× the level: z far above 6 and ratio above 10 → fires
    List<HealthEvent> ev = d.inspect(Synthetic.step(40, 1, 12));
    assertEquals(1, ev.size());
    HealthEvent e = ev.get(0);
    assertEquals("spike", e.signal());
    assertEquals(12, e.number("norm"), 1e-9);
    assertTrue(e.number("z") > 6);
    assertEquals(12, e.number("median_ratio"), 0.5);
    // 5× the level: z is huge but the ratio to the median is below 10 → quiet
    assertTrue(d.inspect(Synthetic.step(41, 1, 5)).isEmpty());
    // a spike is kept out of the window, so a second one fires too
    assertEquals(1, d.inspect(Synthetic.step(42, 1, 11)).size());
  }

  @Test
  void spikeNeedsMinHistory() {
    ExplodingDetector d =
        new ExplodingDetector(new ExplodingDetector.Config(50, 10, 6, 10, 4, 100, 10, 100));
    for (int t = 0; t < 9; t++) {
      d.inspect(Synthetic.step(t, 1, 1 + 0.01 * t));
    }
    assertTrue(d.inspect(Synthetic.step(9, 1, 1000)).isEmpty(), "only 9 norms seen");
  }

  @Test
  void depthTrendsFireOnTheFittedRatio() {
    // norms ×0.5 per layer toward the input over 8 layers: 2^7 = 128 ≥ 100
    double[] vanishing = new double[8];
    double[] exploding = new double[8];
    for (int i = 0; i < 8; i++) {
      vanishing[i] = Math.pow(2, i);
      exploding[i] = Math.pow(2, 7 - i);
    }
    List<HealthEvent> v = new VanishingDetector().inspect(Synthetic.step(0, 1, vanishing));
    assertEquals(1, v.size());
    assertEquals(0.5, v.get(0).number("decay_per_layer"), 1e-12);
    assertEquals(1.0 / 128, v.get(0).number("fitted_ratio"), 1e-12);
    // involved: at most 1/10 of the last layer's norm (128): layers 0..3 (1, 2, 4, 8)
    assertEquals(List.of("l0", "l1", "l2", "l3"), v.get(0).layers());
    assertEquals(Severity.WARNING, v.get(0).severity());
    List<HealthEvent> x = new ExplodingDetector().inspect(Synthetic.step(0, 1, exploding));
    assertEquals(1, x.size());
    assertEquals(2.0, x.get(0).number("growth_per_layer"), 1e-12);
    // 7 layers of ×2 is 128 < 100² → WARNING; a steeper one is CRITICAL
    double[] steep = new double[8];
    for (int i = 0; i < 8; i++) {
      steep[i] = Math.pow(10, -i);
    }
    assertEquals(
        Severity.CRITICAL,
        new ExplodingDetector().inspect(Synthetic.step(0, 1, steep)).get(0).severity());
    // ×0.6 per layer over 8 layers is only 36×: quiet
    double[] mild = new double[8];
    for (int i = 0; i < 8; i++) {
      mild[i] = Math.pow(0.6, 7 - i);
    }
    assertTrue(new VanishingDetector().inspect(Synthetic.step(0, 1, mild)).isEmpty());
    // fewer than minLayers layers: quiet
    assertTrue(new VanishingDetector().inspect(Synthetic.step(0, 1, 1e-9, 1)).isEmpty());
  }

  @Test
  void sustainedConditionsRepeatOnlyEveryRepeatEverySteps() {
    VanishingDetector d = new VanishingDetector(new VanishingDetector.Config(4, 100, 10, 0, 1, 3));
    double[] norms = {1e-6, 1e-4, 1e-2, 1};
    List<Long> fired = new ArrayList<>();
    for (long t = 0; t < 7; t++) {
      if (!d.inspect(Synthetic.step(t, 1, norms)).isEmpty()) {
        fired.add(t);
      }
    }
    assertEquals(List.of(0L, 3L, 6L), fired);
  }

  @Test
  void floorFiresAfterPatienceSteps() {
    VanishingDetector d =
        new VanishingDetector(new VanishingDetector.Config(4, 100, 10, 1e-8, 5, 100));
    for (long t = 0; t < 4; t++) {
      assertTrue(d.inspect(Synthetic.step(t, 1, 1e-9, 1)).isEmpty());
    }
    List<HealthEvent> e = d.inspect(Synthetic.step(4, 1, 1e-9, 1));
    assertEquals(1, e.size());
    assertEquals("floor", e.get(0).signal());
    assertEquals(List.of("l0"), e.get(0).layers());
    assertEquals(5.0, e.get(0).number("steps"));
    // a step above the floor resets the count
    assertTrue(d.inspect(Synthetic.step(5, 1, 1, 1)).isEmpty());
    assertTrue(d.inspect(Synthetic.step(6, 1, 1e-9, 1)).isEmpty());
  }

  @Test
  void timeTrendsComeFromRepeatedCalls() {
    List<Double> growing = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      growing.add(Math.pow(1.5, 19 - t));
    }
    ActivationStats cell =
        Synthetic.activation("cell", Activation.Kind.TANH, 0, Double.NaN, growing);
    List<HealthEvent> e =
        new ExplodingDetector().inspect(Synthetic.withActivations(0, 1, List.of(cell), 1, 1));
    assertEquals(1, e.size());
    assertEquals("time", e.get(0).signal());
    assertEquals(1.5, e.get(0).number("growth_per_step"), 1e-9);
    assertEquals(20.0, e.get(0).number("steps"));
  }

  @Test
  void saturationDeadUnitsAndUpdateRatioUseTheirThresholdsAndPatience() {
    ActivationStats sat =
        Synthetic.activation("s", Activation.Kind.SIGMOID, 0.3, Double.NaN, List.of());
    ActivationStats ok =
        Synthetic.activation("t", Activation.Kind.TANH, 0.2, Double.NaN, List.of());
    List<HealthEvent> e =
        new SaturationDetector().inspect(Synthetic.withActivations(0, 1, List.of(sat, ok), 1));
    assertEquals(1, e.size());
    assertEquals(List.of("s"), e.get(0).layers());
    assertEquals(0.3, e.get(0).number("fraction_saturated"));

    DeadUnitsDetector dead = new DeadUnitsDetector();
    ActivationStats relu =
        Synthetic.activation("r", Activation.Kind.RELU, Double.NaN, 0.95, List.of());
    StepStats s = Synthetic.withActivations(0, 1, List.of(relu), 1);
    assertTrue(dead.inspect(s).isEmpty());
    assertTrue(dead.inspect(s).isEmpty());
    HealthEvent d = dead.inspect(s).get(0);
    assertEquals(Severity.CRITICAL, d.severity());

    UpdateRatioDetector u = new UpdateRatioDetector();
    assertEquals(Detector.Stage.UPDATES, u.stage());
    for (int t = 0; t < 19; t++) {
      assertTrue(u.inspect(Synthetic.withUpdateRatio(Synthetic.step(t, 1, 1, 1), -1.5)).isEmpty());
    }
    HealthEvent high =
        u.inspect(Synthetic.withUpdateRatio(Synthetic.step(19, 1, 1, 1), -1.5)).get(0);
    assertEquals("high", high.signal());
    assertEquals(List.of("l0", "l1"), high.layers());
    assertEquals(-1.5, high.number("log10_ratio_max"), 1e-12);
    // unknown updates neither count nor reset
    assertTrue(u.inspect(Synthetic.step(20, 1, 1, 1)).isEmpty());
  }

  @Test
  void settingsAreValidatedWithTheirNames() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ExplodingDetector.Config(50, 60, 6, 10, 4, 100, 10, 100));
    assertEquals("ExplodingDetector: minHistory must be in [2, window], got 60", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new VanishingDetector.Config(4, 1, 10, 1e-8, 50, 100));
    assertEquals("VanishingDetector: ratio must be finite and > 1, got 1.0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new SaturationDetector.Config(0.5, 0.4, 1, 1));
    assertEquals("SaturationDetector: critical must be in [threshold, 1], got 0.4", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new DeadUnitsDetector.Config(0.5, 0.9, 0, 1));
    assertEquals("DeadUnitsDetector: patience must be >= 1, got 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new UpdateRatioDetector.Config(1e-2, 1e-4, 1, 1));
    assertEquals(
        "UpdateRatioDetector: need 0 < low < high < infinity, got low 0.01, high 1.0E-4",
        e.getMessage());
  }

  @Test
  void runningMedianIsExactToHalfAPercent() {
    RunningMedian m = new RunningMedian();
    Rng rng = new Rng(3);
    double[] xs = new double[1001];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Math.exp(3 * rng.nextGaussian());
      m.add(xs[i]);
    }
    java.util.Arrays.sort(xs);
    assertEquals(xs[500], m.median(), 0.005 * xs[500]);
  }
}
