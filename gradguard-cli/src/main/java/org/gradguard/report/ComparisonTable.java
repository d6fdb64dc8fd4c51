package org.gradguard.report;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.report.ReportModel.Severity;

/**
 * The side-by-side table that {@code gradguard compare} prints: one row per variant with its
 * verdict, final loss and accuracy, the gradient-norm ratio of the first to the last layer, its
 * events (critical / warning / info) and its guard actions. Plain text, columns aligned with
 * spaces, numbers right-aligned, no trailing spaces; lines end with {@code \n}.
 */
public final class ComparisonTable {
  private ComparisonTable() {}

  private static final String[] HEADER = {
    "variant",
    "verdict",
    "final loss",
    "accuracy",
    "grad first/last",
    "events c/w/i",
    "guard actions"
  };

  /** Whether each column is right-aligned. */
  private static final boolean[] RIGHT = {false, false, true, true, true, true, true};

  /** The table for every run of {@code model}, in order. */
  public static String format(ReportModel model) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (RunSummary s : RunSummary.of(model)) {
      rows.add(
          new String[] {
            s.name(),
            s.verdict().label(),
            Html.num(s.finalLoss(), false).replace("—", "-"),
            Double.isNaN(s.finalAccuracy()) ? "-" : Html.percent(s.finalAccuracy()),
            Double.isNaN(s.gradRatio()) ? "-" : Html.num(s.gradRatio(), false),
            s.events().get(Severity.CRITICAL)
                + "/"
                + s.events().get(Severity.WARNING)
                + "/"
                + s.events().get(Severity.INFO),
            Integer.toString(s.actions())
          });
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
