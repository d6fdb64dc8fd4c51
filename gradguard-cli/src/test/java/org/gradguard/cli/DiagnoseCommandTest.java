package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.io.Json;
import org.junit.jupiter.api.Test;

/** {@code gradguard diagnose} on the examples: exit codes of --fail-on and the JSON output. */
class DiagnoseCommandTest {
  private static final String EXPLODING = "../examples/exploding-relu.yaml";

  /**
   * {@code diagnose EXPLODING [--steps steps] [--set s]... --fail-on failOn}; null steps: default.
   */
  private static CliRun diagnose(String steps, String failOn, String... sets) {
    List<String> args = new ArrayList<>(List.of("diagnose", EXPLODING));
    if (steps != null) {
      args.addAll(List.of("--steps", steps));
    }
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    args.addAll(List.of("--fail-on", failOn));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** He's initialization, with everything else as in the example. */
  private static final String[] HE = {"model.init=kaiming_normal", "model.sigma_w2=null"};

  /** The CLI issue's acceptance test, with diagnose's default number of steps. */
  @Test
  void failOnErrorFailsOnExplodingReluAndPassesOnItsHeTwin() {
    CliRun bad = diagnose(null, "error");
    assertEquals(ExitCodes.FAILED, bad.code(), bad.toString());
    assertTrue(bad.out().contains("NON-FINITE VALUES (NAN/INF) — critical"), bad.out());
    assertTrue(bad.out().contains("Training diverged at step "), bad.out());
    String first = "GradGuard diagnosis:";
    assertEquals(bad.out().indexOf(first), bad.out().lastIndexOf(first), "printed once");

    // Only the initialization changed: the same learning rate, momentum, data and depth.
    CliRun good = diagnose(null, "error", HE);
    assertEquals(ExitCodes.OK, good.code(), good.toString());
    assertFalse(good.out().contains("Training diverged"), good.out());
  }

  @Test
  void atInitializationTheScaleIsAWarningAndHeIsClean() {
    CliRun bad = diagnose("1", "warning");
    assertEquals(ExitCodes.FAILED, bad.code(), bad.toString());
    assertTrue(bad.out().contains("EXPLODING GRADIENTS — warning"), bad.out());
    assertTrue(bad.out().contains("Gradient norm by layer at step 0"), bad.out());
    // the plan above shows the config's monitor.every (10) and length; the run replaced both
    assertTrue(
        bad.out().contains("Observed 1 step of variant base, monitoring every step"), bad.out());

    CliRun he = diagnose("1", "warning", HE);
    assertEquals(ExitCodes.OK, he.code(), he.toString());
    assertTrue(he.out().contains("no problems found"), he.out());
  }

  /** Every {@code --fail-on} example of the help on the exploding network fails, as it shows. */
  @Test
  void helpExamplesOnTheExplodingNetworkExitOne() {
    String[] footer =
        GradGuardCommand.newCommandLine(
                new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()))
            .getSubcommands()
            .get("diagnose")
            .getCommandSpec()
            .usageMessage()
            .footer();
    int checked = 0;
    for (String line : footer) {
      String cmd = line.strip();
      if (cmd.startsWith("gradguard diagnose examples/exploding-relu.yaml")
          && cmd.contains("--fail-on")) {
        List<String> args = new ArrayList<>(List.of(cmd.split("\\s+")));
        args.remove(0);
        args.set(1, EXPLODING);
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.FAILED, r.code(), cmd + "\n" + r);
        checked++;
      }
    }
    assertTrue(checked >= 2, String.join("\n", footer));
  }

  @Test
  void jsonIsTheDocumentedHealthSchemaAloneOnStdout() {
    CliRun r = CliRun.of("diagnose", EXPLODING, "--steps", "1", "--format", "json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    Map<String, Object> json = Json.parseObject(r.out(), 1 << 26);
    assertEquals("gradguard.health/1", json.get("schema"));
    for (String field :
        List.of(
            "summary",
            "model",
            "layers",
            "statistics",
            "events",
            "event_summaries",
            "actions",
            "findings")) {
      assertTrue(json.containsKey(field), field + " missing: " + json.keySet());
    }
    assertEquals(21, ((List<?>) json.get("layers")).size());
    assertEquals(1, ((List<?>) json.get("statistics")).size());
  }
}
