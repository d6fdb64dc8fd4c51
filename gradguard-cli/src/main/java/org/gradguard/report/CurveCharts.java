package org.gradguard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.gradguard.report.ReportModel.EpochPoint;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.StepPoint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Metric-versus-step charts with one colour (and dash) per variant: loss, accuracy and the global
 * gradient norm. Noisy per-step series are drawn faintly with an exponential moving average on top;
 * per-epoch validation values are drawn with markers. Package-private.
 */
final class CurveCharts {
  private CurveCharts() {}

  static final int WIDTH = 920;
  static final int HEIGHT = 360;

  /** Draws loss on a log axis when its finite positive values span more than this factor. */
  static final double LOG_LOSS_SPAN = 30;

  /** The loss chart; {@code logScale} null chooses by the span of the values. */
  static ReportChart loss(ReportModel model, Boolean logScale) {
    boolean anyVal = anyEpoch(model, EpochPoint::valLoss);
    Curves curves = new Curves();
    for (int i = 0; i < model.runs().size(); i++) {
      Run run = model.runs().get(i);
      curves.steps(i, run.name(), run.steps(), StepPoint::loss, true);
      if (anyVal) {
        curves.epochs(i, run.name() + " (validation)", run.epochs(), EpochPoint::valLoss);
      }
    }
    boolean log = logScale != null ? logScale : curves.span() > LOG_LOSS_SPAN;
    ValueAxis y =
        log
            ? ChartStyle.logAxis("loss (log scale)", curves.min, curves.max, 0)
            : new NumberAxis("loss");
    JFreeChart chart = curves.chart("Training loss", y);
    markDivergence(model, chart.getXYPlot());
    return new ReportChart(
        "chart-loss",
        "Loss",
        "Training loss per step: thin lines are the raw values, bold lines an exponential moving"
            + " average"
            + (anyVal ? "; markers are the validation loss at the end of each epoch" : "")
            + ". A vertical line marks the first step whose loss was not finite."
            + (log ? " The loss axis is logarithmic." : ""),
        ChartStyle.apply(chart),
        WIDTH,
        HEIGHT);
  }

  /** The accuracy chart, or null when no run recorded an accuracy. */
  static ReportChart accuracy(ReportModel model) {
    boolean anyStep = anyStep(model, StepPoint::accuracy);
    boolean anyVal = anyEpoch(model, EpochPoint::valAccuracy);
    if (!anyStep && !anyVal) {
      return null;
    }
    Curves curves = new Curves();
    for (int i = 0; i < model.runs().size(); i++) {
      Run run = model.runs().get(i);
      if (anyStep) {
        curves.steps(i, run.name(), run.steps(), StepPoint::accuracy, true);
      }
      if (anyVal) {
        String name = anyStep ? run.name() + " (validation)" : run.name();
        curves.epochs(i, name, run.epochs(), EpochPoint::valAccuracy);
      }
    }
    NumberAxis y = new NumberAxis("accuracy");
    y.setNumberFormatOverride(NumberFormat.getPercentInstance(Locale.ROOT));
    JFreeChart chart = curves.chart("Accuracy", y);
    y.setRange(0, 1.02);
    return new ReportChart(
        "chart-accuracy",
        "Accuracy",
        anyStep
            ? "Training accuracy per batch (moving average in bold)"
                + (anyVal ? "; markers: validation accuracy at the end of each epoch." : ".")
            : "Validation accuracy at the end of each epoch.",
        ChartStyle.apply(chart),
        WIDTH,
        HEIGHT);
  }

  /** The global gradient norm per step, on a log axis. */
  static ReportChart gradNorm(ReportModel model) {
    Curves curves = new Curves();
    for (int i = 0; i < model.runs().size(); i++) {
      Run run = model.runs().get(i);
      curves.steps(i, run.name(), run.steps(), StepPoint::gradNorm, false);
    }
    JFreeChart chart =
        curves.chart(
            "Global gradient norm",
            ChartStyle.logAxis("‖g‖₂ before clipping (log)", curves.min, curves.max, 1));
    markDivergence(model, chart.getXYPlot());
    return new ReportChart(
        "chart-grad-norm",
        "Global gradient norm",
        "The norm of the whole gradient at each step, before any clipping, on a log scale. Spikes"
            + " of one or two decades are what clipping and the spike guard are for; a steady climb"
            + " is exploding gradients.",
        ChartStyle.apply(chart),
        WIDTH,
        HEIGHT);
  }

  private static void markDivergence(ReportModel model, XYPlot plot) {
    for (int i = 0; i < model.runs().size(); i++) {
      RunSummary s = RunSummary.of(model.runs().get(i));
      if (s.firstNonFiniteStep() >= 0) {
        ValueMarker m = new ValueMarker(s.firstNonFiniteStep());
        m.setPaint(Palette.variant(i));
        m.setStroke(
            new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
        m.setLabel("non-finite: " + s.name());
        m.setLabelFont(ChartStyle.SMALL);
        m.setLabelPaint(Palette.variant(i));
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addDomainMarker(m, Layer.FOREGROUND);
      }
    }
  }

  private static boolean anyStep(ReportModel model, ToDoubleFunction<StepPoint> f) {
    return model.runs().stream()
        .flatMap(r -> r.steps().stream())
        .anyMatch(p -> Double.isFinite(f.applyAsDouble(p)));
  }

  private static boolean anyEpoch(ReportModel model, ToDoubleFunction<EpochPoint> f) {
    return model.runs().stream()
        .flatMap(r -> r.epochs().stream())
        .anyMatch(p -> Double.isFinite(f.applyAsDouble(p)));
  }

  /**
   * The EMA weight for {@code n} points: about {@code n / 40} points of memory, as TensorBoard's
   * smoothing slider at a comparable setting.
   */
  static double smoothing(int n) {
    return n < 60 ? 0 : 1 - 40.0 / n;
  }

  /** Builds the series and their styles; faint raw series are drawn beneath everything else. */
  private static final class Curves {
    private record Styled(
        XYSeries series,
        int variant,
        Color paint,
        BasicStroke stroke,
        boolean markers,
        boolean legend) {}

    private final List<Styled> background = new ArrayList<>();
    private final List<Styled> foreground = new ArrayList<>();
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    void steps(
        int variant,
        String name,
        List<StepPoint> points,
        ToDoubleFunction<StepPoint> f,
        boolean smooth) {
      XYSeries raw = new XYSeries(name + " (raw)", false, true);
      XYSeries avg = new XYSeries(name, false, true);
      int n = 0;
      for (StepPoint p : points) {
        if (Double.isFinite(f.applyAsDouble(p))) {
          n++;
        }
      }
      double w = smooth ? smoothing(n) : 0;
      double ema = 0;
      double weight = 0;
      for (StepPoint p : points) {
        double v = f.applyAsDouble(p);
        if (!Double.isFinite(v)) {
          continue;
        }
        note(v);
        raw.add(p.step(), v);
        ema = w * ema + (1 - w) * v;
        weight = w * weight + (1 - w);
        avg.add(p.step(), ema / weight);
      }
      Color c = Palette.variant(variant);
      if (w > 0) {
        background.add(
            new Styled(raw, variant, Palette.alpha(c, 0.3), new BasicStroke(1f), false, false));
        foreground.add(
            new Styled(avg, variant, c, (BasicStroke) Palette.stroke(variant, 2.2f), false, true));
      } else {
        foreground.add(
            new Styled(avg, variant, c, (BasicStroke) Palette.stroke(variant, 1.6f), false, true));
      }
    }

    void epochs(int variant, String name, List<EpochPoint> points, ToDoubleFunction<EpochPoint> f) {
      XYSeries s = new XYSeries(name, false, true);
      for (EpochPoint p : points) {
        double v = f.applyAsDouble(p);
        if (Double.isFinite(v)) {
          note(v);
          s.add(p.step(), v);
        }
      }
      if (s.getItemCount() > 0) {
        foreground.add(
            new Styled(s, variant, Palette.variant(variant), new BasicStroke(1.2f), true, true));
      }
    }

    private void note(double v) {
      if (v > 0) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }

    /** max / min of the finite positive values (1 when there are none). */
    double span() {
      return max > 0 ? max / min : 1;
    }

    JFreeChart chart(String title, ValueAxis y) {
      XYSeriesCollection data = new XYSeriesCollection();
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
      List<Styled> all = new ArrayList<>(background);
      all.addAll(foreground);
      for (int i = 0; i < all.size(); i++) {
        Styled s = all.get(i);
        data.addSeries(s.series());
        r.setSeriesPaint(i, s.paint());
        r.setSeriesStroke(i, s.stroke());
        r.setSeriesShapesVisible(i, s.markers());
        r.setSeriesShapesFilled(i, true);
        r.setSeriesShape(i, Palette.shape(s.variant(), 7));
        r.setSeriesVisibleInLegend(i, s.legend());
      }
      r.setDrawSeriesLineAsPath(true);
      XYPlot plot = new XYPlot(data, ChartStyle.integerAxis("step"), y, r);
      plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
      return new JFreeChart(title, ChartStyle.TITLE, plot, true);
    }
  }
}
