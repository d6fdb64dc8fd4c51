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
      stats.add(step(s));
    }
    root.put("statistics", stats);
    List<Object> events = new ArrayList<>();
    for (HealthEvent e : log.events()) {
      events.add(event(e));
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
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", a.step());
      m.put("guard", a.guard());
      m.put("action", a.action().name());
      m.put("reason", a.reason());
      m.put("numbers", numbers(a.numbers()));
      actions.add(m);
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
    m.put("sigma_w2", num(p.sigmaW2()));
    m.put("sigma_b2", num(p.sigmaB2()));
    m.put("chi_1", num(p.chi1()));
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

  private static Map<String, Object> step(StepStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", s.step());
    m.put("loss", num(s.loss()));
    m.put("global_grad_norm", num(s.globalGradNorm()));
    List<Object> layers = new ArrayList<>();
    for (LayerStats l : s.layers()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("index", l.layerIndex());
      r.put("name", l.layer());
      r.put("grad_norm", num(l.gradNorm()));
      r.put("grad_max_abs", num(l.gradMaxAbs()));
      r.put("non_finite", l.nonFinite());
      r.put("param_norm", num(l.paramNorm()));
      r.put("update_norm", num(l.updateNorm()));
      r.put("update_ratio_log10", num(l.updateRatio()));
      layers.add(r);
    }
    m.put("layers", layers);
    List<Object> params = new ArrayList<>();
    for (ParameterStats p : s.parameters()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", p.name());
      r.put("layer_index", p.layerIndex());
      r.put("numel", p.numel());
      r.put("has_gradient", p.hasGradient());
      r.put("grad_norm", num(p.gradNorm()));
      r.put("grad_max_abs", num(p.gradMaxAbs()));
      r.put("non_finite", p.nonFinite());
      r.put("grad_finite_min", num(p.gradFiniteMin()));
      r.put("grad_finite_max", num(p.gradFiniteMax()));
      r.put("param_norm", num(p.paramNorm()));
      r.put("param_mean_abs", num(p.paramMeanAbs()));
      r.put("update_norm", num(p.updateNorm()));
      r.put("update_mean_abs", num(p.updateMeanAbs()));
      r.put("update_ratio_log10", num(p.updateRatio()));
      params.add(r);
    }
    m.put("parameters", params);
    List<Object> acts = new ArrayList<>();
    for (ActivationStats a : s.activations()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("layer", a.layer());
      r.put("order", a.order());
      r.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
      r.put("calls", a.calls());
      r.put("numel", a.numel());
      r.put("mean", num(a.mean()));
      r.put("std", num(a.std()));
      r.put("fraction_saturated", num(a.fractionSaturated()));
      r.put("fraction_dead", num(a.fractionDead()));
      r.put("non_finite", a.nonFinite());
      List<Object> g = new ArrayList<>();
      for (Double v : a.outputGradNorms()) {
        g.add(num(v));
      }
      r.put("output_grad_norms", g);
      acts.add(r);
    }
    m.put("activations", acts);
    List<Object> seqs = new ArrayList<>();
    for (SequenceStats q : s.sequences()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("layer", q.layer());
      r.put("module", q.module());
      r.put("steps", q.steps());
      List<Object> g = new ArrayList<>();
      for (Double v : q.inputGradNorms()) {
        g.add(num(v));
      }
      r.put("input_grad_norms", g);
      seqs.add(r);
    }
    m.put("sequences", seqs);
    return m;
  }

  private static Map<String, Object> event(HealthEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", e.step());
    m.put("type", e.type().name());
    m.put("signal", e.signal());
    m.put("severity", e.severity().name());
    m.put("layers", e.layers());
    m.put("message", e.message());
    m.put("numbers", numbers(e.numbers()));
    return m;
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
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, num(v)));
    return out;
  }

  /** A finite double as itself; NaN and infinities as strings (JSON cannot hold them). */
  static Object num(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    return v;
  }
}
