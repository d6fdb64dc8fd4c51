package org.gradguard.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradguard.report.ReportModel.EpochPoint;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.LayerPoint;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.Severity;
import org.gradguard.report.ReportModel.StepPoint;

/**
 * The headline numbers of one run, shared by the HTML summary and the terminal table.
 *
 * @param name the run's name
 * @param verdict the verdict
 * @param finalLoss the last recorded training loss (non-finite when training diverged; NaN when no
 *     step was recorded)
 * @param finalAccuracy the last validation accuracy, else the last training accuracy (NaN when
 *     neither was recorded)
 * @param accuracyIsValidation whether {@code finalAccuracy} is a validation accuracy
 * @param gradRatio {@code ‖g_first‖ / ‖g_last‖}: the gradient norm of the layer nearest the input
 *     over that of the layer nearest the output, at the last monitored step where both are finite
 *     (NaN when unknown). Far below 1: gradients vanish toward the input; far above 1: they explode
 * @param events the number of health events by severity
 * @param eventKinds the number of health events by kind ({@code VANISHING}, ...), the kind with the
 *     most severe event first, then the most frequent, then the first seen
 * @param actions the number of guard actions
 * @param actionKinds the number of guard actions by action ({@code SKIP}, {@code ROLLBACK}, {@code
 *     STOP}), in order of first appearance
 * @param clippedSteps the steps whose update gradient clipping scaled (provenance {@code
 *     result.clippedSteps}), or -1 when the run has no clipping or did not record it
 * @param firstNonFiniteStep the first step whose loss was not finite, or -1
 * @param lastStep the last recorded step, or -1
 * @param stoppedEarly whether early stopping ended the run (provenance {@code result.reason =
 *     EARLY_STOPPED})
 * @param testAccuracy the accuracy on the test set scored after training (provenance {@code
 *     result.test.accuracy}), NaN when there is none
 */
public record RunSummary(
    String name,
    Verdict verdict,
    double finalLoss,
    double finalAccuracy,
    boolean accuracyIsValidation,
    double gradRatio,
    Map<Severity, Integer> events,
    Map<String, Integer> eventKinds,
    int actions,
    Map<String, Integer> actionKinds,
    long clippedSteps,
    long firstNonFiniteStep,
    long lastStep,
    boolean stoppedEarly,
    double testAccuracy) {

  /** The one-word verdict of a run, worst first. */
  public enum Verdict {
    /**
     * The last loss is NaN or infinite, a guard stopped training, or the trainer ended the run as
     * diverged (provenance {@code result.reason = DIVERGED}).
     */
    DIVERGED("Diverged"),
    /**
     * Training did not finish: it was interrupted (provenance {@code result.reason = INTERRUPTED}),
     * or its process was killed before it wrote a result (a run directory's provenance without
     * {@code result}). Whatever its events, never shown as healthy.
     */
    INCOMPLETE("Incomplete"),
    /** A critical event or finding: training is failing or about to. */
    CRITICAL("Critical"),
    /** Warnings: training is degraded. */
    WARNING("Warnings"),
    /** Only informational events, or none. */
    HEALTHY("Healthy");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    /** The word shown in the badge. */
    public String label() {
      return label;
    }
  }

  public RunSummary {
    events = Map.copyOf(events);
    eventKinds = Collections.unmodifiableMap(new LinkedHashMap<>(eventKinds));
    actionKinds = Collections.unmodifiableMap(new LinkedHashMap<>(actionKinds));
  }

  /**
   * The events by kind, e.g. {@code "EXPLODING×3, VANISHING×1"}; {@code "-"} when there are none.
   */
  public String eventKindsText() {
    if (eventKinds.isEmpty()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    eventKinds.forEach((k, n) -> parts.add(k + "×" + n));
    return String.join(", ", parts);
  }

  /**
   * The guard actions by action and the clipped steps, e.g. {@code "skip×3, stop×1, clip×120"};
   * {@code "-"} when there are none.
   */
  public String actionKindsText() {
    List<String> parts = new ArrayList<>();
    actionKinds.forEach((k, n) -> parts.add(k.toLowerCase(Locale.ROOT) + "×" + n));
    if (clippedSteps > 0) {
      parts.add("clip×" + clippedSteps);
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  /**
   * The verdict in words: its label, and for an incomplete run where it stopped, e.g. {@code
   * "Incomplete: stopped at step 39"} (the last step it recorded); for a run that early stopping
   * ended, where, e.g. {@code "Healthy, stopped early at step 173"}.
   */
  public String verdictText() {
    if (stoppedEarly && verdict != Verdict.INCOMPLETE) {
      return verdict.label() + ", stopped early at step " + lastStep;
    }
    if (verdict != Verdict.INCOMPLETE) {
      return verdict.label();
    }
    return lastStep < 0
        ? "Incomplete: no step recorded"
        : "Incomplete: stopped at step " + lastStep;
  }

  /** The total number of events. */
  public int eventCount() {
    return events.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Summarises {@code run}. */
  public static RunSummary of(Run run) {
    List<StepPoint> steps = run.steps();
    double finalLoss = steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
    long lastStep = steps.isEmpty() ? -1 : steps.get(steps.size() - 1).step();
    long firstNonFinite = -1;
    for (StepPoint p : steps) {
      if (!Double.isFinite(p.loss())) {
        firstNonFinite = p.step();
        break;
      }
    }
    double accuracy = Double.NaN;
    boolean validation = false;
    for (EpochPoint e : run.epochs()) {
      if (Double.isFinite(e.valAccuracy())) {
        accuracy = e.valAccuracy();
        validation = true;
      }
    }
    if (!validation) {
      for (StepPoint p : steps) {
        if (Double.isFinite(p.accuracy())) {
          accuracy = p.accuracy();
        }
      }
    }
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    Severity worst = null;
    for (Event e : run.events()) {
      counts.merge(e.severity(), 1, Integer::sum);
      worst = worse(worst, e.severity());
    }
    for (ReportModel.Finding f : run.findings()) {
      worst = worse(worst, f.severity());
    }
    Map<String, Integer> actionKinds = new LinkedHashMap<>();
    for (ReportModel.Action a : run.actions()) {
      actionKinds.merge(a.action().toUpperCase(Locale.ROOT), 1, Integer::sum);
    }
    boolean stopped = run.actions().stream().anyMatch(a -> a.action().equalsIgnoreCase("STOP"));
    Verdict verdict;
    Map<String, String> prov = run.provenance();
    String reason = prov.get("result.reason");
    boolean divergedRun = "DIVERGED".equals(reason);
    // A run directory's provenance has startTime from the start and result only at the end.
    boolean incomplete =
        "INTERRUPTED".equals(reason) || (reason == null && prov.containsKey("startTime"));
    if (stopped || divergedRun || (!steps.isEmpty() && !Double.isFinite(finalLoss))) {
      verdict = Verdict.DIVERGED;
    } else if (incomplete) {
      verdict = Verdict.INCOMPLETE;
    } else if (worst == Severity.CRITICAL) {
      verdict = Verdict.CRITICAL;
    } else if (worst == Severity.WARNING) {
      verdict = Verdict.WARNING;
    } else {
      verdict = Verdict.HEALTHY;
    }
    return new RunSummary(
        run.name(),
        verdict,
        finalLoss,
        accuracy,
        validation,
        gradRatio(run.layers()),
        counts,
        eventKinds(run.events()),
        run.actions().size(),
        actionKinds,
        clippedSteps(run.provenance().get("result.clippedSteps")),
        firstNonFinite,
        lastStep,
        "EARLY_STOPPED".equals(reason),
        fraction(prov.get("result.test.accuracy")));
  }

  /** Summarises every run of {@code model}, in order. */
  public static List<RunSummary> of(ReportModel model) {
    List<RunSummary> out = new ArrayList<>();
    for (Run r : model.runs()) {
      out.add(of(r));
    }
    return out;
  }

  /** Event counts by kind: most severe kind first, then most frequent, then first seen. */
  static Map<String, Integer> eventKinds(List<Event> events) {
    Map<String, Integer> count = new LinkedHashMap<>();
    Map<String, Severity> worst = new LinkedHashMap<>();
    for (Event e : events) {
      count.merge(e.kind(), 1, Integer::sum);
      worst.merge(e.kind(), e.severity(), RunSummary::worse);
    }
    List<String> kinds = new ArrayList<>(count.keySet());
    kinds.sort(
        Comparator.comparing((String k) -> worst.get(k))
            .reversed()
            .thenComparing(k -> -count.get(k)));
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String k : kinds) {
      out.put(k, count.get(k));
    }
    return out;
  }

  /** The provenance's clip count, or -1 when absent or not a count. */
  private static long clippedSteps(String value) {
    if (value == null) {
      return -1;
    }
    try {
      double d = Double.parseDouble(value.trim());
      return d >= 0 && d < Long.MAX_VALUE ? (long) d : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A flattened provenance fraction, NaN when absent, not a number or not in [0, 1]. */
  private static double fraction(String value) {
    if (value == null) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(value.trim());
      return d >= 0 && d <= 1 ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static Severity worse(Severity a, Severity b) {
    return a == null || b.compareTo(a) > 0 ? b : a;
  }

  /**
   * {@code ‖g_first‖ / ‖g_last‖} at the last monitored step where the shallowest and the deepest
   * layer both have a finite, non-zero gradient norm.
   */
  static double gradRatio(List<LayerPoint> layers) {
    LayerTable table = LayerTable.of(layers);
    if (table.layerCount() < 2) {
      return Double.NaN;
    }
    int last = table.layerCount() - 1;
    for (int s = table.stepCount() - 1; s >= 0; s--) {
      double first = table.gradNorm(s, 0);
      double deep = table.gradNorm(s, last);
      if (Double.isFinite(first) && Double.isFinite(deep) && deep > 0) {
        return first / deep;
      }
    }
    return Double.NaN;
  }
}
