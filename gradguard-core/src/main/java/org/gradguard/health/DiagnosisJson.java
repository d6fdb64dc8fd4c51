package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradguard.nn.Activation;
import org.gradguard.tensor.io.Json;

/**
 * Renders a {@link Diagnosis} as JSON, schema {@value #SCHEMA}, documented field by field in {@code
 * docs/health-json.md}. JSON has no NaN or infinity, so those numbers are written as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}. Package-private.
 */
final class DiagnosisJson {
  static final String SCHEMA = "gradguard.health/1";

  private DiagnosisJson() {}

  static String render(Diagnosis d) {
    return Json.writePretty(tree(d));
  }

  static Map<String, Object> tree(Diagnosis d) {
    HealthLog log = d.log();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", SCHEMA);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("monitored_steps", log.monitoredSteps());
    summary.put("first_step", log.firstStep());
    summary.put("last_step", log.lastStep());
    summary.put("healthy", d.healthy());
    summary.put("findings", d.findings().size());
    root.put("summary", summary);
    root.put("model", model(d.profile()));
    root.put("layers", layers(log.latest()));
    List<Object> stats = new ArrayList<>();
    for (StepStats s : log.stats()) {
      stats.add(HealthRecordsJson.step(s, true));
    }
    root.put("statistics", stats);
    List<Object> events = new ArrayList<>();
    for (HealthEvent e : log.events()) {
      events.add(HealthRecordsJson.event(e));
    }
    root.put("events", events);
    List<Object> summaries = new ArrayList<>();
    for (HealthLog.EventSummary s : log.summaries()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", s.type().name());
      m.put("signal", s.signal());
      m.put("count", s.count());
      m.put("first_step", s.firstStep());
      m.put("last_step", s.lastStep());
      m.put("worst", s.worst().name());
      m.put("layers", s.layers());
      summaries.add(m);
    }
    root.put("event_summaries", summaries);
    List<Object> actions = new ArrayList<>();
    for (GuardAction a : log.actions()) {
      actions.add(HealthRecordsJson.action(a));
    }
    root.put("actions", actions);
    List<Object> findings = new ArrayList<>();
    for (Finding f : d.findings()) {
      findings.add(finding(f));
    }
    root.put("findings", findings);
    return root;
  }

  private static Map<String, Object> model(ModelProfile p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layers", p.layers());
    Map<String, Object> acts = new LinkedHashMap<>();
    for (Activation.Kind k : Activation.Kind.values()) {
      Integer n = p.activations().get(k);
      if (n != null) {
        acts.put(k.name().toLowerCase(Locale.ROOT), n);
      }
    }
    m.put("activations", acts);
    m.put("residual", p.residual());
    m.put("normalization", p.normalization());
    m.put("recurrent", p.recurrent());
    m.put("sigma_w2", HealthRecordsJson.number(p.sigmaW2()));
    m.put("sigma_b2", HealthRecordsJson.number(p.sigmaB2()));
    m.put("chi_1", HealthRecordsJson.number(p.chi1()));
    return m;
  }

  private static List<Object> layers(StepStats s) {
    List<Object> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    for (LayerStats l : s.layers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", l.layerIndex());
      m.put("name", l.layer());
      m.put("parameters", l.parameters());
      m.put("numel", l.numel());
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> finding(Finding f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", f.type().name());
    m.put("severity", f.severity().name());
    m.put("title", f.title());
    m.put("layers", f.layers());
    m.put("first_step", f.firstStep());
    m.put("last_step", f.lastStep());
    m.put("occurrences", f.occurrences());
    m.put("evidence", f.evidence());
    m.put("numbers", numbers(f.numbers()));
    m.put("causes", f.causes());
    List<Object> remedies = new ArrayList<>();
    for (Finding.Advice a : f.remedies()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("remedy", a.remedy().name());
      r.put("text", a.text());
      remedies.add(r);
    }
    m.put("remedies", remedies);
    return m;
  }

  private static Map<String, Object> numbers(Map<String, Double> in) {
    return HealthRecordsJson.numbers(in);
  }
}
