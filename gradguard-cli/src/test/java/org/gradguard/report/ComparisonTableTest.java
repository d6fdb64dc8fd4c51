package org.gradguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gradguard.report.ReportModel.Action;
import org.gradguard.report.ReportModel.EpochPoint;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.LayerPoint;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.Severity;
import org.gradguard.report.ReportModel.StepPoint;
import org.junit.jupiter.api.Test;

/** The side-by-side table of {@code gradguard compare}, against a hand-computed golden text. */
class ComparisonTableTest {
  static final double NAN = Double.NaN;

  /**
   * baseline: loss 2 → 1.25, validation accuracy 0.8, ‖g‖ of the first layer 1e-4 and of the last
   * 0.1 at step 20 (ratio 1e-3; step 10's 0.5 is older), a VANISHING warning, a VANISHING and a
   * SATURATION info; clip: loss 0.25, 40 clipped steps in its provenance; high-lr: NaN loss, an
   * EXPLODING and two NON_FINITE critical events, three skipped steps and a stop.
   */
  static ReportModel model() {
    Run baseline =
        run(
            "baseline",
            List.of(step(0, 2.0), step(10, 1.5), step(20, 1.25)),
            List.of(new EpochPoint(1, 20, 1.4, NAN, 1.3, 0.8)),
            List.of(
                new LayerPoint(10, "fc1", 0, 0.05, 1, -3),
                new LayerPoint(10, "fc2", 1, 0.1, 1, -3),
                new LayerPoint(20, "fc2", 1, 0.1, 1, -3),
                new LayerPoint(20, "fc1", 0, 1e-4, 1, -3)),
            List.of(
                event(10, "SATURATION", Severity.INFO),
                event(12, "VANISHING", Severity.WARNING),
                event(14, "VANISHING", Severity.INFO)),
            List.of());
    Run clip =
        new Run(
            "clip+lr-0.01",
            Map.of("result.clippedSteps", "40"),
            "",
            List.of(step(20, 0.25)),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of());
    Run high =
        run(
            "high-lr",
            List.of(step(0, 2.0), step(5, NAN)),
            List.of(),
            List.of(),
            List.of(
                event(5, "EXPLODING", Severity.CRITICAL),
                event(6, "NON_FINITE", Severity.CRITICAL),
                event(7, "NON_FINITE", Severity.CRITICAL)),
            List.of(
                new Action(5, "skipNonFinite", "SKIP", "non-finite"),
                new Action(6, "skipNonFinite", "SKIP", "non-finite"),
                new Action(7, "skipNonFinite", "SKIP", "non-finite"),
                new Action(7, "trainingStep", "STOP", "3 in a row")));
    return new ReportModel("golden", List.of(baseline, clip, high));
  }

  @Test
  void goldenText() {
    String expected =
        """
        variant       verdict   final loss  accuracy  grad first/last  events                     guard actions
        ------------  --------  ----------  --------  ---------------  -------------------------  --------------
        baseline      Warnings        1.25     80.0%            0.001  VANISHING×2, SATURATION×1  -
        clip+lr-0.01  Healthy         0.25         -                -  -                          clip×40
        high-lr       Diverged         NaN         -                -  NON_FINITE×2, EXPLODING×1  skip×3, stop×1
        """;
    assertEquals(expected, ComparisonTable.format(model()));
  }

  @Test
  void theHtmlTableHasTheSameCellsEscaped() {
    String html = ComparisonTable.html(RunSummary.of(model()));
    assertTrue(html.startsWith("<table class=\"compare\">"), html);
    assertTrue(html.contains("<th>events</th><th>guard actions</th>"), html);
    assertTrue(
        html.contains(
            "<tr><td>high-lr</td><td>Diverged</td><td class=\"num\">NaN</td>"
                + "<td class=\"num\">-</td><td class=\"num\">-</td>"
                + "<td>NON_FINITE×2, EXPLODING×1</td><td>skip×3, stop×1</td></tr>"),
        html);
    assertTrue(html.contains("<td>clip+lr-0.01</td>"), html);
    assertTrue(html.contains("<td>clip×40</td>"), html);
    Run tagged =
        run(
            "<b>&",
            List.of(step(0, 1)),
            List.of(),
            List.of(),
            List.of(event(0, "<X>", Severity.INFO)),
            List.of());
    String escaped = ComparisonTable.html(RunSummary.of(new ReportModel("t", List.of(tagged))));
    assertTrue(escaped.contains("<td>&lt;b&gt;&amp;</td>"), escaped);
    assertTrue(escaped.contains("<td>&lt;X&gt;×1</td>"), escaped);
  }

  @Test
  void countsByKindAndAction() {
    List<RunSummary> s = RunSummary.of(model());
    assertEquals(Map.of("VANISHING", 2, "SATURATION", 1), s.get(0).eventKinds());
    assertEquals(List.of("VANISHING", "SATURATION"), List.copyOf(s.get(0).eventKinds().keySet()));
    assertEquals(-1, s.get(0).clippedSteps());
    assertEquals(40, s.get(1).clippedSteps());
    assertEquals(List.of("SKIP", "STOP"), List.copyOf(s.get(2).actionKinds().keySet()));
    assertEquals(3, s.get(2).actionKinds().get("SKIP"));
    assertEquals(4, s.get(2).actions());
  }

  @Test
  void summariesBehindTheTable() {
    List<RunSummary> s = RunSummary.of(model());
    assertEquals(1e-3, s.get(0).gradRatio(), 1e-15);
    assertEquals(true, s.get(0).accuracyIsValidation());
    assertEquals(5, s.get(2).firstNonFiniteStep());
    assertEquals(RunSummary.Verdict.DIVERGED, s.get(2).verdict());
    Run stopped =
        run(
            "stopped",
            List.of(step(0, 1)),
            List.of(),
            List.of(),
            List.of(),
            List.of(new Action(0, "trainingStep", "STOP", "too many skips")));
    assertEquals(RunSummary.Verdict.DIVERGED, RunSummary.of(stopped).verdict());
    Run critical =
        run(
            "c",
            List.of(step(0, 1)),
            List.of(),
            List.of(),
            List.of(event(0, Severity.CRITICAL)),
            List.of());
    assertEquals(RunSummary.Verdict.CRITICAL, RunSummary.of(critical).verdict());
  }

  static Run run(
      String name,
      List<StepPoint> steps,
      List<EpochPoint> epochs,
      List<LayerPoint> layers,
      List<Event> events,
      List<Action> actions) {
    return new Run(
        name, Map.of(), "", steps, epochs, layers, List.of(), events, actions, List.of());
  }

  static StepPoint step(long s, double loss) {
    return new StepPoint(s, loss, 0.1, 1.0, NAN);
  }

  static Event event(long step, Severity severity) {
    return event(step, "EXPLODING", severity);
  }

  static Event event(long step, String kind, Severity severity) {
    return new Event(step, kind, severity, "m", List.of());
  }
}
