package org.gradguard.health;

import java.util.Locale;

/** Number formatting for messages people read: short, locale-independent. */
final class Fmt {
  private Fmt() {}

  /** Two or three significant digits: {@code 0.52}, {@code 13.4}, {@code 3.1e-09}, {@code NaN}. */
  static String num(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Inf" : "-Inf";
    }
    double a = Math.abs(x);
    if (a == 0) {
      return "0";
    }
    if (a >= 1e-3 && a < 1e4) {
      String s = String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.3g", x);
      return s.contains(".") && !s.contains("e")
          ? s.replaceAll("0+$", "").replaceAll("\\.$", "")
          : s;
    }
    return String.format(Locale.ROOT, "%.1e", x).replace("e+0", "e+").replace("e-0", "e-");
  }

  /** A fraction as a percentage: {@code 37%}. */
  static String pct(double f) {
    return Double.isNaN(f) ? "NaN" : String.format(Locale.ROOT, "%.0f%%", 100 * f);
  }
}
