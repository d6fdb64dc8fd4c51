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

  /**
   * What a checkpoint keeps of the log so that a resumed run's diagnosis covers the whole run: the
   * counts, the per-type summaries and the kept events and actions. The step records are left out
   * (they are in {@code health.jsonl}); a resumed log starts its records afresh.
   *
   * @param monitoredSteps the monitored steps recorded so far
   * @param firstStep the first step seen, or -1
   * @param lastStep the last step seen, or -1
   * @param actionCounts how many actions of each kind were taken
   * @param summaries one per event type and signal, in order of first appearance
   * @param events the kept events, oldest first
   * @param actions the kept actions, oldest first
   */
  public record State(
      long monitoredSteps,
      long firstStep,
      long lastStep,
      Map<GuardAction.Action, Long> actionCounts,
      List<EventSummary> summaries,
      List<HealthEvent> events,
      List<GuardAction> actions) {
    public State {
      if (monitoredSteps < 0 || firstStep < -1 || lastStep < firstStep) {
        throw new IllegalArgumentException(
            "HealthLog.State: need monitoredSteps >= 0 and -1 <= firstStep <= lastStep, got "
                + monitoredSteps
                + ", "
                + firstStep
                + ", "
                + lastStep);
      }
      Map<GuardAction.Action, Long> counts = new EnumMap<>(GuardAction.Action.class);
      counts.putAll(actionCounts);
      actionCounts = Collections.unmodifiableMap(counts);
      summaries = List.copyOf(summaries);
      events = List.copyOf(events);
      actions = List.copyOf(actions);
    }
  }

  /** This log's {@link State} for a checkpoint. */
  public State state() {
    return new State(
        monitoredSteps, firstStep, lastStep, actionCounts, summaries(), events(), actions());
  }

  /**
   * Continues from {@code s} (a resume, before any step): counts, summaries, events and actions
   * become {@code s}'s (the latest {@code eventCapacity} of each); the step records kept so far are
   * dropped.
   */
  public void restore(State s) {
    stats.clear();
    events.clear();
    actions.clear();
    summaries.clear();
    actionCounts.clear();
    List<HealthEvent> es = s.events();
    es.subList(Math.max(0, es.size() - eventCapacity), es.size()).forEach(events::addLast);
    List<GuardAction> as = s.actions();
    as.subList(Math.max(0, as.size() - eventCapacity), as.size()).forEach(actions::addLast);
    for (EventSummary e : s.summaries()) {
      summaries.put(e.type() + "/" + e.signal(), e);
    }
    actionCounts.putAll(s.actionCounts());
    monitoredSteps = s.monitoredSteps();
    firstStep = s.firstStep();
    lastStep = s.lastStep();
  }
}
