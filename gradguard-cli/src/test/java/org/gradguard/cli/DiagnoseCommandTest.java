package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.io.Json;
import org.junit.jupiter.api.Test;

/** {@code gradguard diagnose} on the examples: exit codes of --fail-on and the JSON output. */
class DiagnoseCommandTest {
  private static final String EXPLODING = "../examples/exploding-relu.yaml";

  private static CliRun diagnose(String steps, String failOn, String... sets) {
    List<String> args = new ArrayList<>(List.of("diagnose", EXPLODING, "--steps", steps));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    args.addAll(List.of("--fail-on", failOn));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** He's initialization, with everything else as in the example. */
  private static final String[] HE = {"model.init=kaiming_normal", "model.sigma_w2=null"};

  @Test
  void failOnErrorFailsOnExplodingReluAndPassesOnItsHeTwin() {
    CliRun bad = diagnose("5", "error");
    assertEquals(ExitCodes.FAILED, bad.code(), bad.toString());
    assertTrue(bad.out().contains("NON-FINITE VALUES (NAN/INF) — critical"), bad.out());

    // lr 0.05 with momentum 0.9 is too much for 20 plain layers even at He's scale: a tenth of it.
    String[] he = {HE[0], HE[1], "optimizer.lr=0.005"};
    CliRun good = diagnose("5", "error", he);
    assertEquals(ExitCodes.OK, good.code(), good.toString());
  }

  @Test
  void atInitializationTheScaleIsAWarningAndHeIsClean() {
    CliRun bad = diagnose("1", "warning");
    assertEquals(ExitCodes.FAILED, bad.code(), bad.toString());
    assertTrue(bad.out().contains("EXPLODING GRADIENTS — warning"), bad.out());
    assertTrue(bad.out().contains("Gradient norm by layer at step 0"), bad.out());

    CliRun he = diagnose("1", "warning", HE);
    assertEquals(ExitCodes.OK, he.code(), he.toString());
    assertTrue(he.out().contains("no problems found"), he.out());
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
