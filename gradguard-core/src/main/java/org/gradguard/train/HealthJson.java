package org.gradguard.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.HealthRecordsJson;
import org.gradguard.health.StepStats;

/**
 * JSON lines for the health records, written by the health package's own {@link HealthRecordsJson}
 * (schema {@code gradguard.health/1}, {@code docs/health-json.md}): a {@code health.jsonl} line is
 * one entry of its {@code statistics} array without the per-parameter detail; event and guard lines
 * of {@code metrics.jsonl} are entries of its {@code events} and {@code actions} arrays with the
 * line's {@code type} in front (an event's own type moves to {@code event}).
 */
final class HealthJson {
  private HealthJson() {}

  /** A {@code health.jsonl} line: the step's loss, global norm, layers and activations. */
  static Map<String, Object> stats(StepStats s) {
    return HealthRecordsJson.step(s, false);
  }

  /** A {@code metrics.jsonl} line of type {@code event}; the event's own type is {@code event}. */
  static Map<String, Object> event(HealthEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", MetricsJson.EVENT);
    HealthRecordsJson.event(e).forEach((k, v) -> m.put("type".equals(k) ? "event" : k, v));
    return m;
  }

  /** A {@code metrics.jsonl} line of type {@code guard}. */
  static Map<String, Object> action(GuardAction a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", MetricsJson.GUARD);
    m.putAll(HealthRecordsJson.action(a));
    return m;
  }
}
