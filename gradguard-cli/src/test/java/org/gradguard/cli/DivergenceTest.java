package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradguard.config.ConfigLoader;
import org.gradguard.health.GuardAction;
import org.gradguard.health.StepOutcome;
import org.gradguard.train.FitResult;
import org.gradguard.train.StepRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the commands say about a diverged run, from scripted step records. */
class DivergenceTest {
  private static StepRecord step(long s, double loss, double gradNorm, StepOutcome.Status status) {
    return new StepRecord(s, 0, (int) s, 8, loss, 0.1, gradNorm, gradNorm, status, 0.01);
  }

  private static FitResult result(FitResult.StopReason reason, long steps, double finalLoss) {
    return new FitResult(reason, steps, 0, finalLoss, List.of(), 1.0, null, "m", null);
  }

  @Test
  void aGuardStopNamesTheFirstBadStepTheStopAndTheLastFiniteLoss() {
    Divergence d = new Divergence();
    d.onStep(step(0, 2.0, 1.0, StepOutcome.Status.APPLIED));
    d.onStep(step(1, 1.5e20, 3.0e21, StepOutcome.Status.APPLIED));
    d.onStep(step(2, Double.POSITIVE_INFINITY, Double.NaN, StepOutcome.Status.SKIPPED));
    d.onStep(step(3, Double.NaN, Double.NaN, StepOutcome.Status.SKIPPED));
    d.onAction(new GuardAction(4, "trainingStep", GuardAction.Action.STOP, "limit", Map.of()));
    FitResult r = result(FitResult.StopReason.DIVERGED, 5, Double.NaN);
    assertTrue(Divergence.diverged(r));
    assertEquals(2, d.step());
    assertEquals(
        "training diverged (NON_FINITE) at step 2: loss +Inf; a guard stopped training at step 4;"
            + " the last finite loss was 1.500e+20 at step 1",
        d.headline(r));
  }

  @Test
  void aStopOnTheFirstBadStepTakesTheLossFromTheResult() {
    Divergence d = new Divergence();
    d.onStep(step(0, 2.0, 1.0, StepOutcome.Status.APPLIED));
    d.onAction(new GuardAction(1, "trainingStep", GuardAction.Action.STOP, "limit", Map.of()));
    FitResult r = result(FitResult.StopReason.DIVERGED, 2, Double.NaN);
    assertEquals(
        "training diverged (NON_FINITE) at step 1: loss NaN; a guard stopped training at step 1;"
            + " the last finite loss was 2.000 at step 0",
        d.headline(r));
  }

  @Test
  void aFiniteLossWithNonFiniteGradientsSaysSo() {
    Divergence d = new Divergence();
    d.onStep(step(0, 3.0, Double.POSITIVE_INFINITY, StepOutcome.Status.SKIPPED));
    FitResult r = result(FitResult.StopReason.DIVERGED, 1, 3.0);
    assertTrue(
        d.headline(r)
            .startsWith(
                "training diverged (NON_FINITE) at step 0: loss 3.000 with"
                    + " a non-finite gradient"),
        d.headline(r));
  }

  /** The advice names the run's learning rate and does not offer what the run already has. */
  @Test
  void theAdviceTakesTheRunsSettingsIntoAccount(@TempDir Path tmp) throws IOException {
    Path plain = tmp.resolve("plain.yaml");
    Files.writeString(
        plain, "data: {name: spirals}\nmodel: {depth: 1}\noptimizer: {name: sgd, lr: 0.1}\n");
    String a = Divergence.advice(ConfigLoader.load(plain, plain.toString(), List.of()).base());
    assertTrue(a.contains("optimizer.lr is 0.1: try 0.01"), a);
    assertTrue(a.contains("clipping: {kind: norm, max_norm: 1.0}"), a);
    assertTrue(a.contains("guards: {rollback: {}}"), a);
    Path guarded = tmp.resolve("guarded.yaml");
    Files.writeString(
        guarded,
        "data: {name: spirals}\nmodel: {depth: 1}\noptimizer: {name: adam, lr: 3.0e-4}\n"
            + "clipping: {kind: norm, max_norm: 5}\nguards: {rollback: {backoff: 0.5}}\n");
    String b = Divergence.advice(ConfigLoader.load(guarded, guarded.toString(), List.of()).base());
    assertTrue(b.contains("optimizer.lr is 0.0003: try 0.00003"), b);
    assertTrue(b.contains("Gradient clipping is on (norm)"), b);
    assertFalse(b.contains("max_norm: 1.0"), b);
    assertTrue(b.contains("the roll-back guard is on (backoff 0.5, max_retries 3)"), b);
    assertFalse(b.contains("guards: {rollback: {}}"), b);
  }

  @Test
  void aCompletedRunDivergedOnlyWhenItsLastLossIsNotFinite() {
    assertTrue(Divergence.diverged(result(FitResult.StopReason.COMPLETED, 10, Double.NaN)));
    assertTrue(
        Divergence.diverged(result(FitResult.StopReason.COMPLETED, 10, Double.NEGATIVE_INFINITY)));
    assertFalse(Divergence.diverged(result(FitResult.StopReason.COMPLETED, 10, 0.5)));
    assertFalse(Divergence.diverged(result(FitResult.StopReason.INTERRUPTED, 0, Double.NaN)));
    assertFalse(Divergence.diverged(result(FitResult.StopReason.EARLY_STOPPED, 10, 0.5)));
  }
}
