package org.gradguard.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.StepPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of the generated 3-variant model: every chart, embedded, offline, and as PNGs. */
class HtmlReportTest {
  @TempDir static Path tmp;

  static String html;
  static List<String> ids;

  static final List<String> EXPECTED =
      List.of(
          "chart-loss",
          "chart-accuracy",
          "chart-grad-norm",
          "chart-grad-profile-0",
          "chart-grad-profile-1",
          "chart-grad-profile-2",
          "chart-heatmap-0",
          "chart-heatmap-1",
          "chart-heatmap-2",
          "chart-update-ratio",
          "chart-events");

  @BeforeAll
  static void render() throws IOException {
    ids = HtmlReport.write(FakeRuns.model(), tmp.resolve("out/report.html"), tmp.resolve("png"));
    html = Files.readString(tmp.resolve("out/report.html"), StandardCharsets.UTF_8);
  }

  @Test
  void theSummaryHasTheComparisonTable() {
    String table = ComparisonTable.html(RunSummary.of(FakeRuns.model()));
    int at = html.indexOf(table);
    assertTrue(at > 0, "the comparison table is in the report");
    assertTrue(at < html.indexOf("id=\"curves\""), "in the summary, before the curves");
  }

  @Test
  void everyChartIsAFigureWithAnEmbeddedPngOfItsSize() throws IOException {
    assertEquals(EXPECTED, ids);
    for (String id : EXPECTED) {
      Matcher m =
          Pattern.compile(
                  "<figure id=\""
                      + id
                      + "\">\\s*<img alt=\"[^\"]+\" width=\"(\\d+)\" height=\"(\\d+)\""
                      + " src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">\\s*<figcaption><b>")
              .matcher(html);
      assertTrue(m.find(), id + " is missing or has no embedded PNG");
      byte[] png = Base64.getDecoder().decode(m.group(3));
      int[] size = pngSize(png, id);
      assertEquals(Integer.parseInt(m.group(1)) * ChartStyle.SCALE, size[0], id);
      assertEquals(Integer.parseInt(m.group(2)) * ChartStyle.SCALE, size[1], id);
      assertTrue(size[0] >= 1000 && size[1] >= 400, id + " is too small");
      if (id.equals("chart-loss")) {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(size[0], image.getWidth(), "the PNG decodes");
      }
      assertTrue(png.length > 10_000, id + ": " + png.length + " bytes is too few for a chart");
      assertFalse(m.find(), id + " appears twice");
    }
    assertEquals(EXPECTED.size(), count(html, "<figure id="));
  }

  @Test
  void nothingPointsOutsideTheFile() {
    assertFalse(Pattern.compile("(?i)(https?:|ftp:|file:)").matcher(html).find(), "a URL scheme");
    String text = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "data:");
    assertFalse(text.contains("//"), "a protocol-relative reference or URL");
    assertFalse(Pattern.compile("(?i)(url\\(|@import|<link|<script|<iframe)").matcher(text).find());
    Matcher refs = Pattern.compile("(?i)\\b(src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    int n = 0;
    while (refs.find()) {
      String v = refs.group(2);
      assertTrue(
          v.startsWith("data:image/png;base64,") || v.startsWith("#"),
          refs.group(1) + "=\"" + v.substring(0, Math.min(40, v.length())) + "\"");
      n++;
    }
    assertTrue(n >= EXPECTED.size() + 8, "the charts and the table of contents: " + n);
  }

  @Test
  void pngDirectoryHoldsOneFilePerChartEqualToTheEmbeddedOne() throws IOException {
    List<String> names;
    try (Stream<Path> s = Files.list(tmp.resolve("png"))) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> expected = new ArrayList<>(EXPECTED.stream().map(id -> id + ".png").toList());
    expected.sort(null);
    assertEquals(expected, names, "no temporary files either");
    for (String id : EXPECTED) {
      byte[] file = Files.readAllBytes(tmp.resolve("png").resolve(id + ".png"));
      Matcher m =
          Pattern.compile("<figure id=\"" + id + "\">[^>]*? src=\"data:image/png;base64,([^\"]+)\"")
              .matcher(html.replace("\n", " "));
      assertTrue(m.find(), id);
      assertArrayEquals(Base64.getDecoder().decode(m.group(1)), file, id);
    }
    try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
      assertEquals(List.of("report.html"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void summaryShowsEachVariantWithItsVerdictAndNumbers() {
    assertTrue(html.contains("<span class=\"badge warning\">Warnings</span>"), "baseline");
    assertTrue(html.contains("<span class=\"badge healthy\">Healthy</span>"), "residual+clip");
    assertTrue(html.contains("<span class=\"badge diverged\">Diverged</span>"), "high-lr");
    assertTrue(html.contains("<dt>non-finite from</dt><dd>step 170</dd>"));
    assertTrue(html.contains("<dt>grad first / last</dt><dd>4.14e-6 <small>(vanishing)</small>"));
    for (String section :
        List.of(
            "summary",
            "curves",
            "gradient-flow",
            "heatmaps",
            "update-ratio",
            "events",
            "findings",
            "config")) {
      assertTrue(html.contains("<h2 id=\"" + section + "\">"), section);
      assertTrue(html.contains("<a href=\"#" + section + "\">"), section);
    }
    assertTrue(html.contains("Gradients vanish toward the input"), "a finding");
    assertTrue(html.contains("<li>Add residual connections</li>"), "a remedy");
    assertTrue(html.contains("activation: sigmoid"), "the config");
    assertTrue(html.contains("<th>seed</th><td class=\"mono\">42</td>"), "the provenance");
    // each variant's colour is the same in its card and its headings
    assertTrue(count(html, "--c:#0072B2") >= 4 && count(html, "--c:#E69F00") >= 4);
  }

  @Test
  void chartsFollowWhatWasRecorded() {
    Run run = FakeRuns.model().runs().get(0);
    List<StepPoint> noAccuracy =
        run.steps().stream()
            .map(p -> new StepPoint(p.step(), p.loss(), p.lr(), p.gradNorm(), Double.NaN))
            .toList();
    Run plain =
        new Run(
            "<b>&\"x\"",
            Map.of(),
            "",
            noAccuracy,
            List.of(),
            run.layers(),
            List.of(),
            List.of(),
            List.of(),
            List.of());
    ReportModel model = new ReportModel("t", List.of(plain));
    List<String> charts = HtmlReport.charts(model).stream().map(ReportChart::id).toList();
    assertFalse(charts.contains("chart-accuracy"), "no accuracy recorded, no accuracy chart");
    assertEquals(6, charts.size(), charts.toString());
    assertNull(CurveCharts.accuracy(model));
    assertEquals("&lt;b&gt;&amp;&quot;x&quot;", Html.esc(plain.name()));
  }

  /** Width and height from a PNG's signature and IHDR chunk (PNG spec, section 11.2.2). */
  static int[] pngSize(byte[] png, String what) {
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    assertTrue(png.length > 33, what + ": too short for a PNG");
    for (int i = 0; i < signature.length; i++) {
      assertEquals(signature[i], png[i], what + ": PNG signature byte " + i);
    }
    assertEquals("IHDR", new String(png, 12, 4, StandardCharsets.US_ASCII), what);
    ByteBuffer b = ByteBuffer.wrap(png, 16, 8);
    return new int[] {b.getInt(), b.getInt()};
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
