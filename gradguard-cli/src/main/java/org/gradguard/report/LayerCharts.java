package org.gradguard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.gradguard.report.ReportModel.Run;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Per-layer charts: the gradient-norm profile across depth, the layer × step heatmap of {@code
 * log10 ‖g‖}, and the update:parameter ratio per layer against its healthy band. Package-private.
 */
final class LayerCharts {
  private LayerCharts() {}

  static final int WIDTH = 920;

  /** DL4J's healthy band of {@code log10(mean |u| / mean |θ|)}: about −3, between −4 and −2. */
  static final double BAND_LOW = -4;

  static final double BAND_HIGH = -2;

  /** The most heatmap columns drawn; longer runs are thinned to every k-th monitored step. */
  static final int MAX_COLUMNS = 400;

  /** The gradient norm of each layer against depth at the first, middle and last monitored step. */
  static ReportChart profile(Run run, int variant) {
    LayerTable t = LayerTable.of(run.layers());
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    List<Integer> picks =
        new ArrayList<>(
            new LinkedHashSet<>(
                t.stepCount() == 0
                    ? List.of()
                    : List.of(0, (t.stepCount() - 1) / 2, t.stepCount() - 1)));
    double[] fade = picks.size() == 3 ? new double[] {0.62, 0.32, 0} : new double[] {0.5, 0};
    Color c = Palette.variant(variant);
    for (int k = 0; k < picks.size(); k++) {
      int s = picks.get(k);
      String when = k == 0 ? "start" : k == picks.size() - 1 ? "end" : "middle";
      XYSeries series = new XYSeries("step " + t.step(s) + " (" + when + ")", false, true);
      for (int l = 0; l < t.layerCount(); l++) {
        double g = t.gradNorm(s, l);
        if (Double.isFinite(g) && g > 0) {
          series.add(l, g);
        }
      }
      data.addSeries(series);
      r.setSeriesPaint(k, Palette.lighter(c, fade[Math.min(k, fade.length - 1)]));
      r.setSeriesStroke(k, new BasicStroke(k == picks.size() - 1 ? 2.4f : 1.6f));
      r.setSeriesShape(k, Palette.shape(k, 8));
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (int k = 0; k < data.getSeriesCount(); k++) {
      XYSeries series = data.getSeries(k);
      if (series.getItemCount() > 0) {
        lo = Math.min(lo, series.getMinY());
        hi = Math.max(hi, series.getMaxY());
      }
    }
    XYPlot plot =
        new XYPlot(
            data,
            layerAxis(t.layers(), "layer (input on the left)"),
            ChartStyle.logAxis("‖g‖₂ (log scale)", lo, hi, 2),
            r);
    JFreeChart chart =
        new JFreeChart("Gradient norm per layer — " + run.name(), ChartStyle.TITLE, plot, true);
    ChartStyle.apply(chart);
    tiltIfCrowded(plot.getDomainAxis(), t.layers());
    return new ReportChart(
        "chart-grad-profile-" + variant,
        "Gradient flow: " + run.name(),
        "The gradient norm of every layer, input on the left, at the start, middle and end of"
            + " training (darker is later). A line falling toward the input means vanishing"
            + " gradients; rising toward the input, exploding.",
        chart,
        WIDTH,
        340);
  }

  /**
   * The layer × step heatmap of {@code log10 ‖g‖}. Every variant's map shares one colour range
   * ({@code zLow}..{@code zHigh}), so colours compare across variants.
   */
  static ReportChart heatmap(Run run, int variant, double zLow, double zHigh) {
    LayerTable t = LayerTable.of(run.layers());
    int stride = Math.max(1, (t.stepCount() + MAX_COLUMNS - 1) / MAX_COLUMNS);
    int columns = (t.stepCount() + stride - 1) / stride;
    int n = columns * t.layerCount();
    double[][] xyz = new double[3][n];
    int i = 0;
    for (int s = 0; s < t.stepCount(); s += stride) {
      for (int l = 0; l < t.layerCount(); l++) {
        double g = t.gradNorm(s, l);
        xyz[0][i] = t.step(s);
        xyz[1][i] = l;
        xyz[2][i] =
            Double.isNaN(g) ? Double.NaN : g == 0 ? Double.NEGATIVE_INFINITY : Math.log10(g);
        i++;
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("log10 grad norm", xyz);
    XYBlockRenderer r = new XYBlockRenderer();
    r.setBlockWidth((double) t.stepInterval() * stride);
    r.setBlockHeight(1);
    r.setBlockAnchor(RectangleAnchor.CENTER);
    ViridisScale scale = new ViridisScale(zLow, zHigh);
    r.setPaintScale(scale);
    NumberAxis x = ChartStyle.integerAxis("step");
    ValueAxis y = layerAxis(t.layers(), "layer (input at the bottom)");
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    JFreeChart chart =
        new JFreeChart(
            "log10 gradient norm, layer × step — " + run.name(), ChartStyle.TITLE, plot, false);
    ChartStyle.apply(chart);
    x.setLowerMargin(0);
    x.setUpperMargin(0);
    if (t.stepCount() > 0) {
      double half = 0.5 * t.stepInterval() * stride;
      x.setRange(t.step(0) - half, t.step(t.stepCount() - 1) + half);
    }
    y.setLowerMargin(0);
    y.setUpperMargin(0);
    NumberAxis zAxis = new NumberAxis("log10 ‖g‖₂");
    ChartStyle.axis(zAxis);
    zAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
    PaintScaleLegend legend = new PaintScaleLegend(scale, zAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
    legend.setStripWidth(14);
    legend.setSubdivisionCount(128);
    legend.setMargin(new RectangleInsets(4, 12, 4, 4));
    legend.setFrame(BlockBorder.NONE);
    legend.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(legend);
    return new ReportChart(
        "chart-heatmap-" + variant,
        "Heatmap: " + run.name(),
        "Each cell is one layer (input at the bottom) at one monitored step, coloured by log10 of"
            + " its gradient norm on a scale shared by all variants (bright: large, dark: small;"
            + " grey: not finite)."
            + (stride > 1 ? " Every " + stride + "th monitored step is shown." : ""),
        chart,
        WIDTH,
        Math.max(240, Math.min(520, 120 + 22 * t.layerCount())));
  }

  /** The finite range of {@code log10 ‖g‖} over every run's layers, padded to whole tenths. */
  static double[] heatmapRange(ReportModel model) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Run run : model.runs()) {
      for (ReportModel.LayerPoint p : run.layers()) {
        if (Double.isFinite(p.gradNorm()) && p.gradNorm() > 0) {
          double z = Math.log10(p.gradNorm());
          lo = Math.min(lo, z);
          hi = Math.max(hi, z);
        }
      }
    }
    if (!(lo <= hi)) {
      return new double[] {-1, 1};
    }
    if (hi - lo < 0.2) {
      lo -= 0.1;
      hi += 0.1;
    }
    return new double[] {Math.floor(lo * 10) / 10, Math.ceil(hi * 10) / 10};
  }

  /** The median update:parameter ratio of each layer for every variant, with the healthy band. */
  static ReportChart updateRatio(ReportModel model) {
    List<LayerTable> tables = new ArrayList<>();
    for (Run run : model.runs()) {
      tables.add(LayerTable.of(run.layers()));
    }
    List<String> names = tables.get(0).layers();
    boolean sameLayers = tables.stream().allMatch(t -> t.layers().equals(names));
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int v = 0; v < tables.size(); v++) {
      LayerTable t = tables.get(v);
      XYSeries s = new XYSeries(model.runs().get(v).name(), false, true);
      for (int l = 0; l < t.layerCount(); l++) {
        double m = t.medianUpdateRatio(l);
        if (Double.isFinite(m)) {
          s.add(l, m);
        }
      }
      data.addSeries(s);
      r.setSeriesPaint(v, Palette.variant(v));
      r.setSeriesStroke(v, (BasicStroke) Palette.stroke(v, 2f));
      r.setSeriesShape(v, Palette.shape(v, 8));
    }
    ValueAxis x =
        sameLayers
            ? layerAxis(names, "layer (input on the left)")
            : ChartStyle.integerAxis("layer depth (0 = input)");
    NumberAxis y = new NumberAxis("log10 update ratio");
    XYPlot plot = new XYPlot(data, x, y, r);
    IntervalMarker band = new IntervalMarker(BAND_LOW, BAND_HIGH);
    band.setPaint(Palette.alpha(Palette.BAND, 0.12));
    band.setOutlinePaint(null);
    band.setLabel("healthy band −4 … −2");
    band.setLabelFont(ChartStyle.SMALL);
    band.setLabelPaint(new Color(0x00704F));
    band.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    band.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    band.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    plot.addRangeMarker(band, Layer.BACKGROUND);
    JFreeChart chart =
        new JFreeChart("Update : parameter ratio per layer", ChartStyle.TITLE, plot, true);
    ChartStyle.apply(chart);
    y.setAutoRangeIncludesZero(false);
    double lo = BAND_LOW - 0.5;
    double hi = BAND_HIGH + 0.5;
    for (int v = 0; v < data.getSeriesCount(); v++) {
      XYSeries s = data.getSeries(v);
      if (s.getItemCount() > 0) {
        lo = Math.min(lo, s.getMinY() - 0.3);
        hi = Math.max(hi, s.getMaxY() + 0.3);
      }
    }
    y.setRange(lo, hi);
    tiltIfCrowded(x, sameLayers ? names : List.of());
    return new ReportChart(
        "chart-update-ratio",
        "Update : parameter ratio",
        "The median over monitored steps of log10(mean |update| / mean |parameter|) per layer."
            + " Around −3 is healthy (the shaded band is −4 to −2): above it the learning rate is"
            + " probably too high for that layer, below it the layer barely learns.",
        chart,
        WIDTH,
        340);
  }

  /**
   * The monitored steps the profile shows: the first, the middle and the last step at which some
   * layer's gradient norm is finite (a run that diverged ends at its last finite step).
   */
  static List<Integer> profileSteps(LayerTable t) {
    int last = t.stepCount() - 1;
    while (last >= 0 && !anyFinite(t, last)) {
      last--;
    }
    int first = 0;
    while (first < last && !anyFinite(t, first)) {
      first++;
    }
    if (last < 0) {
      return List.of();
    }
    return new ArrayList<>(new LinkedHashSet<>(List.of(first, (first + last) / 2, last)));
  }

  private static boolean anyFinite(LayerTable t, int s) {
    for (int l = 0; l < t.layerCount(); l++) {
      double g = t.gradNorm(s, l);
      if (Double.isFinite(g) && g > 0) {
        return true;
      }
    }
    return false;
  }

  /** A domain axis that labels depth index {@code i} with the layer's name. */
  private static ValueAxis layerAxis(List<String> names, String label) {
    if (names.isEmpty()) {
      return ChartStyle.integerAxis("layer depth (0 = input)");
    }
    SymbolAxis axis = new SymbolAxis(label, names.toArray(new String[0]));
    axis.setGridBandsVisible(false);
    return axis;
  }

  private static void tiltIfCrowded(ValueAxis axis, List<String> names) {
    int longest = names.stream().mapToInt(String::length).max().orElse(0);
    if (axis instanceof SymbolAxis && longest * 6.4 + 8 > (WIDTH - 130.0) / names.size()) {
      axis.setVerticalTickLabels(true);
    }
  }

  /**
   * Viridis over {@code [lower, upper]}; NaN and +∞ (non-finite gradients) are grey, −∞ (a zero
   * gradient) takes the lowest colour.
   */
  static final class ViridisScale implements PaintScale {
    private final double lower;
    private final double upper;

    ViridisScale(double lower, double upper) {
      this.lower = lower;
      this.upper = upper > lower ? upper : lower + 1;
    }

    @Override
    public double getLowerBound() {
      return lower;
    }

    @Override
    public double getUpperBound() {
      return upper;
    }

    @Override
    public Paint getPaint(double value) {
      if (Double.isNaN(value) || value == Double.POSITIVE_INFINITY) {
        return Palette.NON_FINITE;
      }
      return Palette.viridis((value - lower) / (upper - lower));
    }
  }
}
