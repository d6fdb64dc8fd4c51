package org.gradguard.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One problem a {@link Diagnosis} found: what, where, the numbers, the likely causes and the
 * remedies to try, in order.
 *
 * @param type what kind of problem
 * @param severity the worst severity of its events
 * @param title a one-line headline for people
 * @param layers the layers involved, in order of first appearance
 * @param firstStep the first step at which it was seen
 * @param lastStep the last step at which it was seen
 * @param occurrences how many events reported it
 * @param evidence one line per test that found it, with the numbers
 * @param numbers the measurements, keyed {@code signal.name} (e.g. {@code depth.decay_per_layer})
 * @param causes the likely causes, most likely first
 * @param remedies what to try, most promising first
 */
public record Finding(
    EventType type,
    Severity severity,
    String title,
    List<String> layers,
    long firstStep,
    long lastStep,
    long occurrences,
    List<String> evidence,
    Map<String, Double> numbers,
    List<String> causes,
    List<Advice> remedies) {
  public Finding {
    layers = List.copyOf(layers);
    evidence = List.copyOf(evidence);
    numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    causes = List.copyOf(causes);
    remedies = List.copyOf(remedies);
  }

  /**
   * One remedy with the concrete advice for this finding.
   *
   * @param remedy which of the remedies
   * @param text what to do, specifically
   */
  public record Advice(Remedy remedy, String text) {}

  /** True when one of the remedies is {@code r}. */
  public boolean recommends(Remedy r) {
    return remedies.stream().anyMatch(a -> a.remedy() == r);
  }
}
