package org.gradguard.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis with round ticks: 1-2-5 steps (0.2, 0.5, 1, 2, 5) over a short range, whole
 * decades (10⁻³, 10⁻², ...) over a long one, thinned to every k-th decade over a very long one.
 * JFreeChart's own log axes label fractional powers (10^0.2) or nothing on short ranges. Only the
 * tick choice is changed; scaling and drawing are {@link LogAxis}'s. Package-private.
 */
final class NiceLogAxis extends LogAxis {
  private static final long serialVersionUID = 1L;

  NiceLogAxis(String label) {
    super(label);
    setBase(10);
    setSmallestValue(1e-300);
    setMinorTickMarksVisible(false);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public List refreshTicks(
      Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
    double lo = getLowerBound();
    double hi = getUpperBound();
    boolean vertical = RectangleEdge.isLeftOrRight(edge);
    double room = vertical ? dataArea.getHeight() / 22 : dataArea.getWidth() / 60;
    List<NumberTick> out = new ArrayList<>();
    List<Double> values = ticks(lo, hi, Math.max(2, (int) room));
    boolean powers = hi / lo > 1e4;
    for (double v : values) {
      TextAnchor anchor;
      if (vertical) {
        anchor = edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT;
      } else {
        anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
      }
      out.add(new NumberTick(TickType.MAJOR, v, label(v, powers), anchor, anchor, 0.0));
    }
    return out;
  }

  /** Round tick values in {@code [lo, hi]}, at most about {@code max} of them. */
  static List<Double> ticks(double lo, double hi, int max) {
    List<Double> out = new ArrayList<>();
    if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi)) {
      return out;
    }
    int kLo = (int) Math.floor(Math.log10(lo));
    int kHi = (int) Math.ceil(Math.log10(hi));
    // over more than four decades, powers of ten only (labels 10ⁿ read alike; no 3×10ⁿ)
    double[][] mantissas =
        hi / lo > 1e4
            ? new double[][] {{1}}
            : new double[][] {{1, 2, 3, 5}, {1, 2, 5}, {1, 3}, {1}};
    for (double[] m : mantissas) {
      out.clear();
      for (int k = kLo; k <= kHi; k++) {
        for (double mant : m) {
          double v = Double.parseDouble((int) mant + "e" + k); // exact decimals: 0.3, not 0.30…04
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
            out.add(v);
          }
        }
      }
      if (out.size() <= max) {
        return out;
      }
    }
    int step = 1;
    for (int candidate : new int[] {2, 3, 5, 10, 20, 25, 50, 100}) {
      if ((kHi - kLo) / step + 1 <= max) {
        break;
      }
      step = candidate;
    }
    out.clear();
    for (int k = Math.floorDiv(kLo, step) * step; k <= kHi; k += step) {
      double v = Double.parseDouble("1e" + k);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * {@code 0.5}, {@code 20}, {@code 10⁻⁴}, {@code 2×10⁻⁵}; with {@code powers} (an axis over more
   * than four decades) every label is a power of ten, so they read alike.
   */
  static String label(double v, boolean powers) {
    if (!powers && v >= 1e-3 && v < 1e5) {
      String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
      return s;
    }
    int k = (int) Math.floor(Math.log10(v) + 1e-9);
    long mant = Math.round(v / Math.pow(10, k));
    if (mant == 10) {
      mant = 1;
      k++;
    }
    return (mant == 1 ? "" : mant + "×") + "10" + superscript(k);
  }

  private static String superscript(int k) {
    String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    StringBuilder b = new StringBuilder();
    if (k < 0) {
      b.append('⁻');
    }
    for (char c : Integer.toString(Math.abs(k)).toCharArray()) {
      b.append(digits.charAt(c - '0'));
    }
    return b.toString();
  }
}
