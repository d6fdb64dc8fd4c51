package org.gradguard.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NON_FINITE: fires (CRITICAL, signal {@code "first"}) on every monitored step whose loss,
 * gradients or activation outputs hold a NaN or an infinity. It names the first parameter in depth
 * order whose gradient is non-finite, with its count of non-finite entries and the range of its
 * finite entries, and the first activation layer in forward order whose output went non-finite
 * (where the overflow started, when it started in the forward pass). No settings.
 *
 * <p>Numbers: {@code loss}, {@code non_finite_total} (entries over all gradients), {@code
 * parameters_affected}, {@code first_count}, {@code first_numel}, {@code first_finite_min}, {@code
 * first_finite_max}, {@code activation_non_finite} (outputs of the first non-finite activation).
 */
public final class NonFiniteDetector implements Detector {
  @Override
  public List<HealthEvent> inspect(StepStats s) {
    ParameterStats first = null;
    long total = 0;
    int affected = 0;
    for (ParameterStats p : s.parameters()) {
      if (p.nonFinite() > 0) {
        total += p.nonFinite();
        affected++;
        if (first == null) {
          first = p;
        }
      }
    }
    ActivationStats act = null;
    for (ActivationStats a : s.activations()) {
      if (a.nonFinite() > 0) {
        act = a;
        break;
      }
    }
    boolean badLoss = !Double.isFinite(s.loss());
    if (first == null && act == null && !badLoss) {
      return List.of();
    }
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("loss", s.loss());
    nums.put("non_finite_total", (double) total);
    nums.put("parameters_affected", (double) affected);
    List<String> layers = new ArrayList<>();
    StringBuilder msg = new StringBuilder();
    if (first != null) {
      nums.put("first_count", (double) first.nonFinite());
      nums.put("first_numel", (double) first.numel());
      nums.put("first_finite_min", first.gradFiniteMin());
      nums.put("first_finite_max", first.gradFiniteMax());
      layers.add(first.layer());
      msg.append("the gradient of ")
          .append(first.name())
          .append(" (the first parameter in depth order to go non-finite) has ")
          .append(first.nonFinite())
          .append(" NaN/Inf of ")
          .append(first.numel())
          .append(" entries");
      if (Double.isNaN(first.gradFiniteMin())) {
        msg.append(" (no finite entries)");
      } else {
        msg.append(" (finite range [")
            .append(Fmt.num(first.gradFiniteMin()))
            .append(", ")
            .append(Fmt.num(first.gradFiniteMax()))
            .append("])");
      }
      msg.append("; ")
          .append(affected)
          .append(" of ")
          .append(s.parameters().size())
          .append(" parameters affected, ")
          .append(total)
          .append(" entries in all");
    } else {
      msg.append("every gradient is finite");
    }
    if (act != null) {
      nums.put("activation_non_finite", (double) act.nonFinite());
      if (!layers.contains(act.layer())) {
        layers.add(act.layer());
      }
      msg.append("; the first activation output to go non-finite is ")
          .append(act.layer())
          .append(" (")
          .append(act.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append(", ")
          .append(act.nonFinite())
          .append(" of ")
          .append(act.numel())
          .append(" outputs)");
    }
    msg.append("; loss = ").append(Fmt.num(s.loss()));
    return List.of(
        new HealthEvent(
            EventType.NON_FINITE,
            "first",
            Severity.CRITICAL,
            s.step(),
            layers,
            msg.toString(),
            nums));
  }
}
