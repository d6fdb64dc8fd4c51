/**
 * Reports of finished runs: one self-contained HTML file (charts rendered with JFreeChart and
 * embedded as PNG data URIs, no external URL) and the side-by-side text table of {@code gradguard
 * compare}.
 *
 * <p>{@link org.gradguard.report.ReportModel} holds what a report shows, independent of its source;
 * {@link org.gradguard.report.RunDirectories} reads it from run directories; {@link
 * org.gradguard.report.HtmlReport} writes the HTML (and optionally one PNG per chart); {@link
 * org.gradguard.report.ComparisonTable} formats the terminal table. Charts are rendered headless.
 */
package org.gradguard.report;
