package org.gradguard.report;

import java.util.Objects;
import org.jfree.chart.JFreeChart;

/**
 * One chart of a report: a JFreeChart with the element id it gets in the HTML (also the PNG file
 * name), a heading and a caption that says how to read it.
 *
 * @param id the HTML element id and PNG base name ({@code chart-loss}, {@code chart-heatmap-2})
 * @param heading the figure's heading
 * @param caption how to read the chart, one or two sentences
 * @param chart the chart
 * @param width the width in CSS pixels
 * @param height the height in CSS pixels
 */
public record ReportChart(
    String id, String heading, String caption, JFreeChart chart, int width, int height) {
  public ReportChart {
    Objects.requireNonNull(id, "id");
    if (!id.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException(
          "ReportChart: id must be lower-case letters, digits and '-', got '" + id + "'");
    }
    Objects.requireNonNull(chart, "chart");
    if (width < 50 || height < 50) {
      throw new IllegalArgumentException(
          "ReportChart: width and height must be >= 50, got " + width + "x" + height);
    }
  }
}
