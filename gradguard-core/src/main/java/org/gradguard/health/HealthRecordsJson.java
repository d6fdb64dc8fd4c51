package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of the health records, schema {@code gradguard.health/1} ({@code
 * docs/health-json.md}): the one writer used by {@link Diagnosis#toJson()} and by the files a
 * training run writes, so that both read alike. Maps keep field order; pass them to {@code
 * org.gradguard.tensor.io.Json}.
 */
public final class HealthRecordsJson {
  private HealthRecordsJson() {}

  /**
   * One entry of the {@code statistics} array: the step's loss, global norm, per-layer statistics
   * (depth order), activation and sequence statistics and, with {@code withParameters}, the
   * per-parameter detail.
   */
  public static Map<String, Object> step(StepStats s, boolean withParameters) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", s.step());
    m.put("loss", number(s.loss()));
    m.put("global_grad_norm", number(s.globalGradNorm()));
    List<Object> layers = new ArrayList<>();
    for (LayerStats l : s.layers()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("index", l.layerIndex());
      r.put("name", l.layer());
      r.put("grad_norm", number(l.gradNorm()));
      r.put("grad_max_abs", number(l.gradMaxAbs()));
      r.put("non_finite", l.nonFinite());
      r.put("param_norm", number(l.paramNorm()));
      r.put("update_norm", number(l.updateNorm()));
      r.put("update_ratio_log10", number(l.updateRatio()));
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
      r.put("grad_norm", number(p.gradNorm()));
      r.put("grad_max_abs", number(p.gradMaxAbs()));
      r.put("non_finite", p.nonFinite());
      r.put("grad_finite_min", number(p.gradFiniteMin()));
      r.put("grad_finite_max", number(p.gradFiniteMax()));
      r.put("param_norm", number(p.paramNorm()));
      r.put("param_mean_abs", number(p.paramMeanAbs()));
      r.put("update_norm", number(p.updateNorm()));
      r.put("update_mean_abs", number(p.updateMeanAbs()));
      r.put("update_ratio_log10", number(p.updateRatio()));
      params.add(r);
    }
    if (withParameters) {
      m.put("parameters", params);
    }
    List<Object> acts = new ArrayList<>();
    for (ActivationStats a : s.activations()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("layer", a.layer());
      r.put("order", a.order());
      r.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
      r.put("calls", a.calls());
      r.put("numel", a.numel());
      r.put("mean", number(a.mean()));
      r.put("std", number(a.std()));
      r.put("fraction_saturated", number(a.fractionSaturated()));
      r.put("fraction_dead", number(a.fractionDead()));
      r.put("non_finite", a.nonFinite());
      List<Object> g = new ArrayList<>();
      for (Double v : a.outputGradNorms()) {
        g.add(number(v));
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
        g.add(number(v));
      }
      r.put("input_grad_norms", g);
      seqs.add(r);
    }
    m.put("sequences", seqs);
    return m;
  }

  /** One entry of the {@code events} array. */
  public static Map<String, Object> event(HealthEvent e) {
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

  /** One entry of the {@code actions} array. */
  public static Map<String, Object> action(GuardAction a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", a.step());
    m.put("guard", a.guard());
    m.put("action", a.action().name());
    m.put("reason", a.reason());
    m.put("numbers", numbers(a.numbers()));
    return m;
  }

  /** Named numbers, each through {@link #number}. */
  public static Map<String, Object> numbers(Map<String, Double> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, number(v)));
    return out;
  }

  /** A finite double as itself; NaN and infinities as strings (JSON cannot hold them). */
  public static Object number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    return v;
  }
}
