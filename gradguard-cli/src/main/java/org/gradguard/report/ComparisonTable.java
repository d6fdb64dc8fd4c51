package org.gradguard.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side table that {@code gradguard compare} prints and the HTML report shows: one row
 * per variant with its verdict, final loss and accuracy, the gradient-norm ratio of the first to
 * the last layer, its health events by kind ({@code EXPLODING×3, VANISHING×1}, most severe kind
 * first) and its guard actions by action, with the steps gradient clipping scaled ({@code skip×3,
 * stop×1, clip×120}). As text ({@link #format}): columns aligned with spaces, numbers
 * right-aligned, no trailing spaces; lines end with {@code \n}.
 */
public final class ComparisonTable {
  private ComparisonTable() {}

  private static final String[] HEADER = {
    "variant", "verdict", "final loss", "accuracy", "grad first/last", "events", "guard actions"
  };

  /** Whether each column is right-aligned. */
  private static final boolean[] RIGHT = {false, false, true, true, true, false, false};

  /** The cells of one run's row, as {@link #format} prints them. */
  static String[] cells(RunSummary s) {
    return new String[] {
      s.name(),
      s.verdictText(),
      Html.num(s.finalLoss(), false).replace("—", "-"),
      Double.isNaN(s.finalAccuracy()) ? "-" : Html.percent(s.finalAccuracy()),
      Double.isNaN(s.gradRatio()) ? "-" : Html.num(s.gradRatio(), false),
      s.eventKindsText(),
      s.actionKindsText()
    };
  }

  /** The table for every run of {@code model}, in order. */
  public static String format(ReportModel model) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (RunSummary s : RunSummary.of(model)) {
      rows.add(cells(s));
    }
    int[] width = new int[HEADER.length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c].codePointCount(0, r[c].length()));
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      line(b, rows.get(i), width);
      if (i == 0) {
        String[] rule = new String[HEADER.length];
        for (int c = 0; c < rule.length; c++) {
          rule[c] = "-".repeat(width[c]);
        }
        line(b, rule, width);
      }
    }
    return b.toString();
  }

  /**
   * The table as an HTML {@code <table>} (cells escaped, numeric columns right-aligned), for the
   * report's summary.
   */
  static String html(List<RunSummary> summaries) {
    StringBuilder b = new StringBuilder("<table class=\"compare\">\n<thead><tr>");
    for (int c = 0; c < HEADER.length; c++) {
      b.append(RIGHT[c] ? "<th class=\"num\">" : "<th>")
          .append(Html.esc(HEADER[c]))
          .append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (RunSummary s : summaries) {
      String[] cells = cells(s);
      b.append("<tr>");
      for (int c = 0; c < cells.length; c++) {
        b.append(RIGHT[c] ? "<td class=\"num\">" : "<td>")
            .append(Html.esc(cells[c]))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody>\n</table>\n").toString();
  }

  private static void line(StringBuilder b, String[] cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        l.append("  ");
      }
      int pad = width[c] - cells[c].codePointCount(0, cells[c].length());
      if (RIGHT[c]) {
        l.append(" ".repeat(pad)).append(cells[c]);
      } else {
        l.append(cells[c]).append(" ".repeat(pad));
      }
    }
    int end = l.length();
    while (end > 0 && l.charAt(end - 1) == ' ') {
      end--;
    }
    b.append(l, 0, end).append('\n');
  }
}
