package org.gradguard.report;

import static org.gradguard.report.JsonValues.integer;
import static org.gradguard.report.JsonValues.num;
import static org.gradguard.report.JsonValues.numbers;
import static org.gradguard.report.JsonValues.objects;
import static org.gradguard.report.JsonValues.str;
import static org.gradguard.report.JsonValues.strings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.report.ReportModel.Action;
import org.gradguard.report.ReportModel.ActivationPoint;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.Finding;
import org.gradguard.report.ReportModel.LayerPoint;
import org.gradguard.report.ReportModel.Severity;

/**
 * Reads the records of the health JSON (schema {@code gradguard.health/1}, {@code
 * docs/health-json.md}) into the report's records: statistics entries (the lines of {@code
 * health.jsonl} or the {@code statistics} of {@code diagnosis.json}), events and guard actions (the
 * {@code event} and {@code guard} lines of {@code metrics.jsonl}, which carry the kind under {@code
 * event}, or the arrays of {@code diagnosis.json}, under {@code type}) and findings.
 * Package-private.
 */
final class HealthRecords {
  private HealthRecords() {}

  /** The per-layer points of one statistics entry. */
  static List<LayerPoint> layers(Map<String, Object> stats) {
    long step = integer(stats, -1, "step");
    List<LayerPoint> out = new ArrayList<>();
    for (Map<String, Object> l : objects(stats, "layers")) {
      String name = str(l, "", "name", "layer");
      out.add(
          new LayerPoint(
              step,
              name.isEmpty() ? "(root)" : name,
              (int) integer(l, out.size(), "index", "layer_index", "depth"),
              num(l, "grad_norm"),
              num(l, "param_norm"),
              num(l, "update_ratio_log10")));
    }
    return out;
  }

  /** The activation points of one statistics entry. */
  static List<ActivationPoint> activations(Map<String, Object> stats) {
    long step = integer(stats, -1, "step");
    List<ActivationPoint> out = new ArrayList<>();
    for (Map<String, Object> a : objects(stats, "activations")) {
      out.add(
          new ActivationPoint(
              step,
              str(a, "", "layer", "name"),
              str(a, "", "kind"),
              num(a, "mean"),
              num(a, "std"),
              num(a, "fraction_saturated"),
              num(a, "fraction_dead")));
    }
    return out;
  }

  static Event event(Map<String, Object> e) {
    return new Event(
        integer(e, -1, "step"),
        str(e, "UNKNOWN", "event", "type"),
        Severity.parse(str(e, "INFO", "severity")),
        str(e, "", "message"),
        strings(e, "layers"));
  }

  static Action action(Map<String, Object> a) {
    return new Action(
        integer(a, -1, "step"),
        str(a, "guard", "guard"),
        str(a, "", "action"),
        str(a, "", "reason", "message"));
  }

  static Finding finding(Map<String, Object> f) {
    return new Finding(
        str(f, "", "title"),
        Severity.parse(str(f, "INFO", "severity")),
        str(f, "", "type", "kind"),
        strings(f, "layers"),
        integer(f, -1, "first_step"),
        integer(f, -1, "last_step"),
        strings(f, "evidence"),
        numbers(f, "numbers"),
        strings(f, "causes"),
        strings(f, "remedies"));
  }
}
