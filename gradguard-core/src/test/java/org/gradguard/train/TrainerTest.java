package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gradguard.data.TensorDataset;
import org.gradguard.health.Detector;
import org.gradguard.health.Detectors;
import org.gradguard.health.ExplodingDetector;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.Monitor;
import org.gradguard.health.RollbackConfig;
import org.gradguard.health.SpikeConfig;
import org.gradguard.health.StepStats;
import org.gradguard.nn.StateDict;
import org.gradguard.optim.Clip;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.Transforms;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.JsonException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop's contracts: records, files, stopping, interruption, divergence, settings. */
class TrainerTest {
  @TempDir Path tmp;

  private static Trainer.Builder sgd(Fixtures.Setup s, double lr) {
    return Fixtures.builder(s, Optimizers.sgd(lr, 0.9, 0, 0, false));
  }

  private static void assertKeys(Map<String, Object> m, String... keys) {
    assertEquals(Set.of(keys), m.keySet(), "fields of " + m);
  }

  @Test
  void metricsFileAndProvenanceHaveTheDocumentedFields() throws Exception {
    Path dir = tmp.resolve("run");
    FitResult r =
        sgd(Fixtures.setup(1), 0.05)
            .epochs(2)
            .runDirectory(dir)
            .config(Map.of("lr", 0.05, "model", "mlp"))
            .build()
            .fit();
    assertEquals(FitResult.StopReason.COMPLETED, r.reason());
    assertEquals(14, r.steps());
    // Counted as a person counts: 2 epochs done, not "after step 14 (epoch 3, batch 0 of 7)".
    assertEquals("Training completed after 14 steps (2 epochs).", r.message());
    RunDirectory run = RunDirectory.open(dir);
    int steps = 0;
    int epochs = 0;
    int validations = 0;
    int checkpoints = 0;
    for (Map<String, Object> m : run.metrics()) {
      switch ((String) m.get("type")) {
        case "step":
          assertKeys(
              m,
              "type",
              "step",
              "epoch",
              "batch",
              "examples",
              "loss",
              "lr",
              "gradNorm",
              "preClipNorm",
              "status",
              "seconds");
          assertEquals((long) steps++, m.get("step"));
          assertEquals(0.05, m.get("lr"));
          assertEquals("NaN", m.get("preClipNorm")); // no clipping in the chain
          assertEquals("APPLIED", m.get("status"));
          break;
        case "epoch":
          assertKeys(m, "type", "step", "epoch", "trainLoss", "batches", "seconds");
          assertEquals(7L, m.get("batches"));
          epochs++;
          break;
        case "validation":
          assertKeys(m, "type", "step", "epoch", "loss", "accuracy", "examples", "seconds");
          assertEquals(48L, m.get("examples"));
          validations++;
          break;
        case "checkpoint":
          assertKeys(
              m,
              "type",
              "step",
              "stepsCompleted",
              "epoch",
              "batch",
              "reason",
              "tensors",
              "metadata",
              "bytes",
              "seconds");
          assertEquals("epoch", m.get("reason"));
          checkpoints++;
          break;
        case "event":
          assertKeys(
              m, "type", "step", "event", "signal", "severity", "layers", "message", "numbers");
          break;
        default:
          throw new AssertionError("unexpected record " + m);
      }
    }
    assertEquals(14, steps);
    assertEquals(2, epochs);
    assertEquals(2, validations);
    assertEquals(2, checkpoints);
    assertEquals(14, run.steps().size());
    assertEquals(
        r.validations(),
        run.validations().stream().toList().isEmpty()
            ? null
            : r.validations()); // typed reader parses the same records
    assertEquals(r.validations().get(1).loss(), run.validations().get(1).loss(), 0.0);
    assertEquals(7, run.epochs().get(0).batches());
    assertEquals("epoch", run.checkpointRecords().get(1).reason());
    assertTrue(Files.exists(run.checkpointRecords().get(1).tensors()));

    Map<String, Object> p = run.provenance();
    for (String k :
        List.of(
            "format",
            "version",
            "jdk",
            "os",
            "threads",
            "seed",
            "config",
            "data",
            "model",
            "startTime",
            "endTime",
            "resumes",
            "result")) {
      assertTrue(p.containsKey(k), "provenance lacks " + k);
    }
    assertEquals(Provenance.version(), p.get("version"));
    assertEquals(1L, p.get("seed"));
    assertEquals(Map.of("lr", 0.05, "model", "mlp"), p.get("config"));
    assertTrue(((Map<?, ?>) p.get("data")).get("train").toString().contains("DataLoader"));
    assertNotNull(p.get("endTime"));
    assertEquals("COMPLETED", ((Map<?, ?>) p.get("result")).get("reason"));
    // health.jsonl: steps 0 and 10 are monitored (every 10 by default)
    assertEquals(List.of(0L, 10L), run.health().stream().map(m -> m.get("step")).toList());
    assertTrue(run.health().get(0).containsKey("layers"));
    assertEquals("gradguard.health/1", run.diagnosis().get("schema"));
    // the checkpoint carries the provenance too
    Checkpoint c = run.checkpoints().readLatest();
    assertEquals(1L, c.provenance().get("seed"));
  }

  @Test
  void listenersSeeEveryRecordInOrder() {
    List<String> calls = new ArrayList<>();
    TrainingListener l =
        new TrainingListener() {
          @Override
          public void onStart(RunInfo info) {
            calls.add("start " + info.plannedSteps());
          }

          @Override
          public void onStep(StepRecord s) {
            calls.add("step " + s.step());
          }

          @Override
          public void onEpoch(EpochRecord e) {
            calls.add("epoch " + e.epoch());
          }

          @Override
          public void onValidation(ValidationRecord v) {
            calls.add("validation " + v.epoch());
          }

          @Override
          public void onCheckpoint(CheckpointRecord c) {
            calls.add("checkpoint " + c.stepsCompleted());
          }

          @Override
          public void onStats(StepStats s) {
            calls.add("stats " + s.step());
          }

          @Override
          public void onEnd(FitResult r) {
            calls.add("end " + r.reason());
          }
        };
    sgd(Fixtures.setup(2), 0.05).epochs(1).runDirectory(tmp.resolve("r")).listener(l).build().fit();
    assertEquals(
        List.of(
            "start 7",
            "stats 0",
            "step 0",
            "step 1",
            "step 2",
            "step 3",
            "step 4",
            "step 5",
            "step 6",
            "epoch 0",
            "validation 0",
            "checkpoint 7",
            "end COMPLETED"),
        calls);
  }

  @Test
  void maxStepsEndsMidEpochAndWritesAFinalCheckpoint() throws Exception {
    FitResult r =
        sgd(Fixtures.setup(3), 0.05)
            .maxSteps(10)
            .epochs(5)
            .runDirectory(tmp.resolve("r"))
            .build()
            .fit();
    assertEquals(FitResult.StopReason.COMPLETED, r.reason());
    assertEquals(10, r.steps());
    assertEquals(1, r.epochsCompleted());
    assertEquals("Training completed after 10 steps (epoch 2: 3 of 7 batches done).", r.message());
    assertEquals(tmp.resolve("r/checkpoints/ckpt-10.json"), r.lastCheckpoint());
    assertEquals("final", RunDirectory.open(tmp.resolve("r")).checkpointRecords().get(1).reason());
  }

  @Test
  void earlyStoppingEndsAfterPatienceEpochsWithoutImprovement() {
    // lr 0 on a model without buffers or dropout: the validation loss never changes, so epoch 0
    // sets the best and epochs 1 and 2 are the two bad epochs patience allows.
    FitResult r =
        Fixtures.builder(Fixtures.plain(4), Optimizers.sgd(0.0))
            .epochs(10)
            .earlyStopping(EarlyStopping.patience(2))
            .build()
            .fit();
    assertEquals(FitResult.StopReason.EARLY_STOPPED, r.reason());
    assertTrue(r.stoppedEarly());
    assertEquals(3, r.epochsCompleted());
    assertEquals(21, r.steps());
    assertEquals(3, r.validations().size());
    assertTrue(r.message().contains("did not improve"), r.message());

    // While the loss keeps improving by more than minDelta, training runs all its epochs.
    FitResult learning =
        Fixtures.builder(Fixtures.plain(4), Optimizers.sgd(0.01))
            .epochs(4)
            .earlyStopping(new EarlyStopping(1, 1e-4))
            .build()
            .fit();
    assertEquals(FitResult.StopReason.COMPLETED, learning.reason());
    for (int i = 1; i < 4; i++) {
      assertTrue(learning.validations().get(i).loss() < learning.validations().get(i - 1).loss());
    }
  }

  private static ValidationRecord validation(double loss, double accuracy) {
    return new ValidationRecord(0, 0, loss, accuracy, 10, 0);
  }

  @Test
  void earlyStoppingRuleFollowsKeras() {
    EarlyStopping es = new EarlyStopping(2, 0.1);
    EarlyStopping.State s = es.initial();
    assertEquals(new EarlyStopping.State(Double.POSITIVE_INFINITY, 0), s);
    s = es.update(s, validation(1.0, 0.5)); // improves on +inf
    assertEquals(new EarlyStopping.State(1.0, 0), s);
    s = es.update(s, validation(0.95, 0.9)); // less than minDelta better: bad
    assertEquals(1, s.badEpochs());
    assertFalse(es.shouldStop(s));
    s = es.update(s, validation(0.85, 0.9)); // 0.15 better: improvement resets the count
    assertEquals(new EarlyStopping.State(0.85, 0), s);
    s = es.update(es.update(s, validation(Double.NaN, 0.9)), validation(0.9, 0.9));
    assertTrue(es.shouldStop(s));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EarlyStopping(1, 0, null, false),
        "a monitor is required");

    // The accuracy: higher is better, by more than minDelta; the loss is not looked at.
    EarlyStopping acc = new EarlyStopping(1, 0.01, EarlyStopping.Monitor.VAL_ACCURACY, false);
    EarlyStopping.State a = acc.initial();
    assertEquals(Double.NEGATIVE_INFINITY, a.best());
    a = acc.update(a, validation(5.0, 0.80));
    assertEquals(new EarlyStopping.State(0.80, 0), a);
    a = acc.update(a, validation(0.1, 0.805)); // better loss, accuracy up by less than 0.01
    assertEquals(new EarlyStopping.State(0.80, 1), a);
    assertTrue(acc.shouldStop(a));
    a = acc.update(new EarlyStopping.State(0.80, 0), validation(9.0, 0.82));
    assertEquals(new EarlyStopping.State(0.82, 0), a);
    assertEquals(1, acc.update(a, validation(0.1, Double.NaN)).badEpochs());
  }

  @Test
  void earlyStoppingRestoresTheBestEpochsWeights() {
    // min_delta above any change: epoch 0 is the best (it improves on +inf), epochs 1 and 2 are
    // bad, and the run ends after epoch 2 with epoch 0's weights put back.
    Fixtures.Setup s = Fixtures.plain(4);
    List<Map<String, Tensor>> atEpochEnd = new ArrayList<>();
    TrainingListener snapshots =
        new TrainingListener() {
          @Override
          public void onValidation(ValidationRecord v) {
            atEpochEnd.add(StateDict.snapshot(s.model()));
          }
        };
    FitResult r =
        Fixtures.builder(s, Optimizers.sgd(0.05))
            .epochs(10)
            .earlyStopping(new EarlyStopping(2, 1e9, EarlyStopping.Monitor.VAL_LOSS, true))
            .listener(snapshots)
            .build()
            .fit();
    assertEquals(FitResult.StopReason.EARLY_STOPPED, r.reason());
    assertEquals(3, atEpochEnd.size());
    Map<String, Tensor> now = StateDict.of(s.model());
    atEpochEnd.get(0).forEach((k, t) -> assertTrue(t.bitEquals(now.get(k)), k));
    assertFalse(
        atEpochEnd.get(2).entrySet().stream()
            .allMatch(e -> e.getValue().bitEquals(now.get(e.getKey()))),
        "the last epoch's weights differ from the best epoch's (the test would prove nothing)");
    assertTrue(
        r.message().contains("Restored the weights of epoch 1 (validation loss "), r.message());

    // Without restoreBestWeights the last epoch's weights stay.
    Fixtures.Setup last = Fixtures.plain(4);
    FitResult kept =
        Fixtures.builder(last, Optimizers.sgd(0.05))
            .epochs(10)
            .earlyStopping(new EarlyStopping(2, 1e9))
            .build()
            .fit();
    assertEquals(FitResult.StopReason.EARLY_STOPPED, kept.reason());
    Map<String, Tensor> lastWeights = StateDict.of(last.model());
    atEpochEnd.get(2).forEach((k, t) -> assertTrue(t.bitEquals(lastWeights.get(k)), k));
    assertFalse(kept.message().contains("Restored"), kept.message());
  }

  @Test
  void aTestSetIsEvaluatedOnceAfterTraining() throws Exception {
    Fixtures.Setup s = Fixtures.plain(4);
    TensorDataset test = Fixtures.split(120, 148);
    List<ValidationRecord> seen = new ArrayList<>();
    Path dir = tmp.resolve("with-test");
    FitResult r =
        Fixtures.builder(s, Optimizers.sgd(0.05))
            .validation(Fixtures.split(100, 120))
            .test(test)
            .epochs(2)
            .runDirectory(dir)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onValidation(ValidationRecord v) {
                    seen.add(v);
                  }
                })
            .build()
            .fit();
    assertEquals(2, seen.size(), "the test set is not a validation set");
    assertEquals(20, seen.get(0).examples());
    Evaluation.Result expected = Evaluation.evaluate(s.model(), test, BatchLoss.crossEntropy(), 16);
    assertEquals(expected, r.test());
    assertEquals(28, r.test().examples());
    assertTrue(r.testLine().startsWith("test after training: loss "), r.testLine());
    Map<?, ?> result = (Map<?, ?>) RunDirectory.open(dir).provenance().get("result");
    Map<?, ?> recorded = (Map<?, ?>) result.get("test");
    assertEquals(expected.loss(), ((Number) recorded.get("loss")).doubleValue(), 0.0);
    assertEquals(expected.accuracy(), ((Number) recorded.get("accuracy")).doubleValue(), 0.0);

    // not after an interruption, and not without a test set
    Fixtures.Setup i = Fixtures.plain(4);
    Fixtures.StopAt stop = new Fixtures.StopAt(2);
    Trainer interrupted =
        Fixtures.builder(i, Optimizers.sgd(0.05)).test(test).epochs(2).listener(stop).build();
    stop.trainer = interrupted;
    FitResult ri = interrupted.fit();
    assertEquals(FitResult.StopReason.INTERRUPTED, ri.reason());
    assertNull(ri.test());
    assertNull(ri.testLine());
    assertNull(
        Fixtures.builder(Fixtures.plain(4), Optimizers.sgd(0.05)).epochs(1).build().fit().test());
  }

  @Test
  void earlyStoppingOnAccuracyNeedsClasses() {
    Fixtures.Setup s = Fixtures.plain(4);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Fixtures.builder(s, Optimizers.sgd(0.05))
                    .validation(
                        TensorDataset.regression(
                            Tensor.zeros(16, 6), Tensor.zeros(16, 3), "zeros (regression)"))
                    .epochs(2)
                    .earlyStopping(
                        new EarlyStopping(1, 0, EarlyStopping.Monitor.VAL_ACCURACY, false))
                    .build());
    assertTrue(e.getMessage().contains("monitors the validation accuracy"), e.getMessage());
  }

  @Test
  void requestStopFinishesTheStepWritesACheckpointAndSaysHowToResume() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Fixtures.StopAt stop = new Fixtures.StopAt(3);
    Trainer t =
        sgd(Fixtures.setup(5), 0.05)
            .epochs(3)
            .runDirectory(tmp.resolve("r"))
            .listener(stop)
            .resumeHint("gradguard train --resume r")
            .messages(new PrintStream(out, true, StandardCharsets.UTF_8))
            .build();
    stop.trainer = t;
    FitResult r = t.fit();
    assertEquals(FitResult.StopReason.INTERRUPTED, r.reason());
    assertEquals(4, r.steps());
    assertEquals(tmp.resolve("r/checkpoints/ckpt-4.json"), r.lastCheckpoint());
    assertEquals(4, CheckpointStore.read(r.lastCheckpoint()).stepsCompleted());
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("interrupted after 4 steps"), printed);
    assertTrue(printed.contains("Resume with: gradguard train --resume r"), printed);
    assertTrue(printed.contains("ckpt-4.json"), printed);
    assertEquals(
        "interrupt", RunDirectory.open(tmp.resolve("r")).checkpointRecords().get(0).reason());
    assertThrows(IllegalStateException.class, t::fit);
  }

  @Test
  void theInterruptHookStopsARunningFitAndWaitsForItsCheckpoint() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Trainer t =
        sgd(Fixtures.setup(6), 0.05)
            .epochs(100_000)
            .runDirectory(tmp.resolve("r"))
            .checkpointEachEpoch(false)
            .stopOnInterrupt(true)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onStep(StepRecord s) {
                    running.countDown();
                  }
                })
            .build();
    CompletableFuture<FitResult> fit = CompletableFuture.supplyAsync(t::fit);
    assertTrue(running.await(30, TimeUnit.SECONDS));
    InterruptHook.body(t).run(); // what Ctrl-C runs: returns once fit() has written its checkpoint
    CheckpointStore store = RunDirectory.open(tmp.resolve("r")).checkpoints();
    long written = store.readLatest().stepsCompleted(); // present before the hook returned
    FitResult r = fit.get(30, TimeUnit.SECONDS);
    assertEquals(r.steps(), written);
    assertEquals(FitResult.StopReason.INTERRUPTED, r.reason());
    assertEquals(r.steps(), CheckpointStore.read(r.lastCheckpoint()).stepsCompleted());
  }

  @Test
  void divergenceEndsWithTheDiagnosisAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path dir = tmp.resolve("r");
    FitResult r =
        Fixtures.builder(Fixtures.plain(7), Optimizers.sgd(1e38))
            .epochs(5)
            .checkpointEvery(1)
            .skipNonFinite(2)
            .runDirectory(dir)
            .build()
            .fit();
    assertEquals(FitResult.StopReason.DIVERGED, r.reason());
    assertTrue(r.diverged());
    // The step that diverged is the run's last; its loss is the final loss and is in the message.
    assertTrue(
        r.message()
            .startsWith(
                "Training diverged at step "
                    + (r.steps() - 1)
                    + " (loss "
                    + r.finalTrainLoss()
                    + ")"),
        r.message());
    RunDirectory run = RunDirectory.open(dir);
    List<Map<String, Object>> guards =
        run.metrics().stream().filter(m -> "guard".equals(m.get("type"))).toList();
    assertEquals("SKIP", guards.get(0).get("action"));
    assertEquals("STOP", guards.get(guards.size() - 1).get("action"));
    assertEquals("DIVERGED", ((Map<?, ?>) run.provenance().get("result")).get("reason"));
    assertNotNull(run.diagnosis());
    // No checkpoint of the diverged step: the latest is from before it.
    assertTrue(run.checkpoints().readLatest().stepsCompleted() < r.steps());
  }

  @Test
  void theProvenanceCountsTheClippedStepsOnlyWhenTheChainClips() throws Exception {
    FitResult clipped =
        Fixtures.builder(
                Fixtures.plain(7), Transforms.chain(Clip.byGlobalNorm(1e-9), Optimizers.sgd(0.01)))
            .maxSteps(6)
            .runDirectory(tmp.resolve("clip"))
            .build()
            .fit();
    Map<?, ?> result =
        (Map<?, ?>) RunDirectory.open(tmp.resolve("clip")).provenance().get("result");
    assertEquals(6L, ((Number) result.get("clippedSteps")).longValue(), result.toString());
    assertEquals(6, clipped.steps());
    Fixtures.builder(Fixtures.plain(7), Optimizers.sgd(0.01))
        .maxSteps(3)
        .runDirectory(tmp.resolve("plain"))
        .build()
        .fit();
    Map<?, ?> plain =
        (Map<?, ?>) RunDirectory.open(tmp.resolve("plain")).provenance().get("result");
    assertFalse(plain.containsKey("clippedSteps"), plain.toString());
  }

  @Test
  void healthEventsAndGuardActionsReachTheListeners() {
    List<Object> seen = new ArrayList<>();
    Fixtures.builder(Fixtures.plain(7), Optimizers.sgd(1e38))
        .epochs(1)
        .skipNonFinite(3)
        .listener(
            new TrainingListener() {
              @Override
              public void onEvent(HealthEvent e) {
                seen.add(e);
              }

              @Override
              public void onAction(GuardAction a) {
                seen.add(a);
              }
            })
        .build()
        .fit();
    assertTrue(seen.stream().anyMatch(o -> o instanceof GuardAction), seen.toString());
  }

  @Test
  void theBuilderValidatesEverySettingNamingIt() {
    Fixtures.Setup s = Fixtures.setup(8);
    assertMessage(() -> Trainer.builder().build(), "Trainer: model must be set");
    assertMessage(() -> sgd(s, 0.1).build(), "set epochs or maxSteps");
    assertMessage(() -> sgd(s, 0.1).epochs(-1).build(), "epochs must be >= 0, got -1");
    assertMessage(
        () -> sgd(s, 0.1).epochs(1).maxSteps(-2).build(), "maxSteps must be >= 0, got -2");
    assertMessage(() -> sgd(s, 0.1).epochs(1).checkpointEvery(5).build(), "needs a runDirectory");
    assertMessage(() -> sgd(s, 0.1).epochs(1).skipNonFinite(-1).build(), "skipNonFinite must be");
    assertMessage(
        () -> sgd(s, 0.1).epochs(1).validation(s.validation(), -3).build(),
        "validation batchSize must be >= 0, got -3");
    assertMessage(
        () ->
            Fixtures.builder(s, Optimizers.sgd(0.1))
                .validation(null)
                .epochs(1)
                .earlyStopping(EarlyStopping.patience(1))
                .build(),
        "earlyStopping needs a validation set");
    JsonException e =
        assertThrows(
            JsonException.class,
            () -> sgd(s, 0.1).epochs(1).config(Map.of("lr", Double.NaN)).build());
    assertTrue(e.getMessage().contains("$.lr"), e.getMessage());
  }

  @Test
  void aRunDirectoryIsNotOverwrittenAndAResumeMustFit() throws Exception {
    Path dir = tmp.resolve("r");
    sgd(Fixtures.setup(9), 0.05).epochs(1).runDirectory(dir).build().fit();
    assertMessage(
        () -> sgd(Fixtures.setup(9), 0.05).epochs(1).runDirectory(dir).build().fit(),
        "already holds a run");
    assertMessage(
        () -> sgd(Fixtures.setup(10), 0.05).epochs(2).resume(dir).build().fit(),
        "key 'provenance.seed' is 9 but this run's seed is 10");
    assertMessage(
        () -> sgd(Fixtures.plain(9), 0.05).epochs(2).resume(dir).build().fit(),
        "ckpt-7.json: the model does not fit");
    assertMessage(
        () ->
            Fixtures.builder(Fixtures.setup(9), Optimizers.adam(1e-3))
                .epochs(2)
                .resume(dir)
                .build()
                .fit(),
        "the optimizer chain does not fit");
    assertMessage(
        () -> sgd(Fixtures.setup(9), 0.05).epochs(2).resume(tmp.resolve("none")).build().fit(),
        "no checkpoint to resume from");
  }

  @Test
  void aRollbackResumeMustFitAndChangesNothingWhenItDoesNot() throws Exception {
    Path dir = tmp.resolve("rb");
    RollbackConfig small =
        RollbackConfig.defaults().withLossSpike(new SpikeConfig(8, 6, 4, true, false));
    sgd(Fixtures.setup(9), 0.05).epochs(1).rollback(small).runDirectory(dir).build().fit();
    Fixtures.Setup s = Fixtures.setup(9);
    Map<String, Tensor> before = StateDict.snapshot(s.model());
    assertMessage(
        () -> sgd(s, 0.05).epochs(2).rollback(RollbackConfig.defaults()).resume(dir).build().fit(),
        "ckpt-7.json: roll-back snapshot: its loss window holds 8 losses but this run's holds 128");
    before.forEach((k, t) -> assertTrue(t.bitEquals(StateDict.of(s.model()).get(k)), k));
    // without the guard the checkpoint's roll-back state is not needed; with it, it carries on
    assertEquals(14, sgd(Fixtures.setup(9), 0.05).epochs(2).resume(dir).build().fit().steps());
  }

  @Test
  void detectorsWhoseStateDoesNotFitStartAfreshAndTheProvenanceSaysSo() throws Exception {
    Path dir = tmp.resolve("d");
    sgd(Fixtures.setup(9), 0.05).epochs(1).runDirectory(dir).build().fit();
    sgd(Fixtures.setup(9), 0.05).epochs(2).resume(dir).build().fit();
    Fixtures.Setup s = Fixtures.setup(9);
    ExplodingDetector.Config d = ExplodingDetector.Config.defaults();
    ExplodingDetector shorter =
        new ExplodingDetector(
            new ExplodingDetector.Config(
                20,
                d.minHistory(),
                d.zThreshold(),
                d.medianFactor(),
                d.minLayers(),
                d.ratio(),
                d.involvedFactor(),
                d.repeatEvery()));
    List<Detector> detectors = new ArrayList<>(Detectors.defaults());
    detectors.set(1, shorter);
    FitResult r =
        sgd(s, 0.05)
            .monitor(Monitor.builder(s.model()).detectors(detectors))
            .epochs(3)
            .resume(dir)
            .build()
            .fit();
    assertEquals(21, r.steps());
    List<?> resumes = (List<?>) RunDirectory.open(dir).provenance().get("resumes");
    assertEquals("restored", ((Map<?, ?>) resumes.get(0)).get("detectors"));
    String second = (String) ((Map<?, ?>) resumes.get(1)).get("detectors");
    assertTrue(
        second.startsWith("started afresh: detector 1 (ExplodingDetector): detector state"),
        second);
  }

  @Test
  void aResumeAcceptsTheRunDirectoryItsCheckpointsOrOneCheckpointFile() throws Exception {
    Path dir = tmp.resolve("r");
    sgd(Fixtures.setup(12), 0.05).epochs(2).runDirectory(dir).build().fit(); // ckpt-7, ckpt-14
    FitResult fromFile =
        sgd(Fixtures.setup(12), 0.05)
            .epochs(3)
            .resume(dir.resolve("checkpoints/ckpt-14.json"))
            .build()
            .fit();
    assertEquals(21, fromFile.steps());
    assertEquals(tmp.resolve("r/checkpoints/ckpt-21.json"), fromFile.lastCheckpoint());
    FitResult fromCheckpoints =
        sgd(Fixtures.setup(12), 0.05).epochs(4).resume(dir.resolve("checkpoints")).build().fit();
    assertEquals(28, fromCheckpoints.steps());
    assertEquals(2, ((List<?>) RunDirectory.open(dir).provenance().get("resumes")).size());
    assertEquals(28, RunDirectory.open(dir).steps().size());
  }

  private static void assertMessage(Runnable r, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
  }

  @Test
  void withoutARunDirectoryNothingIsWritten() {
    FitResult r = sgd(Fixtures.setup(11), 0.05).epochs(1).build().fit();
    assertNull(r.lastCheckpoint());
    assertEquals(7, r.steps());
  }
}
