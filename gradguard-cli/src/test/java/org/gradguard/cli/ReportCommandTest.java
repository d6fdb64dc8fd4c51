package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.gradguard.report.TrainedRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradguard report} on run directories the Trainer wrote. */
class ReportCommandTest {
  @TempDir Path tmp;

  @Test
  void writesTheReportThePngsAndTheTable() throws Exception {
    Path exp = tmp.resolve("exp");
    TrainedRuns.write(exp);
    Path png = tmp.resolve("charts");
    CliRun r = CliRun.of("report", exp.toString(), "--png", png.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().startsWith("variant   verdict "), r.toString());
    assertTrue(r.out().contains("\nhigh-lr   Diverged "), r.toString());
    Path html = exp.resolve("report.html");
    assertTrue(
        r.out().endsWith("Wrote " + html + " (2 run(s), 9 charts; PNGs in " + png + ").\n"),
        r.toString());
    String page = Files.readString(html, StandardCharsets.UTF_8);
    assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<h1>exp</h1>"));
    try (Stream<Path> s = Files.list(png)) {
      assertEquals(9, s.filter(p -> p.toString().endsWith(".png")).count());
    }
  }

  /** A shell glob over a comparison's directory also names its report.html. */
  @Test
  void aFileAmongTheRunsIsABadInputThatSaysWhatToGive() throws Exception {
    Path exp = tmp.resolve("exp");
    TrainedRuns.write(exp);
    Path file = exp.resolve("notes.txt");
    Files.writeString(file, "x");
    CliRun r = CliRun.of("report", exp.resolve("high-lr").toString(), file.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
    assertEquals(
        "gradguard: "
            + file
            + ": not a directory (give run directories, or a comparison's directory itself"
            + " rather than its files)\n",
        r.err(),
        r.toString());
  }
}
