package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a run directory that was killed mid-write, or damaged. */
class RunDirectoryTest {
  @TempDir Path tmp;

  private static final String STEP =
      "{\"type\":\"step\",\"step\":%d,\"epoch\":0,\"batch\":%d,\"examples\":16,\"loss\":\"NaN\","
          + "\"lr\":0.1,\"gradNorm\":\"Infinity\",\"preClipNorm\":\"NaN\",\"status\":\"SKIPPED\","
          + "\"seconds\":0.01}\n";

  @Test
  void aTruncatedLastLineIsIgnoredAndOtherDamageIsNamed() throws Exception {
    Files.writeString(tmp.resolve(RunDirectory.PROVENANCE), "{\"format\":\"gradguard-run\"}");
    Path metrics = tmp.resolve(RunDirectory.METRICS);
    Files.writeString(metrics, String.format(STEP, 0, 0) + String.format(STEP, 1, 1));
    Files.writeString(metrics, "{\"type\":\"step\",\"st", StandardOpenOption.APPEND);
    RunDirectory run = RunDirectory.open(tmp);
    assertEquals(2, run.steps().size());
    StepRecord s = run.steps().get(1);
    assertEquals(1, s.step());
    assertTrue(Double.isNaN(s.loss()));
    assertEquals(Double.POSITIVE_INFINITY, s.gradNorm());
    assertEquals(false, s.applied());

    Files.writeString(metrics, String.format(STEP, 0, 0) + "{oops}\n" + String.format(STEP, 1, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::metrics);
    assertTrue(e.getMessage().contains("metrics.jsonl: line 2"), e.getMessage());

    Files.writeString(metrics, String.format(STEP, 0, 0).replace("\"SKIPPED\"", "\"MAYBE\""));
    e = assertThrows(IllegalArgumentException.class, run::steps);
    assertTrue(e.getMessage().contains("key 'status' must be one of"), e.getMessage());

    assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(tmp.resolve("nope")));
    assertEquals(0, run.health().size());
  }
}
