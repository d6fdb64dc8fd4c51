package org.gradguard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradguard.report.ReportModel.Action;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.Severity;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The events timeline: step across, one row per variant; each event is a marker whose shape says
 * its kind and whose colour says its severity; guard actions are black bars. Package-private.
 */
final class EventChart {
  private EventChart() {}

  /** The kinds in legend order; unknown kinds follow in order of appearance. */
  static final List<String> KINDS =
      List.of(
          "NON_FINITE",
          "EXPLODING",
          "VANISHING",
          "SATURATION",
          "DEAD_UNITS",
          "UPDATE_RATIO",
          "GUARD");

  static ReportChart timeline(ReportModel model) {
    Map<String, XYSeries> byKind = new LinkedHashMap<>();
    Map<String, List<Paint>> paints = new LinkedHashMap<>();
    for (String k : KINDS) {
      byKind.put(k, new XYSeries(k, false, true));
      paints.put(k, new ArrayList<>());
    }
    int rows = model.runs().size();
    long maxStep = 0;
    for (int v = 0; v < rows; v++) {
      Run run = model.runs().get(v);
      maxStep = Math.max(maxStep, RunSummary.of(run).lastStep());
      List<String> lanes = lanes(run);
      for (Event e : run.events()) {
        String kind = e.kind().toUpperCase(Locale.ROOT);
        byKind.computeIfAbsent(kind, k -> new XYSeries(k, false, true));
        paints.computeIfAbsent(kind, k -> new ArrayList<>());
        maxStep = Math.max(maxStep, e.step());
        double y = row(rows, v) + lane(lanes, kind);
        add(byKind, paints, kind, e.step(), y, Palette.severity(e.severity()));
      }
      for (Action a : run.actions()) {
        maxStep = Math.max(maxStep, a.step());
        add(byKind, paints, "GUARD", a.step(), row(rows, v) + lane(lanes, "GUARD"), Palette.INK);
      }
    }
    List<String> kinds = new ArrayList<>();
    for (Map.Entry<String, XYSeries> e : byKind.entrySet()) {
      if (e.getValue().getItemCount() > 0) {
        kinds.add(e.getKey());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    List<List<Paint>> itemPaints = new ArrayList<>();
    for (int k = 0; k < kinds.size(); k++) {
      data.addSeries(byKind.get(kinds.get(k)));
      itemPaints.add(paints.get(kinds.get(k)));
    }
    XYLineAndShapeRenderer r =
        new XYLineAndShapeRenderer(false, true) {
          private static final long serialVersionUID = 1L;

          @Override
          public Paint getItemPaint(int series, int item) {
            return itemPaints.get(series).get(item);
          }
        };
    for (int i = 0; i < kinds.size(); i++) {
      r.setSeriesShape(i, Palette.eventShape(kinds.get(i), 9));
      r.setSeriesShapesFilled(i, true);
      r.setSeriesOutlineStroke(i, new BasicStroke(0.6f));
    }
    r.setUseOutlinePaint(true);
    r.setDefaultOutlinePaint(Color.WHITE);
    String[] names = new String[rows];
    for (int v = 0; v < rows; v++) {
      names[row(rows, v)] = model.runs().get(v).name();
    }
    SymbolAxis y = new SymbolAxis(null, names);
    y.setGridBandsVisible(true);
    y.setGridBandPaint(new Color(0xF6F6F6));
    y.setGridBandAlternatePaint(Color.WHITE);
    NumberAxis x = ChartStyle.integerAxis("step");
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setFixedLegendItems(legend(kinds));
    plot.setRangeGridlinesVisible(false);
    JFreeChart chart =
        new JFreeChart("Health events and guard actions", ChartStyle.TITLE, plot, true);
    ChartStyle.apply(chart);
    x.setRange(0, Math.max(1, maxStep) * 1.02);
    y.setRange(-0.5, rows - 0.5);
    y.setTickLabelFont(ChartStyle.LABEL);
    y.setTickLabelPaint(Palette.INK);
    return new ReportChart(
        "chart-events",
        "Events timeline",
        "Every health event by step, one row per variant. The shape says what was detected, the"
            + " colour how urgent it was (blue: info, orange: warning, red: critical); black bars"
            + " are guard actions (skipped steps, roll-backs, stops).",
        chart,
        CurveCharts.WIDTH,
        Math.max(200, 110 + 56 * rows));
  }

  /** Row of variant {@code v}: the first variant on top. */
  private static int row(int rows, int v) {
    return rows - 1 - v;
  }

  private static void add(
      Map<String, XYSeries> byKind,
      Map<String, List<Paint>> paints,
      String kind,
      long step,
      double y,
      Paint paint) {
    byKind.get(kind).add(step, y);
    paints.get(kind).add(paint);
  }

  /** The kinds a run has (guard actions last), in legend order: one lane each in its row. */
  private static List<String> lanes(Run run) {
    List<String> present = new ArrayList<>();
    for (Event e : run.events()) {
      String kind = e.kind().toUpperCase(Locale.ROOT);
      if (!present.contains(kind)) {
        present.add(kind);
      }
    }
    present.sort((a, b) -> Integer.compare(order(a), order(b)));
    if (!run.actions().isEmpty()) {
      present.add(0, "GUARD");
    }
    return present;
  }

  private static int order(String kind) {
    int i = KINDS.indexOf(kind);
    return i < 0 ? KINDS.size() : i;
  }

  /** The vertical offset of a kind's lane within its row, so kinds at one step stay apart. */
  private static double lane(List<String> lanes, String kind) {
    int n = lanes.size();
    if (n <= 1) {
      return 0;
    }
    double spacing = Math.min(0.28, 0.7 / (n - 1));
    // the first lane on top
    return ((n - 1) / 2.0 - lanes.indexOf(kind)) * spacing;
  }

  private static LegendItemCollection legend(List<String> kinds) {
    LegendItemCollection items = new LegendItemCollection();
    for (String k : kinds) {
      items.add(
          new LegendItem(label(k), null, null, null, Palette.eventShape(k, 9), Palette.MUTED));
    }
    for (Severity s : Severity.values()) {
      items.add(
          new LegendItem(
              s.name().toLowerCase(Locale.ROOT),
              null,
              null,
              null,
              new Rectangle2D.Double(-5, -5, 10, 10),
              Palette.severity(s)));
    }
    return items;
  }

  /** {@code DEAD_UNITS} → {@code dead units}; {@code GUARD} → {@code guard action}. */
  static String label(String kind) {
    return kind.equals("GUARD") ? "guard action" : kind.toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
