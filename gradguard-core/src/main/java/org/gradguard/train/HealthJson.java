package org.gradguard.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradguard.health.ActivationStats;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.LayerStats;
import org.gradguard.health.StepStats;

/**
 * JSON lines for the health records, with the field names of the health package's diagnosis schema
 * ({@code gradguard.health/1}, {@code docs/health-json.md}): a {@code health.jsonl} line is one
 * entry of its {@code statistics} array, without the per-parameter detail; event and guard lines of
 * {@code metrics.jsonl} carry an entry of its {@code events} and {@code actions} arrays.
 *
 * <p>The health package's writer is package-private; this mirrors its field names so that both
 * files read alike. (Replace by a call to it once it is public.)
 */
final class HealthJson {
  private HealthJson() {}

  /** A {@code health.jsonl} line: the step's loss, global norm, layers and activations. */
  static Map<String, Object> stats(StepStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", s.step());
    m.put("loss", JsonFields.number(s.loss()));
    m.put("global_grad_norm", JsonFields.number(s.globalGradNorm()));
    List<Object> layers = new ArrayList<>();
    for (LayerStats l : s.layers()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("index", l.layerIndex());
      r.put("name", l.layer());
      r.put("grad_norm", JsonFields.number(l.gradNorm()));
      r.put("grad_max_abs", JsonFields.number(l.gradMaxAbs()));
      r.put("non_finite", l.nonFinite());
      r.put("param_norm", JsonFields.number(l.paramNorm()));
      r.put("update_norm", JsonFields.number(l.updateNorm()));
      r.put("update_ratio_log10", JsonFields.number(l.updateRatio()));
      layers.add(r);
    }
    m.put("layers", layers);
    List<Object> acts = new ArrayList<>();
    for (ActivationStats a : s.activations()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("layer", a.layer());
      r.put("order", a.order());
      r.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
      r.put("calls", a.calls());
      r.put("numel", a.numel());
      r.put("mean", JsonFields.number(a.mean()));
      r.put("std", JsonFields.number(a.std()));
      r.put("fraction_saturated", JsonFields.number(a.fractionSaturated()));
      r.put("fraction_dead", JsonFields.number(a.fractionDead()));
      r.put("non_finite", a.nonFinite());
      acts.add(r);
    }
    m.put("activations", acts);
    return m;
  }

  /** A {@code metrics.jsonl} line of type {@code event}; the event's own type is {@code event}. */
  static Map<String, Object> event(HealthEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", MetricsJson.EVENT);
    m.put("step", e.step());
    m.put("event", e.type().name());
    m.put("signal", e.signal());
    m.put("severity", e.severity().name());
    m.put("layers", e.layers());
    m.put("message", e.message());
    m.put("numbers", numbers(e.numbers()));
    return m;
  }

  /** A {@code metrics.jsonl} line of type {@code guard}. */
  static Map<String, Object> action(GuardAction a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", MetricsJson.GUARD);
    m.put("step", a.step());
    m.put("guard", a.guard());
    m.put("action", a.action().name());
    m.put("reason", a.reason());
    m.put("numbers", numbers(a.numbers()));
    return m;
  }

  private static Map<String, Object> numbers(Map<String, Double> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, JsonFields.number(v)));
    return out;
  }
}
