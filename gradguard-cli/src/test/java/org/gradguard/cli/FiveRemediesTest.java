package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gradguard.report.RunDirectories;
import org.gradguard.report.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story of {@code examples/five-remedies.yaml}, on half its epochs and three of its variants
 * (about 10 s on two cores): the baseline is diagnosed VANISHING, and residual connections and
 * batch normalization reach a training loss clearly below it.
 */
class FiveRemediesTest {
  /**
   * How far below the baseline's final training loss the remedies must end (the full run: ~0.6).
   */
  static final double MARGIN = 0.2;

  @TempDir Path tmp;

  @Test
  void residualAndBatchNormFixTheVanishingBaseline() throws IOException {
    Path dir = tmp.resolve("five");
    CliRun r =
        CliRun.of(
            "compare",
            "../examples/five-remedies.yaml",
            "--variants",
            "baseline,residual,batch-norm",
            "--set",
            "train.epochs=4",
            "--no-progress",
            "--out",
            dir.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains("  baseline: VANISHING"), r.out());
    Map<String, Double> loss = new HashMap<>();
    for (RunSummary s : RunSummary.of(RunDirectories.load(dir))) {
      loss.put(s.name(), s.finalLoss());
    }
    double base = loss.get("baseline");
    assertTrue(loss.get("residual") < base - MARGIN, loss + "\n" + r.out());
    assertTrue(loss.get("batch-norm") < base - MARGIN, loss + "\n" + r.out());
  }
}
