package org.gradguard.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gradguard.report.ReportModel.Action;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.Finding;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.Severity;
import org.gradguard.report.RunSummary.Verdict;
import org.gradguard.tensor.io.AtomicFile;

/**
 * Writes a report as one self-contained HTML file: the style sheet is inlined and every chart is a
 * PNG embedded as a {@code data:image/png;base64} URI, so the file opens offline, can be mailed or
 * archived, and references no URL at all.
 *
 * <p>Contents, top to bottom: a summary card per variant (verdict badge, final loss and accuracy,
 * the first-to-last-layer gradient ratio, events, guard actions, the main finding) and the
 * side-by-side {@link ComparisonTable} (events by kind, guard actions by action); loss, accuracy
 * and gradient-norm curves; per variant the gradient-norm profile across layers and the layer ×
 * step heatmap of {@code log10 ‖g‖}; the update:parameter ratio per layer; the events timeline with
 * a table per variant; the findings in plain words; each run's provenance and configuration. Every
 * chart is a {@code <figure>} whose id is the chart's {@link ReportChart#id()}.
 *
 * <p>Each variant keeps one colour (Okabe–Ito) and one dash pattern in every chart and card. With a
 * PNG directory, each chart is also written there as {@code ID.png}. Files are written atomically
 * ({@link AtomicFile}); the model is not modified.
 */
public final class HtmlReport {
  static {
    ChartStyle.ensureHeadless();
  }

  private HtmlReport() {}

  /** The most rows of a guard-action table; the rest is summarised in one line. */
  static final int MAX_ACTION_ROWS = 25;

  /** The longest provenance value shown in full (longer ones end in "…"). */
  static final int MAX_PROVENANCE_CHARS = 300;

  /**
   * The charts of the report, in the order they appear: loss, accuracy (when recorded), gradient
   * norm, then per variant profile and heatmap, then update ratio and events.
   */
  public static List<ReportChart> charts(ReportModel model) {
    List<ReportChart> out = new ArrayList<>();
    out.add(CurveCharts.loss(model, null));
    ReportChart accuracy = CurveCharts.accuracy(model);
    if (accuracy != null) {
      out.add(accuracy);
    }
    out.add(CurveCharts.gradNorm(model));
    for (int v = 0; v < model.runs().size(); v++) {
      out.add(LayerCharts.profile(model.runs().get(v), v));
    }
    double[] range = LayerCharts.heatmapRange(model);
    for (int v = 0; v < model.runs().size(); v++) {
      out.add(LayerCharts.heatmap(model.runs().get(v), v, range[0], range[1]));
    }
    out.add(LayerCharts.updateRatio(model));
    out.add(EventChart.timeline(model));
    return out;
  }

  /**
   * Writes the report of {@code model} to {@code html} and, when {@code pngDir} is not null, each
   * chart to {@code pngDir/ID.png} (the directory is created when missing).
   *
   * @return the ids of the charts, in order
   * @throws IOException when a file cannot be written
   */
  public static List<String> write(ReportModel model, Path html, Path pngDir) throws IOException {
    List<ReportChart> charts = charts(model);
    Map<String, byte[]> pngs = new LinkedHashMap<>();
    for (ReportChart c : charts) {
      pngs.put(c.id(), ChartStyle.png(c));
    }
    String page = render(model, charts, pngs);
    Path parent = html.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    AtomicFile.write(html, out -> out.write(page.getBytes(StandardCharsets.UTF_8)));
    if (pngDir != null) {
      Files.createDirectories(pngDir);
      for (Map.Entry<String, byte[]> e : pngs.entrySet()) {
        byte[] bytes = e.getValue();
        AtomicFile.write(pngDir.resolve(e.getKey() + ".png"), out -> out.write(bytes));
      }
    }
    return List.copyOf(pngs.keySet());
  }

  /** The report as an HTML string, with the charts rendered and embedded. */
  public static String render(ReportModel model) {
    List<ReportChart> charts = charts(model);
    Map<String, byte[]> pngs = new LinkedHashMap<>();
    for (ReportChart c : charts) {
      pngs.put(c.id(), ChartStyle.png(c));
    }
    return render(model, charts, pngs);
  }

  private static String render(
      ReportModel model, List<ReportChart> charts, Map<String, byte[]> pngs) {
    List<RunSummary> summaries = RunSummary.of(model);
    Map<String, ReportChart> byId = new LinkedHashMap<>();
    for (ReportChart c : charts) {
      byId.put(c.id(), c);
    }
    StringBuilder b = new StringBuilder(1 << 20);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"GradGuard\">\n")
        .append("<title>")
        .append(Html.esc(model.title()))
        .append("</title>\n<style>\n")
        .append(ReportCss.CSS)
        .append("</style>\n</head>\n<body>\n<main>\n");
    header(b, model, summaries);
    summary(b, model, summaries);
    section(
        b,
        "curves",
        "Training curves",
        "How each variant trained, step by step. Each variant keeps its colour and line style in"
            + " every chart.");
    figure(b, byId.get("chart-loss"), pngs);
    figure(b, byId.get("chart-accuracy"), pngs);
    figure(b, byId.get("chart-grad-norm"), pngs);
    section(
        b,
        "gradient-flow",
        "Gradient flow across layers",
        "Healthy gradients have roughly the same size in every layer. A profile that falls toward"
            + " the input starves the early layers (vanishing); one that rises blows them up"
            + " (exploding).");
    for (int v = 0; v < model.runs().size(); v++) {
      figure(b, byId.get("chart-grad-profile-" + v), pngs);
    }
    section(
        b,
        "heatmaps",
        "Layer × step heatmaps",
        "The same gradient norms over the whole run: one row per layer, one column per monitored"
            + " step.");
    for (int v = 0; v < model.runs().size(); v++) {
      figure(b, byId.get("chart-heatmap-" + v), pngs);
    }
    section(
        b,
        "update-ratio",
        "Update : parameter ratio",
        "How far each step moves each layer's weights, relative to their size.");
    figure(b, byId.get("chart-update-ratio"), pngs);
    section(
        b,
        "events",
        "Events and guard actions",
        "What the health monitor detected and what the guards did about it.");
    figure(b, byId.get("chart-events"), pngs);
    for (int v = 0; v < model.runs().size(); v++) {
      eventTables(b, model.runs().get(v), v);
    }
    section(
        b,
        "findings",
        "Findings",
        "The diagnosis of each variant in plain words: what was"
            + " seen, where, the numbers, the likely causes and what to try, most promising first.");
    for (int v = 0; v < model.runs().size(); v++) {
      findings(b, model.runs().get(v), v, summaries.get(v));
    }
    section(
        b, "config", "Configuration and provenance", "What made each run: enough to reproduce it.");
    for (int v = 0; v < model.runs().size(); v++) {
      config(b, model.runs().get(v), v);
    }
    b.append(
        "<footer>Written by GradGuard. Self-contained: charts are embedded images; this file"
            + " needs no network.</footer>\n");
    b.append("</main>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void header(StringBuilder b, ReportModel model, List<RunSummary> summaries) {
    long steps = summaries.stream().mapToLong(RunSummary::lastStep).max().orElse(-1);
    int n = model.runs().size();
    b.append("<header>\n<h1>")
        .append(Html.esc(model.title()))
        .append("</h1>\n<p class=\"sub\">")
        .append(n == 1 ? "1 run" : n + " variants compared");
    if (steps >= 0) {
      b.append(" · up to step ").append(steps);
    }
    b.append("</p>\n<nav class=\"toc\">");
    String[][] toc = {
      {"summary", "Summary"}, {"curves", "Training curves"}, {"gradient-flow", "Gradient flow"},
      {"heatmaps", "Heatmaps"}, {"update-ratio", "Update ratio"}, {"events", "Events"},
      {"findings", "Findings"}, {"config", "Configuration"},
    };
    for (String[] t : toc) {
      b.append("<a href=\"#").append(t[0]).append("\">").append(t[1]).append("</a>");
    }
    b.append("</nav>\n</header>\n");
  }

  private static void summary(StringBuilder b, ReportModel model, List<RunSummary> summaries) {
    section(b, "summary", "Summary", null);
    b.append("<div class=\"cards\">\n");
    for (int v = 0; v < summaries.size(); v++) {
      RunSummary s = summaries.get(v);
      Run run = model.runs().get(v);
      b.append("<article class=\"card\" style=\"--c:")
          .append(Palette.css(v))
          .append("\">\n")
          .append("<header><h3>")
          .append(swatch(v))
          .append(Html.esc(s.name()))
          .append("</h3>")
          .append(badge(s.verdict(), s.verdictText()))
          .append("</header>\n<dl>\n");
      dd(b, "final loss", Html.num(s.finalLoss(), false));
      if (s.firstNonFiniteStep() >= 0) {
        dd(b, "non-finite from", "step " + s.firstNonFiniteStep());
      }
      dd(
          b,
          s.accuracyIsValidation() ? "val. accuracy" : "accuracy",
          Html.percent(s.finalAccuracy()));
      if (!Double.isNaN(s.testAccuracy())) {
        dd(b, "test accuracy", Html.percent(s.testAccuracy()));
      }
      String hint = ratioHint(s.gradRatio());
      dd(
          b,
          "grad first / last",
          Html.num(s.gradRatio()) + (hint.isEmpty() ? "" : " <small>(" + hint + ")</small>"));
      dd(b, "events", counts(s));
      String actions = s.actionKindsText();
      dd(b, "guard actions", actions.equals("-") ? "none" : Html.esc(actions));
      b.append("</dl>\n<p class=\"headline\">");
      if (run.findings().isEmpty()) {
        b.append(
            s.verdict() == Verdict.HEALTHY
                ? "<span class=\"ok-note\">No problems found.</span>"
                : "No findings recorded.");
      } else {
        Finding f = run.findings().get(0);
        b.append("<b>").append(Html.esc(f.title())).append("</b>");
        if (run.findings().size() > 1) {
          b.append(" <small>and ").append(run.findings().size() - 1).append(" more</small>");
        }
      }
      b.append("</p>\n</article>\n");
    }
    b.append("</div>\n");
    b.append(ComparisonTable.html(summaries));
  }

  /** What a first-to-last gradient ratio means, in two or three words. */
  static String ratioHint(double r) {
    if (!Double.isFinite(r)) {
      return "";
    }
    if (r < 1e-2) {
      return "vanishing";
    }
    if (r > 1e2) {
      return "exploding";
    }
    return "balanced";
  }

  private static String counts(RunSummary s) {
    if (s.eventCount() == 0) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    int c = s.events().get(Severity.CRITICAL);
    int w = s.events().get(Severity.WARNING);
    int i = s.events().get(Severity.INFO);
    if (c > 0) {
      parts.add("<span class=\"c\">" + c + " critical</span>");
    }
    if (w > 0) {
      parts.add("<span class=\"w\">" + w + " warning" + (w == 1 ? "" : "s") + "</span>");
    }
    if (i > 0) {
      parts.add("<span class=\"i\">" + i + " info</span>");
    }
    return "<span class=\"counts\">" + String.join(" · ", parts) + "</span>";
  }

  private static void dd(StringBuilder b, String term, String html) {
    b.append("<dt>").append(Html.esc(term)).append("</dt><dd>").append(html).append("</dd>\n");
  }

  private static String badge(Verdict v, String text) {
    return "<span class=\"badge "
        + v.name().toLowerCase(Locale.ROOT)
        + "\">"
        + Html.esc(text)
        + "</span>";
  }

  private static String badge(Severity s) {
    return "<span class=\"badge "
        + s.name().toLowerCase(Locale.ROOT)
        + "\">"
        + s.name().toLowerCase(Locale.ROOT)
        + "</span>";
  }

  private static String swatch(int v) {
    return "<span class=\"swatch\" style=\"--c:" + Palette.css(v) + "\"></span>";
  }

  private static void section(StringBuilder b, String id, String title, String lead) {
    b.append("<h2 id=\"").append(id).append("\">").append(Html.esc(title)).append("</h2>\n");
    if (lead != null) {
      b.append("<p class=\"lead\">").append(Html.esc(lead)).append("</p>\n");
    }
  }

  private static void figure(StringBuilder b, ReportChart c, Map<String, byte[]> pngs) {
    if (c == null) {
      return;
    }
    b.append("<figure id=\"")
        .append(c.id())
        .append("\">\n<img alt=\"")
        .append(Html.esc(c.heading()))
        .append("\" width=\"")
        .append(c.width())
        .append("\" height=\"")
        .append(c.height())
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(pngs.get(c.id())))
        .append("\">\n<figcaption><b>")
        .append(Html.esc(c.heading()))
        .append(".</b> ")
        .append(Html.esc(c.caption()))
        .append("</figcaption>\n</figure>\n");
  }

  private static void runHeading(StringBuilder b, Run run, int v) {
    b.append("<div class=\"run-block\">\n<h3>")
        .append(swatch(v))
        .append(Html.esc(run.name()))
        .append("</h3>\n");
  }

  private static void eventTables(StringBuilder b, Run run, int v) {
    runHeading(b, run, v);
    if (run.events().isEmpty()) {
      b.append("<p class=\"lead\">No health events.</p>\n");
    } else {
      Map<String, List<Event>> byKind = new LinkedHashMap<>();
      for (Event e : run.events()) {
        byKind.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e);
      }
      b.append("<table>\n<thead><tr><th>event</th><th>worst</th><th class=\"num\">count</th>")
          .append("<th class=\"num\">steps</th><th>layers</th><th>latest</th></tr></thead>\n")
          .append("<tbody>\n");
      for (Map.Entry<String, List<Event>> e : byKind.entrySet()) {
        List<Event> events = e.getValue();
        Severity worst = Severity.INFO;
        Set<String> layers = new LinkedHashSet<>();
        for (Event ev : events) {
          worst = ev.severity().compareTo(worst) > 0 ? ev.severity() : worst;
          layers.addAll(ev.layers());
        }
        Event first = events.get(0);
        Event last = events.get(events.size() - 1);
        b.append("<tr><td>")
            .append(Html.esc(EventChart.label(e.getKey())))
            .append("</td><td>")
            .append(badge(worst))
            .append("</td><td class=\"num\">")
            .append(events.size())
            .append("</td><td class=\"num\">")
            .append(first.step())
            .append(first.step() == last.step() ? "" : "–" + last.step())
            .append("</td><td>")
            .append(Html.esc(abbreviate(new ArrayList<>(layers), 4)))
            .append("</td><td>")
            .append(Html.esc(last.message()))
            .append("</td></tr>\n");
      }
      b.append("</tbody>\n</table>\n");
    }
    if (!run.actions().isEmpty()) {
      b.append("<table>\n<thead><tr><th class=\"num\">step</th><th>guard</th><th>action</th>")
          .append("<th>reason</th></tr></thead>\n<tbody>\n");
      int shown = Math.min(run.actions().size(), MAX_ACTION_ROWS);
      for (int i = 0; i < shown; i++) {
        Action a = run.actions().get(i);
        b.append("<tr><td class=\"num\">")
            .append(a.step())
            .append("</td><td><code>")
            .append(Html.esc(a.guard()))
            .append("</code></td><td>")
            .append(Html.esc(a.action().toLowerCase(Locale.ROOT)))
            .append("</td><td>")
            .append(Html.esc(a.reason()))
            .append("</td></tr>\n");
      }
      if (run.actions().size() > shown) {
        b.append("<tr class=\"more\"><td colspan=\"4\">… and ")
            .append(run.actions().size() - shown)
            .append(" more guard actions</td></tr>\n");
      }
      b.append("</tbody>\n</table>\n");
    }
    b.append("</div>\n");
  }

  private static void findings(StringBuilder b, Run run, int v, RunSummary s) {
    runHeading(b, run, v);
    if (run.findings().isEmpty()) {
      String text;
      if (s.verdict() == Verdict.INCOMPLETE) {
        text =
            "<b>"
                + Html.esc(s.verdictText())
                + ".</b> Training did not finish (interrupted or killed); no findings were"
                + " recorded.";
      } else if (s.eventCount() == 0) {
        text = "<span class=\"ok-note\">Healthy:</span> the monitor saw nothing wrong.";
      } else if (s.verdict() == Verdict.HEALTHY) {
        text = "<span class=\"ok-note\">Healthy:</span> only informational events (above).";
      } else {
        text = "No findings were recorded for this run; see its events above.";
      }
      b.append("<p class=\"lead\">").append(text).append("</p>\n");
    }
    for (Finding f : run.findings()) {
      b.append("<div class=\"finding ")
          .append(f.severity().name())
          .append("\">\n<h4>")
          .append(badge(f.severity()))
          .append(Html.esc(f.title()))
          .append("</h4>\n");
      List<String> where = new ArrayList<>();
      if (!f.layers().isEmpty()) {
        where.add((f.layers().size() == 1 ? "layer " : "layers ") + abbreviate(f.layers(), 6));
      }
      if (f.firstStep() >= 0) {
        where.add(
            f.firstStep() == f.lastStep() || f.lastStep() < 0
                ? "step " + f.firstStep()
                : "steps " + f.firstStep() + "–" + f.lastStep());
      }
      if (!where.isEmpty()) {
        b.append("<p class=\"where\">Where: ")
            .append(Html.esc(String.join(" · ", where)))
            .append("</p>\n");
      }
      b.append("<div class=\"cols\">\n<div>\n");
      list(b, "What was seen", f.evidence(), "ul");
      if (!f.numbers().isEmpty()) {
        b.append("<h5>Numbers</h5>\n<p class=\"numbers\">");
        for (Map.Entry<String, Double> e : f.numbers().entrySet()) {
          b.append("<span><code>")
              .append(Html.esc(e.getKey()))
              .append("</code> ")
              .append(Html.esc(Html.num(e.getValue(), false)))
              .append("</span>");
        }
        b.append("</p>\n");
      }
      b.append("</div>\n<div>\n");
      list(b, "Likely causes", f.causes(), "ul");
      list(b, "What to try", f.remedies(), "ol");
      b.append("</div>\n</div>\n</div>\n");
    }
    b.append("</div>\n");
  }

  private static void list(StringBuilder b, String title, List<String> items, String tag) {
    if (items.isEmpty()) {
      return;
    }
    b.append("<h5>").append(Html.esc(title)).append("</h5>\n<").append(tag).append(">");
    for (String s : items) {
      b.append("<li>").append(Html.esc(Html.capitalize(s))).append("</li>");
    }
    b.append("</").append(tag).append(">\n");
  }

  private static void config(StringBuilder b, Run run, int v) {
    runHeading(b, run, v);
    b.append("<div class=\"config\">\n<div>\n<table>\n<tbody>\n");
    if (run.provenance().isEmpty()) {
      b.append("<tr><td>No provenance recorded.</td></tr>\n");
    }
    for (Map.Entry<String, String> e : run.provenance().entrySet()) {
      b.append("<tr><th>")
          .append(Html.esc(e.getKey()))
          .append("</th><td class=\"mono\">")
          .append(Html.esc(Html.abbreviate(e.getValue(), MAX_PROVENANCE_CHARS)))
          .append("</td></tr>\n");
    }
    b.append("</tbody>\n</table>\n</div>\n<div>\n<pre>")
        .append(run.config().isBlank() ? "(no configuration recorded)" : Html.esc(run.config()))
        .append("</pre>\n</div>\n</div>\n</div>\n");
  }

  /** The first {@code max} names, then "+N more". */
  static String abbreviate(List<String> names, int max) {
    if (names.size() <= max) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, max)) + " +" + (names.size() - max) + " more";
  }
}
