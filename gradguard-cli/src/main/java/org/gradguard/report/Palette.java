package org.gradguard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import org.gradguard.report.ReportModel.Severity;

/**
 * The report's colours, line styles and marker shapes, chosen to stay distinguishable for readers
 * with colour-vision deficiency and on a black-and-white print.
 *
 * <p>Variant colours are the Okabe–Ito palette (Okabe &amp; Ito 2008, "Color Universal Design"),
 * with yellow dropped (too faint on white), then four darker colours from Paul Tol's "muted" scheme
 * (wine, olive, indigo) and a dark brown, so that eleven variants get eleven distinct colours; each
 * variant also has its own dash pattern and marker shape, so curves stay apart in greyscale. The
 * heatmap uses viridis (van der Walt &amp; Smith 2015), perceptually uniform and monotone in
 * lightness. Package-private.
 */
final class Palette {
  private Palette() {}

  /**
   * Okabe–Ito: blue, orange, bluish green, reddish purple, vermillion, sky blue, black; then Tol's
   * wine, olive, indigo, and a dark brown.
   */
  private static final Color[] VARIANTS = {
    new Color(0x0072B2),
    new Color(0xE69F00),
    new Color(0x009E73),
    new Color(0xCC79A7),
    new Color(0xD55E00),
    new Color(0x56B4E9),
    new Color(0x000000),
    new Color(0x882255),
    new Color(0x999933),
    new Color(0x332288),
    new Color(0x7F3C00),
  };

  private static final float[][] DASHES = {
    null,
    {7f, 4f},
    {2f, 3f},
    {9f, 3f, 2f, 3f},
    {4f, 2f},
    {12f, 4f},
    {2f, 2f, 6f, 2f},
    {5f, 5f},
    {1f, 2f},
    {10f, 2f, 2f, 2f, 2f, 2f},
    {3f, 6f},
  };

  /** How many variants get a colour and a dash pattern of their own. */
  static final int DISTINCT = VARIANTS.length;

  /** Viridis at 0, 1/8, ..., 1 (matplotlib's table at those points). */
  private static final int[] VIRIDIS = {
    0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725,
  };

  static final Color INK = new Color(0x222222);
  static final Color MUTED = new Color(0x666666);
  static final Color GRID = new Color(0xE3E3E3);
  static final Color BAND = new Color(0x009E73);
  static final Color NON_FINITE = new Color(0xBDBDBD);

  /** The colour of the {@code i}-th variant (cycling after {@link #DISTINCT}). */
  static Color variant(int i) {
    return VARIANTS[Math.floorMod(i, VARIANTS.length)];
  }

  /** The colour of the {@code i}-th variant as CSS {@code #rrggbb}. */
  static String css(int i) {
    return css(variant(i));
  }

  static String css(Color c) {
    return String.format(Locale.ROOT, "#%06X", c.getRGB() & 0xFFFFFF);
  }

  /** The line of the {@code i}-th variant: solid for the first, then dashed patterns. */
  static Stroke stroke(int i, float width) {
    float[] dash = DASHES[Math.floorMod(i, DASHES.length)];
    return dash == null
        ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
        : new BasicStroke(
            width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash.clone(), 0f);
  }

  /** The marker of the {@code i}-th variant (circle, square, triangles, diamond, ...). */
  static Shape shape(int i, double size) {
    return switch (Math.floorMod(i, 6)) {
      case 0 -> circle(size);
      case 1 -> square(size);
      case 2 -> triangle(size, true);
      case 3 -> diamond(size);
      case 4 -> triangle(size, false);
      default -> cross(size);
    };
  }

  /** {@code c} mixed with white: {@code amount} 0 keeps it, 1 gives white. */
  static Color lighter(Color c, double amount) {
    return new Color(
        mix(c.getRed(), 255, amount),
        mix(c.getGreen(), 255, amount),
        mix(c.getBlue(), 255, amount));
  }

  /** {@code c} with alpha {@code a} in [0, 1]. */
  static Color alpha(Color c, double a) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * a));
  }

  /** Event severities: grey-blue, orange, vermillion (Okabe–Ito). */
  static Color severity(Severity s) {
    return switch (s) {
      case INFO -> new Color(0x56B4E9);
      case WARNING -> new Color(0xE69F00);
      case CRITICAL -> new Color(0xD55E00);
    };
  }

  /** Viridis at {@code t} in [0, 1] (clamped), linearly interpolated between table points. */
  static Color viridis(double t) {
    double x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    int i = Math.min((int) x, VIRIDIS.length - 2);
    double f = x - i;
    Color a = new Color(VIRIDIS[i]);
    Color b = new Color(VIRIDIS[i + 1]);
    return new Color(
        mix(a.getRed(), b.getRed(), f),
        mix(a.getGreen(), b.getGreen(), f),
        mix(a.getBlue(), b.getBlue(), f));
  }

  /** The marker of an event kind: each kind its own shape, so kinds read without colour. */
  static Shape eventShape(String kind, double size) {
    return switch (kind.toUpperCase(Locale.ROOT)) {
      case "NON_FINITE" -> cross(size * 1.15);
      case "EXPLODING" -> triangle(size * 1.15, true);
      case "VANISHING" -> triangle(size * 1.15, false);
      case "SATURATION" -> square(size * 0.9);
      case "DEAD_UNITS" -> diamond(size * 1.1);
      case "UPDATE_RATIO" -> circle(size);
      case "GUARD" -> bar(size * 1.4);
      default -> circle(size * 0.7);
    };
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round(a + (b - a) * f);
  }

  private static Shape circle(double s) {
    return new Ellipse2D.Double(-s / 2, -s / 2, s, s);
  }

  private static Shape square(double s) {
    double h = s * 0.85;
    return new Rectangle2D.Double(-h / 2, -h / 2, h, h);
  }

  private static Shape bar(double s) {
    return new Rectangle2D.Double(-s / 8, -s / 2, s / 4, s);
  }

  private static Shape triangle(double s, boolean up) {
    double h = s / 2;
    Path2D.Double p = new Path2D.Double();
    double d = up ? 1 : -1;
    p.moveTo(0, -h * d);
    p.lineTo(h, h * d);
    p.lineTo(-h, h * d);
    p.closePath();
    return p;
  }

  private static Shape diamond(double s) {
    double h = s / 2;
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -h);
    p.lineTo(h, 0);
    p.lineTo(0, h);
    p.lineTo(-h, 0);
    p.closePath();
    return p;
  }

  private static Shape cross(double s) {
    double h = s / 2;
    double w = s / 6;
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-h, -h + w);
    p.lineTo(-h + w, -h);
    p.lineTo(0, -w);
    p.lineTo(h - w, -h);
    p.lineTo(h, -h + w);
    p.lineTo(w, 0);
    p.lineTo(h, h - w);
    p.lineTo(h - w, h);
    p.lineTo(0, w);
    p.lineTo(-h + w, h);
    p.lineTo(-h, h - w);
    p.lineTo(-w, 0);
    p.closePath();
    return p;
  }
}
