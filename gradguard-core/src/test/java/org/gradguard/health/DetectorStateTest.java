package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.nn.Activation;
import org.junit.jupiter.api.Test;

/**
 * A detector restored from its {@link Detector#state()} fires exactly as the one it was taken from:
 * each default detector sees 23 steps, hands its state to a fresh one, and both see the rest.
 */
class DetectorStateTest {
  private static final int SPLIT = 23;

  /**
   * 60 steps that keep every detector busy across the split: six layers whose gradients vanish
   * strongly in steps 0–9, 20–29, 40–49 and mildly otherwise, a spike of the global norm at steps
   * 25 and 47, a saturating sigmoid, a mostly dead ReLU and update ratios out of range.
   */
  private static List<StepStats> steps() {
    List<StepStats> out = new ArrayList<>();
    for (int t = 0; t < 60; t++) {
      double k = (t / 10) % 2 == 0 ? 1.0 : 0.2;
      double spike = t == 25 || t == 47 ? 1000 : 1 + 0.01 * (t % 3);
      double[] norms = new double[6];
      for (int i = 0; i < norms.length; i++) {
        norms[i] = spike * Math.pow(10, -(5 - i) * k);
      }
      List<ActivationStats> acts =
          List.of(
              Synthetic.activation(
                  "s", Activation.Kind.SIGMOID, t % 7 != 0 ? 0.6 : 0.1, Double.NaN, List.of(1.0)),
              Synthetic.activation(
                  "r", Activation.Kind.RELU, Double.NaN, t % 5 != 0 ? 0.7 : 0.1, List.of(1.0)));
      StepStats s = Synthetic.withActivations(t, 1.0, acts, norms);
      out.add(Synthetic.withUpdateRatio(s, t % 3 != 0 ? -1 : -3));
    }
    return out;
  }

  /** The events as comparable text: type, signal, severity, step, layers, message, numbers. */
  private static List<String> run(Detector d, List<StepStats> steps) {
    List<String> out = new ArrayList<>();
    for (StepStats s : steps) {
      for (HealthEvent e : d.inspect(s)) {
        out.add(
            e.type()
                + " "
                + e.signal()
                + " "
                + e.severity()
                + " "
                + e.step()
                + " "
                + e.layers()
                + " "
                + e.message()
                + " "
                + e.numbers());
      }
    }
    return out;
  }

  private static void assertSameState(Map<String, double[]> a, Map<String, double[]> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
  }

  @Test
  void everyDefaultDetectorContinuesFromItsState() {
    List<StepStats> steps = steps();
    List<StepStats> before = steps.subList(0, SPLIT);
    List<StepStats> after = steps.subList(SPLIT, steps.size());
    int statefulAndFiring = 0;
    for (int i = 0; i < Detectors.defaults().size(); i++) {
      Detector a = Detectors.defaults().get(i);
      Detector b = Detectors.defaults().get(i);
      Detector fresh = Detectors.defaults().get(i);
      String name = a.getClass().getSimpleName();
      run(a, before);
      Map<String, double[]> saved = a.state();
      b.restoreState(saved);
      assertSameState(saved, b.state());
      List<String> expected = run(a, after);
      assertEquals(expected, run(b, after), name);
      if (!saved.isEmpty() && !expected.equals(run(fresh, after))) {
        statefulAndFiring++; // the state changed what the detector said after the split
      }
    }
    assertTrue(statefulAndFiring >= 3, "only " + statefulAndFiring + " detectors depend on state");
  }

  @Test
  void theSpikeAfterTheSplitNeedsTheWindowBeforeIt() {
    ExplodingDetector a = new ExplodingDetector();
    run(a, steps().subList(0, SPLIT));
    ExplodingDetector b = new ExplodingDetector();
    b.restoreState(a.state());
    List<String> events = run(b, steps().subList(SPLIT, 30));
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.startsWith("EXPLODING spike WARNING 25")
                        || e.startsWith("EXPLODING spike CRITICAL 25")),
        events.toString());
    ExplodingDetector fresh = new ExplodingDetector();
    assertFalse(run(fresh, steps().subList(SPLIT, 30)).stream().anyMatch(e -> e.contains("spike")));
  }

  @Test
  void aStateThatDoesNotFitIsRejectedAndChangesNothing() {
    ExplodingDetector a = new ExplodingDetector();
    run(a, steps().subList(0, SPLIT));
    Map<String, double[]> good = a.state();
    ExplodingDetector b = new ExplodingDetector();
    run(b, steps().subList(0, 5));
    Map<String, double[]> bBefore = b.state();

    Map<String, double[]> shortWindow = new LinkedHashMap<>(good);
    shortWindow.put("window/values", new double[3]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.restoreState(shortWindow));
    assertTrue(e.getMessage().contains("'window/values' must hold 50 numbers"), e.getMessage());
    Map<String, double[]> badBins = new LinkedHashMap<>(good);
    badBins.put("median/bins", new double[] {-1, 2});
    assertThrows(IllegalArgumentException.class, () -> b.restoreState(badBins));
    Map<String, double[]> unknown = new LinkedHashMap<>(good);
    unknown.put("other", new double[] {1});
    e = assertThrows(IllegalArgumentException.class, () -> b.restoreState(unknown));
    assertTrue(e.getMessage().contains("unknown detector state 'other'"), e.getMessage());
    assertSameState(bBefore, b.state());
    assertThrows(
        IllegalArgumentException.class,
        () -> new NonFiniteDetector().restoreState(Map.of("x", new double[] {1})));
  }

  @Test
  void aMonitorRestoresAllDetectorsOrNone() {
    Monitor a = Monitor.builder(new org.gradguard.nn.Sequential(Activation.relu())).build();
    List<DetectorState> states = a.detectorStates();
    assertEquals(Detectors.defaults().size(), states.size());
    assertEquals("NonFiniteDetector", states.get(0).detector());
    Monitor other =
        Monitor.builder(new org.gradguard.nn.Sequential(Activation.relu()))
            .detectors(List.of(new ExplodingDetector()))
            .build();
    assertFalse(other.restoreDetectorStates(states), "other detectors: nothing restored");
    assertTrue(
        Monitor.builder(new org.gradguard.nn.Sequential(Activation.relu()))
            .build()
            .restoreDetectorStates(states));
    List<DetectorState> broken = new ArrayList<>(states);
    int ex = 1;
    assertEquals("ExplodingDetector", broken.get(ex).detector());
    broken.set(ex, new DetectorState("ExplodingDetector", Map.of("window/ring", new double[] {9})));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.restoreDetectorStates(broken));
    assertTrue(e.getMessage().startsWith("detector 1 (ExplodingDetector): "), e.getMessage());
    assertNotEquals(0, a.detectorStates().get(ex).values().size());
  }
}
