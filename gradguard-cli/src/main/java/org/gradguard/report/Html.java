package org.gradguard.report;

import java.util.Locale;

/** HTML escaping and number formatting for the report. Package-private. */
final class Html {
  private Html() {}

  /** {@code s} with {@code & < > " '} escaped, for text and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A number for people: 4 significant digits, scientific notation outside [1e-3, 1e5), "NaN",
   * "+∞"/"−∞", and "—" for NaN when {@code dashForNaN}.
   */
  static String num(double v, boolean dashForNaN) {
    if (Double.isNaN(v)) {
      return dashForNaN ? "—" : "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+∞" : "−∞";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1e-3 && a < 1e5) {
      String s = String.format(Locale.ROOT, "%.4g", v);
      if (s.contains(".") && !s.contains("e")) {
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
      }
      return s;
    }
    String[] parts = String.format(Locale.ROOT, "%.2e", v).split("e");
    return parts[0] + "e" + Integer.parseInt(parts[1]);
  }

  /** A number with "—" for NaN. */
  static String num(double v) {
    return num(v, true);
  }

  /** An accuracy in [0, 1] as a percentage with one decimal, "—" for NaN. */
  static String percent(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  /** {@code s} with its first letter in upper case. */
  static String capitalize(String s) {
    if (s == null || s.isEmpty() || !Character.isLowerCase(s.charAt(0))) {
      return s;
    }
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** {@code s}, cut to {@code max} chars with "…" when longer. */
  static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
