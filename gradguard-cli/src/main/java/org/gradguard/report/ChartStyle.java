package org.gradguard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The report's chart look (white ground, light grid, no frames, one type scale) and the PNG
 * rendering. Rendering is headless: {@code java.awt.headless} is set to {@code true} when this
 * class loads, unless the caller has set it. Package-private.
 */
final class ChartStyle {
  static {
    ensureHeadless();
  }

  private ChartStyle() {}

  /** Sets {@code java.awt.headless=true} unless the caller chose; call before any AWT drawing. */
  static void ensureHeadless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** The device pixels per CSS pixel of the PNGs: sharp on high-density screens and in print. */
  static final int SCALE = 2;

  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

  /** Applies the look to {@code chart}: title, legend, plot and every axis. */
  static JFreeChart apply(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setBorderVisible(false);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setPadding(new RectangleInsets(6, 6, 6, 10));
    TextTitle title = chart.getTitle();
    if (title != null) {
      title.setFont(TITLE);
      title.setPaint(Palette.INK);
      title.setHorizontalAlignment(HorizontalAlignment.LEFT);
      title.setPadding(new RectangleInsets(2, 8, 6, 2));
    }
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(LABEL);
      legend.setItemPaint(Palette.INK);
      legend.setFrame(BlockBorder.NONE);
      legend.setBackgroundPaint(Color.WHITE);
      legend.setPosition(RectangleEdge.TOP);
      legend.setHorizontalAlignment(HorizontalAlignment.LEFT);
      legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
    }
    if (chart.getPlot() instanceof XYPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setOutlineVisible(false);
      plot.setDomainGridlinePaint(Palette.GRID);
      plot.setRangeGridlinePaint(Palette.GRID);
      plot.setDomainGridlineStroke(new BasicStroke(0.8f));
      plot.setRangeGridlineStroke(new BasicStroke(0.8f));
      plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
      plot.setNoDataMessage("No data recorded");
      plot.setNoDataMessageFont(LABEL);
      plot.setNoDataMessagePaint(Palette.MUTED);
      for (int i = 0; i < plot.getDomainAxisCount(); i++) {
        axis(plot.getDomainAxis(i));
      }
      for (int i = 0; i < plot.getRangeAxisCount(); i++) {
        axis(plot.getRangeAxis(i));
      }
    }
    return chart;
  }

  static void axis(Axis axis) {
    if (axis == null) {
      return;
    }
    axis.setLabelFont(LABEL);
    axis.setLabelPaint(Palette.INK);
    axis.setTickLabelFont(TICK);
    axis.setTickLabelPaint(Palette.MUTED);
    axis.setAxisLinePaint(new Color(0xBBBBBB));
    axis.setTickMarkPaint(new Color(0xBBBBBB));
    if (axis instanceof NumberAxis n) {
      n.setAutoRangeIncludesZero(false);
    }
    if (axis instanceof ValueAxis v) {
      v.setLowerMargin(0.02);
      v.setUpperMargin(0.02);
    }
  }

  /**
   * A base-10 logarithmic axis for values in {@code [lo, hi]} with round ticks ({@link
   * NiceLogAxis}); the range covers at least {@code minDecades} decades around the data, so that
   * small wiggles do not look like big changes.
   */
  static ValueAxis logAxis(String label, double lo, double hi, double minDecades) {
    NiceLogAxis axis = new NiceLogAxis(label);
    if (lo > 0 && hi >= lo && Double.isFinite(hi)) {
      double a = Math.log10(lo);
      double b = Math.log10(hi);
      double pad = Math.max(0.04 * (b - a), 0.5 * Math.max(0, minDecades - (b - a)));
      axis.setAutoRange(false);
      axis.setRange(Math.pow(10, a - Math.max(pad, 0.02)), Math.pow(10, b + Math.max(pad, 0.02)));
    }
    return axis;
  }

  /** An axis with plain integer ticks (steps, epochs, depth). */
  static NumberAxis integerAxis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  /** Renders {@code c} as a PNG of {@code width × height} CSS pixels at {@link #SCALE}. */
  static byte[] png(ReportChart c) {
    int w = c.width() * SCALE;
    int h = c.height() * SCALE;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.scale(SCALE, SCALE);
      c.chart().draw(g, new Rectangle2D.Double(0, 0, c.width(), c.height()));
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    // In memory, not ImageIO.createImageOutputStream: that one caches in a temporary file and
    // registers a JVM shutdown hook to delete it, which fails while a Ctrl-C is writing the report.
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (param.canWriteCompressed()) {
        // the default (maximum deflate) is ~10× slower for ~10% smaller files
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.5f);
      }
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("ChartStyle: encoding " + c.id() + " as PNG", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
