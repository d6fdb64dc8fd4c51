package org.gradguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.Severity;
import org.gradguard.tensor.io.Json;
import org.gradguard.train.FitResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading run directories that the Trainer really wrote. */
class RunDirectoriesTest {
  @TempDir static Path tmp;

  static Path exp;
  static List<FitResult> results;

  @BeforeAll
  static void train() {
    exp = tmp.resolve("five-remedies");
    results = TrainedRuns.write(exp);
  }

  @Test
  void aComparisonDirectoryReadsAsItsRunsBaselineFirst() throws IOException {
    ReportModel m = RunDirectories.load(exp);
    assertEquals("five-remedies", m.title());
    assertEquals(List.of("baseline", "high-lr"), m.runs().stream().map(Run::name).toList());

    Run b = m.runs().get(0);
    assertEquals(24, b.steps().size());
    assertEquals(0, b.steps().get(0).step());
    assertEquals(results.get(0).finalTrainLoss(), b.steps().get(23).loss(), 0.0);
    assertEquals(0.5, b.steps().get(0).lr(), 0.0);
    assertTrue(Double.isFinite(b.steps().get(0).gradNorm()));
    assertEquals(4, b.epochs().size());
    assertEquals(results.get(0).validations().get(3).loss(), b.epochs().get(3).valLoss(), 0.0);
    assertEquals(24 * 5, b.layers().size(), "5 layers, monitored at each of 24 steps");
    assertEquals(
        List.of("0", "2", "4", "6", "8"),
        b.layers().subList(0, 5).stream().map(ReportModel.LayerPoint::layer).toList());
    assertEquals(4, b.layers().get(4).depth());
    assertFalse(b.activations().isEmpty());
    assertEquals("sigmoid", b.activations().get(0).kind());
    assertFalse(b.findings().isEmpty(), "the sigmoid stack's gradients vanish");
    ReportModel.Finding f = b.findings().get(0);
    assertFalse(f.title().isEmpty() || f.causes().isEmpty() || f.remedies().isEmpty(), f.title());
    assertEquals("3", b.provenance().get("seed"));
    assertEquals("COMPLETED", b.provenance().get("result.reason"));
    assertFalse(b.provenance().containsKey("config"));
    assertTrue(b.config().contains("lr: 0.5"), b.config());
    assertEquals(RunSummary.Verdict.WARNING, RunSummary.of(b).verdict());

    Run h = m.runs().get(1);
    assertEquals(FitResult.StopReason.DIVERGED, results.get(1).reason());
    assertEquals("DIVERGED", h.provenance().get("result.reason"));
    assertTrue(h.actions().stream().anyMatch(a -> a.action().equals("SKIP")), "guard skips");
    assertTrue(
        h.events().stream()
            .anyMatch(e -> e.kind().equals("NON_FINITE") && e.severity() == Severity.CRITICAL),
        h.events().toString());
    assertEquals(RunSummary.Verdict.DIVERGED, RunSummary.of(h).verdict());
  }

  /**
   * A run that did not finish is never healthy: one killed before it wrote a result (as a SIGTERM
   * leaves it), and one interrupted (Ctrl-C).
   */
  /**
   * A copy of the baseline run in {@code tmp/name} whose provenance result has {@code reason}, or
   * no result at all for null (with no end time either, as a killed run leaves it).
   */
  @SuppressWarnings("unchecked")
  private Path baselineEndingWith(String name, String reason) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    Path source = exp.resolve("baseline");
    for (String f : new String[] {"metrics.jsonl", "health.jsonl", "provenance.json"}) {
      Files.copy(source.resolve(f), dir.resolve(f));
    }
    Path provenance = dir.resolve("provenance.json");
    Map<String, Object> p = Json.readObject(provenance, 1 << 20);
    if (reason == null) {
      p.put("endTime", null);
      p.remove("result");
    } else {
      ((Map<String, Object>) p.get("result")).put("reason", reason);
    }
    Files.writeString(provenance, Json.writePretty(p));
    return dir;
  }

  @Test
  void aRunThatDidNotFinishIsIncomplete() throws IOException {
    for (String reason : new String[] {null, "INTERRUPTED"}) {
      Path dir = baselineEndingWith("unfinished-" + reason, reason);

      ReportModel m = RunDirectories.load(dir);
      RunSummary s = RunSummary.of(m.runs().get(0));
      assertEquals(RunSummary.Verdict.INCOMPLETE, s.verdict(), reason);
      assertEquals("Incomplete: stopped at step 23", s.verdictText());
      assertTrue(ComparisonTable.format(m).contains("Incomplete: stopped at step 23"));
      Path html = dir.resolve("report.html");
      HtmlReport.write(m, html, null);
      String text = Files.readString(html);
      assertTrue(text.contains(">Incomplete: stopped at step 23</span>"), reason);
      assertFalse(text.contains("badge healthy"), reason);
      assertFalse(text.contains(">Healthy:<"), reason);
    }
  }

  /** A run that early stopping ended keeps its verdict, and the table and report say where. */
  @Test
  void aRunThatStoppedEarlySaysWhere() throws IOException {
    Path dir = baselineEndingWith("early", "EARLY_STOPPED");
    ReportModel m = RunDirectories.load(dir);
    RunSummary s = RunSummary.of(m.runs().get(0));
    RunSummary before = RunSummary.of(RunDirectories.load(exp.resolve("baseline")).runs().get(0));
    assertTrue(s.stoppedEarly());
    assertFalse(before.stoppedEarly());
    assertEquals(before.verdict(), s.verdict());
    String expected = before.verdict().label() + ", stopped early at step 23";
    assertEquals(expected, s.verdictText());
    assertTrue(ComparisonTable.format(m).contains(expected), ComparisonTable.format(m));
    Path html = dir.resolve("report.html");
    HtmlReport.write(m, html, null);
    assertTrue(Files.readString(html).contains(expected));
  }

  @Test
  void runsGivenOneByOneKeepTheirOrderAndNames() throws IOException {
    ReportModel m = RunDirectories.load(exp.resolve("high-lr"), exp.resolve("baseline"));
    assertEquals("Comparison of 2 runs", m.title());
    assertEquals(List.of("high-lr", "baseline"), m.runs().stream().map(Run::name).toList());
    ReportModel twice = RunDirectories.load(exp.resolve("baseline"), exp.resolve("baseline"));
    assertEquals(
        List.of("baseline", "baseline (2)"), twice.runs().stream().map(Run::name).toList());
    assertEquals("baseline", RunDirectories.load(exp.resolve("baseline")).title());
  }

  @Test
  void errorsNameTheDirectoryFileAndLine() throws IOException {
    assertThrows(NoSuchFileException.class, () -> RunDirectories.load(tmp.resolve("missing")));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RunDirectories.load(empty));
    assertTrue(
        e.getMessage()
            .endsWith(
                "empty: not a run directory (no provenance.json, here or" + " in a subdirectory)"),
        e.getMessage());

    Path bad = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(bad.resolve("provenance.json"), "{\"format\":\"gradguard-run\"}");
    Files.writeString(
        bad.resolve("health.jsonl"),
        "{\"step\":0,\"layers\":[]}\n{\"step\":1,\"layers\":[{\"index\":0,\"name\":\"fc\","
            + "\"grad_norm\":true}]}\n");
    e = assertThrows(IllegalArgumentException.class, () -> RunDirectories.load(bad));
    assertTrue(
        e.getMessage().contains("health.jsonl: line 2: 'grad_norm' must be a number"),
        e.getMessage());
  }
}
