package org.gradguard.health;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bounded memory of a run's health: the latest {@code statsCapacity} step records, the latest
 * {@code eventCapacity} events and guard actions, and, for every kind of event ever seen, a summary
 * that is never dropped (first and last step, count, worst severity, the layers involved, the first
 * and the latest event). Memory stays bounded however long training runs; the {@link Diagnosis}
 * reads the summaries, so nothing it reports is lost when old records are dropped.
 *
 * <p>Not thread-safe: one training loop writes it.
 */
public final class HealthLog {
  private final int statsCapacity;
  private final int eventCapacity;
  private final ArrayDeque<StepStats> stats = new ArrayDeque<>();
  private final ArrayDeque<HealthEvent> events = new ArrayDeque<>();
  private final ArrayDeque<GuardAction> actions = new ArrayDeque<>();
  private final Map<String, EventSummary> summaries = new LinkedHashMap<>();
  private final Map<GuardAction.Action, Long> actionCounts =
      new EnumMap<>(GuardAction.Action.class);
  private long monitoredSteps;
  private long firstStep = -1;
  private long lastStep = -1;

  /**
   * The summary of every event of one type and signal.
   *
   * @param type the event type
   * @param signal the test that found it
   * @param count how many such events there were
   * @param firstStep the step of the first
   * @param lastStep the step of the latest
   * @param worst the highest severity seen
   * @param layers every layer involved, in order of first appearance
   * @param first the first event
   * @param latest the latest event
   */
  public record EventSummary(
      EventType type,
      String signal,
      long count,
      long firstStep,
      long lastStep,
      Severity worst,
      List<String> layers,
      HealthEvent first,
      HealthEvent latest) {
    public EventSummary {
      layers = List.copyOf(layers);
    }
  }

  /** A log that keeps the latest {@code statsCapacity} records and {@code eventCapacity} events. */
  public HealthLog(int statsCapacity, int eventCapacity) {
    if (statsCapacity < 1) {
      throw new IllegalArgumentException(
          "HealthLog: statsCapacity must be >= 1, got " + statsCapacity);
    }
    if (eventCapacity < 1) {
      throw new IllegalArgumentException(
          "HealthLog: eventCapacity must be >= 1, got " + eventCapacity);
    }
    this.statsCapacity = statsCapacity;
    this.eventCapacity = eventCapacity;
  }

  void add(StepStats s) {
    if (stats.size() == statsCapacity) {
      stats.removeFirst();
    }
    stats.addLast(s);
    monitoredSteps++;
    noteStep(s.step());
  }

  void add(HealthEvent e) {
    if (events.size() == eventCapacity) {
      events.removeFirst();
    }
    events.addLast(e);
    noteStep(e.step());
    String key = e.type() + "/" + e.signal();
    EventSummary old = summaries.get(key);
    if (old == null) {
      summaries.put(
          key,
          new EventSummary(
              e.type(), e.signal(), 1, e.step(), e.step(), e.severity(), e.layers(), e, e));
    } else {
      Set<String> layers = new LinkedHashSet<>(old.layers());
      layers.addAll(e.layers());
      Severity worst = e.severity().compareTo(old.worst()) > 0 ? e.severity() : old.worst();
      summaries.put(
          key,
          new EventSummary(
              e.type(),
              e.signal(),
              old.count() + 1,
              old.firstStep(),
              e.step(),
              worst,
              new ArrayList<>(layers),
              old.first(),
              e));
    }
  }

  void add(GuardAction a) {
    if (actions.size() == eventCapacity) {
      actions.removeFirst();
    }
    actions.addLast(a);
    actionCounts.merge(a.action(), 1L, Long::sum);
    noteStep(a.step());
  }

  private void noteStep(long step) {
    if (firstStep < 0 || step < firstStep) {
      firstStep = step;
    }
    lastStep = Math.max(lastStep, step);
  }

  /** The kept step records, oldest first. */
  public List<StepStats> stats() {
    return List.copyOf(stats);
  }

  /** The latest step record, or null before the first. */
  public StepStats latest() {
    return stats.peekLast();
  }

  /** The kept events, oldest first. */
  public List<HealthEvent> events() {
    return List.copyOf(events);
  }

  /** The kept events of one step. */
  public List<HealthEvent> eventsAt(long step) {
    List<HealthEvent> out = new ArrayList<>();
    for (HealthEvent e : events) {
      if (e.step() == step) {
        out.add(e);
      }
    }
    return out;
  }

  /** The kept guard actions, oldest first. */
  public List<GuardAction> actions() {
    return List.copyOf(actions);
  }

  /** How many actions of each kind were ever taken. */
  public Map<GuardAction.Action, Long> actionCounts() {
    return Collections.unmodifiableMap(new EnumMap<>(actionCounts));
  }

  /** One summary per event type and signal ever seen, in order of first appearance. */
  public List<EventSummary> summaries() {
    return List.copyOf(summaries.values());
  }

  /** The number of monitored steps recorded (including those whose records were dropped). */
  public long monitoredSteps() {
    return monitoredSteps;
  }

  /** The first step seen, or -1. */
  public long firstStep() {
    return firstStep;
  }

  /** The last step seen, or -1. */
  public long lastStep() {
    return lastStep;
  }
}
