package org.gradguard.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a run's health history into findings: what is wrong, where (which layers), the numbers, the
 * likely cause (saturating activations, initialization scale, depth without skip connections or
 * normalization, a learning rate too high, missing clipping in a recurrent net) and the remedies to
 * try, mapped from the five classic remedies (smaller or scheduled learning rate, gradient
 * clipping, L2 / weight decay, residual connections, batch / layer normalization) plus
 * initialization, warm-up and guards.
 *
 * <p>One finding per {@link EventType} seen, most severe first; the events of each type are merged
 * (every test that fired contributes one line of evidence, with its latest numbers). Its layers are
 * those of all its events, except that when both depth trends fired (weight gradients and the
 * backpropagated gradient) only the parameter layers are named. Available as text for people
 * ({@link #toText()}) and as JSON for tools ({@link #toJson()}, schema in {@code
 * docs/health-json.md}).
 *
 * <p>A diagnosis is a snapshot: it does not change when training continues.
 */
public final class Diagnosis {
  private final HealthLog log;
  private final ModelProfile profile;
  private final List<Finding> findings;

  private Diagnosis(HealthLog log, ModelProfile profile) {
    this.log = log;
    this.profile = profile;
    this.findings = List.copyOf(build(log, profile));
  }

  /** The diagnosis of everything a monitor has recorded so far. */
  public static Diagnosis of(Monitor monitor) {
    return new Diagnosis(monitor.log(), monitor.profile());
  }

  /** The diagnosis of a log, for a model with the given profile. */
  public static Diagnosis of(HealthLog log, ModelProfile profile) {
    return new Diagnosis(log, profile);
  }

  /** The findings, most severe first. */
  public List<Finding> findings() {
    return findings;
  }

  /** True when nothing was found. */
  public boolean healthy() {
    return findings.isEmpty();
  }

  /** The log this diagnosis read. */
  public HealthLog log() {
    return log;
  }

  /** The model profile this diagnosis used. */
  public ModelProfile profile() {
    return profile;
  }

  /** The diagnosis as text for people. */
  public String toText() {
    return DiagnosisText.render(this);
  }

  /** The diagnosis as indented JSON for tools, schema {@value DiagnosisJson#SCHEMA}. */
  public String toJson() {
    return DiagnosisJson.render(this);
  }

  @Override
  public String toString() {
    return toText();
  }

  private static List<Finding> build(HealthLog log, ModelProfile profile) {
    Map<EventType, List<HealthLog.EventSummary>> byType = new LinkedHashMap<>();
    for (HealthLog.EventSummary s : log.summaries()) {
      byType.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s);
    }
    boolean saturationSeen = byType.containsKey(EventType.SATURATION);
    boolean recurrentSeen = false;
    StepStats latest = log.latest();
    if (latest != null) {
      recurrentSeen =
          latest.activations().stream().anyMatch(a -> a.calls() > 1)
              || !latest.sequences().isEmpty();
    }
    long skips = log.actionCounts().getOrDefault(GuardAction.Action.SKIP, 0L);
    long rollbacks = log.actionCounts().getOrDefault(GuardAction.Action.ROLLBACK, 0L);
    Set<String> vanishing = new LinkedHashSet<>();
    for (HealthLog.EventSummary s : byType.getOrDefault(EventType.VANISHING, List.of())) {
      vanishing.addAll(s.layers());
    }
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<EventType, List<HealthLog.EventSummary>> e : byType.entrySet()) {
      EventType type = e.getKey();
      Severity worst = Severity.INFO;
      Set<String> layers = new LinkedHashSet<>();
      boolean hasDepth = e.getValue().stream().anyMatch(s -> s.signal().equals("depth"));
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      long count = 0;
      List<String> evidence = new ArrayList<>();
      List<String> signals = new ArrayList<>();
      Map<String, Double> numbers = new LinkedHashMap<>();
      for (HealthLog.EventSummary s : e.getValue()) {
        worst = s.worst().compareTo(worst) > 0 ? s.worst() : worst;
        if (!(hasDepth && s.signal().equals("backprop"))) {
          // with both depth trends, the parameter layers (where learning is starved) are named
          layers.addAll(s.layers());
        }
        first = Math.min(first, s.firstStep());
        last = Math.max(last, s.lastStep());
        count += s.count();
        signals.add(s.signal());
        HealthEvent latestEvent = s.latest();
        evidence.add(
            (s.count() > 1
                    ? "steps " + s.firstStep() + "–" + s.lastStep() + " (" + s.count() + "×)"
                    : "step " + latestEvent.step())
                + ": "
                + latestEvent.message());
        latestEvent.numbers().forEach((k, v) -> numbers.put(s.signal() + "." + k, v));
      }
      Explanations.Context ctx =
          new Explanations.Context(
              profile,
              numbers,
              signals,
              saturationSeen,
              recurrentSeen,
              skips,
              rollbacks,
              new ArrayList<>(layers),
              vanishing);
      out.add(
          new Finding(
              type,
              worst,
              Explanations.title(type),
              new ArrayList<>(layers),
              first,
              last,
              count,
              evidence,
              numbers,
              Explanations.causes(type, ctx),
              Explanations.remedies(type, ctx)));
    }
    out.sort(
        Comparator.comparing(Finding::severity).reversed().thenComparing(f -> f.type().ordinal()));
    return out;
  }
}
