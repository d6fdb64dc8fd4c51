package org.gradguard.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side table that {@code gradguard compare} prints and the HTML report shows: one row
 * per variant with its verdict, final loss and accuracy (and, when a run scored a test set after
 * training, its test accuracy), the gradient-norm ratio of the first to the last layer, its health
 * events by kind ({@code EXPLODING×3, VANISHING×1}, most severe kind first) and its guard actions
 * by action, with the steps gradient clipping scaled ({@code skip×3, stop×1, clip×120}). As text
 * ({@link #format}): columns aligned with spaces, numbers right-aligned, no trailing spaces; lines
 * end with {@code \n}.
 */
public final class ComparisonTable {
  private ComparisonTable() {}

  private static final String[] HEADER = {
    "variant", "verdict", "final loss", "accuracy", "grad first/last", "events", "guard actions"
  };

  /** Whether each column is right-aligned. */
  private static final boolean[] RIGHT = {false, false, true, true, true, false, false};

  /** The column after {@code accuracy} when a run has a test score. */
  private static final String TEST_HEADER = "test acc";

  /** The index of {@code accuracy}, after which {@link #TEST_HEADER} goes. */
  private static final int ACCURACY = 3;

  /** Whether any run has a test accuracy, so that the table has a {@code test acc} column. */
  static boolean hasTest(List<RunSummary> summaries) {
    return summaries.stream().anyMatch(s -> !Double.isNaN(s.testAccuracy()));
  }

  /** The header, with the {@code test acc} column or without. */
  static String[] header(boolean withTest) {
    return withTest ? withTestColumn(HEADER, TEST_HEADER) : HEADER;
  }

  private static boolean right(int column, boolean withTest) {
    if (!withTest || column <= ACCURACY) {
      return RIGHT[column];
    }
    return column == ACCURACY + 1 || RIGHT[column - 1];
  }

  private static String[] withTestColumn(String[] row, String test) {
    String[] out = new String[row.length + 1];
    System.arraycopy(row, 0, out, 0, ACCURACY + 1);
    out[ACCURACY + 1] = test;
    System.arraycopy(row, ACCURACY + 1, out, ACCURACY + 2, row.length - ACCURACY - 1);
    return out;
  }

  /** The cells of one run's row, as {@link #format} prints them. */
  static String[] cells(RunSummary s, boolean withTest) {
    String[] row = {
      s.name(),
      s.verdictText(),
      Html.num(s.finalLoss(), false).replace("—", "-"),
      Double.isNaN(s.finalAccuracy()) ? "-" : Html.percent(s.finalAccuracy()),
      Double.isNaN(s.gradRatio()) ? "-" : Html.num(s.gradRatio(), false),
      s.eventKindsText(),
      s.actionKindsText()
    };
    if (!withTest) {
      return row;
    }
    return withTestColumn(
        row, Double.isNaN(s.testAccuracy()) ? "-" : Html.percent(s.testAccuracy()));
  }

  /** The table for every run of {@code model}, in order. */
  public static String format(ReportModel model) {
    List<RunSummary> summaries = RunSummary.of(model);
    boolean withTest = hasTest(summaries);
    String[] header = header(withTest);
    List<String[]> rows = new ArrayList<>();
    rows.add(header);
    for (RunSummary s : summaries) {
      rows.add(cells(s, withTest));
    }
    int[] width = new int[header.length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c].codePointCount(0, r[c].length()));
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      line(b, rows.get(i), width, withTest);
      if (i == 0) {
        String[] rule = new String[header.length];
        for (int c = 0; c < rule.length; c++) {
          rule[c] = "-".repeat(width[c]);
        }
        line(b, rule, width, withTest);
      }
    }
    return b.toString();
  }

  /**
   * The table as an HTML {@code <table>} (cells escaped, numeric columns right-aligned), for the
   * report's summary.
   */
  static String html(List<RunSummary> summaries) {
    boolean withTest = hasTest(summaries);
    String[] header = header(withTest);
    StringBuilder b = new StringBuilder("<table class=\"compare\">\n<thead><tr>");
    for (int c = 0; c < header.length; c++) {
      b.append(right(c, withTest) ? "<th class=\"num\">" : "<th>")
          .append(Html.esc(header[c]))
          .append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (RunSummary s : summaries) {
      String[] cells = cells(s, withTest);
      b.append("<tr>");
      for (int c = 0; c < cells.length; c++) {
        b.append(right(c, withTest) ? "<td class=\"num\">" : "<td>")
            .append(Html.esc(cells[c]))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody>\n</table>\n").toString();
  }

  private static void line(StringBuilder b, String[] cells, int[] width, boolean withTest) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        l.append("  ");
      }
      int pad = width[c] - cells[c].codePointCount(0, cells[c].length());
      if (right(c, withTest)) {
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
