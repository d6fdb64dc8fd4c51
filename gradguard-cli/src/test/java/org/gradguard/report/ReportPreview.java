package org.gradguard.report;

import java.nio.file.Path;

/**
 * Writes the generated report for a person to look at: {@code ReportPreview OUT.html [PNG_DIR]}.
 */
final class ReportPreview {
  private ReportPreview() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    HtmlReport.write(FakeRuns.model(), Path.of(args[0]), args.length > 1 ? Path.of(args[1]) : null);
    System.out.println("wrote " + args[0] + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    System.out.print(ComparisonTable.format(FakeRuns.model()));
  }
}
