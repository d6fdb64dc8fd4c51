package org.gradguard.train;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.health.EventType;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.HealthLog;
import org.gradguard.health.HealthRecordsJson;
import org.gradguard.health.Severity;

/**
 * The {@code healthLog} object of a checkpoint's JSON ({@link HealthLog.State}): counts and steps,
 * {@code actionCounts} by action, {@code summaries} (one per event type and signal, with its first
 * and latest event), and the kept {@code events} and {@code actions}, each event and action in the
 * health JSON's form ({@link HealthRecordsJson}). Reading checks every key and names it.
 */
final class HealthLogJson {
  private HealthLogJson() {}

  static Map<String, Object> write(HealthLog.State s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("monitoredSteps", s.monitoredSteps());
    m.put("firstStep", s.firstStep());
    m.put("lastStep", s.lastStep());
    Map<String, Object> counts = new LinkedHashMap<>();
    s.actionCounts().forEach((k, v) -> counts.put(k.name(), v));
    m.put("actionCounts", counts);
    List<Object> summaries = new ArrayList<>();
    for (HealthLog.EventSummary e : s.summaries()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("type", e.type().name());
      r.put("signal", e.signal());
      r.put("count", e.count());
      r.put("firstStep", e.firstStep());
      r.put("lastStep", e.lastStep());
      r.put("worst", e.worst().name());
      r.put("layers", e.layers());
      r.put("first", HealthRecordsJson.event(e.first()));
      r.put("latest", HealthRecordsJson.event(e.latest()));
      summaries.add(r);
    }
    m.put("summaries", summaries);
    List<Object> events = new ArrayList<>();
    s.events().forEach(e -> events.add(HealthRecordsJson.event(e)));
    m.put("events", events);
    List<Object> actions = new ArrayList<>();
    s.actions().forEach(a -> actions.add(HealthRecordsJson.action(a)));
    m.put("actions", actions);
    return m;
  }

  static HealthLog.State read(JsonFields f) {
    long monitored = f.getNonNegativeLong("monitoredSteps");
    long first = f.getLong("firstStep");
    long last = f.getLong("lastStep");
    if (first < -1 || last < first) {
      throw f.error("lastStep", "must be >= firstStep >= -1, got " + first + " and " + last);
    }
    JsonFields counts = f.getObject("actionCounts");
    Map<GuardAction.Action, Long> actionCounts = new EnumMap<>(GuardAction.Action.class);
    for (String k : counts.map().keySet()) {
      actionCounts.put(
          enumValue(counts, k, GuardAction.Action.class, k), counts.getNonNegativeLong(k));
    }
    List<HealthLog.EventSummary> summaries = new ArrayList<>();
    for (JsonFields r : f.getObjectList("summaries")) {
      summaries.add(
          new HealthLog.EventSummary(
              enumValue(r, "type", EventType.class, r.getString("type")),
              r.getString("signal"),
              r.getNonNegativeLong("count"),
              r.getLong("firstStep"),
              r.getLong("lastStep"),
              enumValue(r, "worst", Severity.class, r.getString("worst")),
              r.getStringList("layers"),
              event(r.getObject("first")),
              event(r.getObject("latest"))));
    }
    List<HealthEvent> events = new ArrayList<>();
    f.getObjectList("events").forEach(e -> events.add(event(e)));
    List<GuardAction> actions = new ArrayList<>();
    f.getObjectList("actions").forEach(a -> actions.add(action(a)));
    return new HealthLog.State(monitored, first, last, actionCounts, summaries, events, actions);
  }

  private static HealthEvent event(JsonFields e) {
    return new HealthEvent(
        enumValue(e, "type", EventType.class, e.getString("type")),
        e.getString("signal"),
        enumValue(e, "severity", Severity.class, e.getString("severity")),
        e.getLong("step"),
        e.getStringList("layers"),
        e.getString("message"),
        e.getNumberMap("numbers"));
  }

  private static GuardAction action(JsonFields a) {
    return new GuardAction(
        a.getLong("step"),
        a.getString("guard"),
        enumValue(a, "action", GuardAction.Action.class, a.getString("action")),
        a.getString("reason"),
        a.getNumberMap("numbers"));
  }

  private static <E extends Enum<E>> E enumValue(
      JsonFields f, String key, Class<E> type, String name) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw f.error(key, "is '" + name + "', not a " + type.getSimpleName());
    }
  }
}
