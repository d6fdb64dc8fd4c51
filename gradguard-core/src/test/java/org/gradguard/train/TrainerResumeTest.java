package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.data.Batch;
import org.gradguard.health.Diagnosis;
import org.gradguard.health.Monitor;
import org.gradguard.health.RollbackConfig;
import org.gradguard.health.SpikeConfig;
import org.gradguard.optim.Clip;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.ParamMask;
import org.gradguard.optim.ReduceLROnPlateau;
import org.gradguard.optim.Schedule;
import org.gradguard.optim.Transforms;
import org.gradguard.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train N steps, interrupt, resume into freshly built objects, finish: the weights, buffers,
 * optimizer state, random streams and records are bit-identical to a run that was never
 * interrupted. Shuffling, dropout, batch norm, momentum or Adam moments, a schedule and clipping
 * make every piece of checkpointed state matter.
 */
class TrainerResumeTest {
  private static final int EPOCHS = 3;
  private int threadsBefore;

  @TempDir Path tmp;

  @BeforeEach
  void oneThread() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(1);
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(threadsBefore);
  }

  private static GradientTransformation momentumSgd() {
    return Optimizers.sgd(0.05, 0.9, 0, 1e-3, false);
  }

  private static GradientTransformation adamwScheduledClipped() {
    Schedule lr =
        Schedule.sequential(
            List.of(Schedule.linear(3e-3, 0.1, 1.0, 5), Schedule.cosineAnnealing(3e-3, 16, 1e-4)),
            5);
    return Transforms.chain(
        Clip.byGlobalNorm(0.5),
        Optimizers.adamw(lr, 0.9, 0.999, 1e-8, 1e-2, false, ParamMask.weightsOnly()));
  }

  /** Builds a complete trainer configuration for freshly built objects. */
  interface Spec {
    Trainer.Builder builder(Fixtures.Setup s);
  }

  /**
   * Runs uninterrupted, then interrupted after step {@code stopIndex} and resumed; compares.
   * Returns the uninterrupted trainer and the resumed one.
   */
  private Trainer[] assertResumeIsExact(long seed, Spec spec, long stopIndex) throws Exception {
    Path full = tmp.resolve("full");
    Fixtures.Setup a = Fixtures.setup(seed);
    Trainer ta = spec.builder(a).runDirectory(full).build();
    FitResult ra = ta.fit();

    Path cut = tmp.resolve("cut");
    Fixtures.Setup b = Fixtures.setup(seed);
    Fixtures.StopAt stop = new Fixtures.StopAt(stopIndex);
    Trainer tb = spec.builder(b).runDirectory(cut).listener(stop).build();
    stop.trainer = tb;
    FitResult rb = tb.fit();
    assertEquals(FitResult.StopReason.INTERRUPTED, rb.reason());
    assertEquals(stopIndex + 1, rb.steps());

    Fixtures.Setup c = Fixtures.setup(seed);
    Trainer tc = spec.builder(c).resume(cut).build();
    FitResult rc = tc.fit();

    assertEquals(ra.reason(), rc.reason());
    assertEquals(ra.steps(), rc.steps());
    assertEquals(ra.epochsCompleted(), rc.epochsCompleted());
    Fixtures.assertSameWeights(a.model(), c.model());
    assertTrue(ta.optimizerState().bitEquals(tc.optimizerState()), "optimizer state differs");
    assertEquals(a.rngs().states().keySet(), c.rngs().states().keySet());
    for (String k : a.rngs().states().keySet()) {
      assertArrayEquals(a.rngs().states().get(k), c.rngs().states().get(k), "stream " + k);
    }
    assertEquals(a.loader().position(), c.loader().position());
    assertEquals(
        Double.doubleToLongBits(ra.finalTrainLoss()), Double.doubleToLongBits(rc.finalTrainLoss()));
    assertEquals(ra.validations().size(), rc.validations().size());
    for (int i = 0; i < ra.validations().size(); i++) {
      assertEquals(ra.validations().get(i).loss(), rc.validations().get(i).loss(), 0.0);
      assertEquals(ra.validations().get(i).accuracy(), rc.validations().get(i).accuracy(), 0.0);
    }

    // The resumed run directory reads like the uninterrupted one: same steps, no duplicates.
    RunDirectory da = RunDirectory.open(full);
    RunDirectory dc = RunDirectory.open(cut);
    List<StepRecord> sa = da.steps();
    List<StepRecord> sc = dc.steps();
    assertEquals(sa.size(), sc.size());
    for (int i = 0; i < sa.size(); i++) {
      assertEquals(sa.get(i).step(), sc.get(i).step());
      assertEquals(sa.get(i).loss(), sc.get(i).loss(), 0.0, "loss of step " + i);
      assertEquals(sa.get(i).lr(), sc.get(i).lr(), 0.0, "lr of step " + i);
      assertEquals(sa.get(i).preClipNorm(), sc.get(i).preClipNorm(), 0.0, "norm of step " + i);
    }
    List<EpochRecord> ea = da.epochs();
    List<EpochRecord> ec = dc.epochs();
    assertEquals(ea.size(), ec.size());
    for (int i = 0; i < ea.size(); i++) {
      assertEquals(ea.get(i).trainLoss(), ec.get(i).trainLoss(), 0.0, "epoch " + i);
    }
    assertEquals(1, ((List<?>) dc.provenance().get("resumes")).size());
    return new Trainer[] {ta, tc};
  }

  @Test
  void momentumSgdResumesMidEpochBitIdentically() throws Exception {
    assertResumeIsExact(
        7, s -> Fixtures.builder(s, momentumSgd()).epochs(EPOCHS).checkpointEvery(5), 9);
  }

  @Test
  void adamwWithScheduleAndClippingResumesMidEpochBitIdentically() throws Exception {
    assertResumeIsExact(
        7, s -> Fixtures.builder(s, adamwScheduledClipped()).epochs(EPOCHS).checkpointEvery(4), 10);
  }

  @Test
  void healthRecordsContinueWithTheTrainersStepNumbers() throws Exception {
    // Monitoring every 5 steps and resuming after 10: the resumed run monitors the same steps, so
    // health.jsonl and the event lines must equal the uninterrupted run's line for line.
    assertResumeIsExact(
        5,
        s ->
            Fixtures.builder(s, Optimizers.sgd(0.5, 0.9, 0, 0, false))
                .monitor(Monitor.builder(s.model()).every(5))
                .epochs(EPOCHS),
        9);
    RunDirectory full = RunDirectory.open(tmp.resolve("full"));
    RunDirectory cut = RunDirectory.open(tmp.resolve("cut"));
    List<Map<String, Object>> h = full.health();
    assertEquals(5, h.size()); // steps 0, 5, 10, 15, 20 of 21
    assertEquals(h, cut.health());
    assertEquals(events(full), events(cut));
  }

  /** Cross-entropy, times 1000 at one training call: a loss spike at a chosen step. */
  static final class SpikeAt implements BatchLoss {
    private final BatchLoss inner = BatchLoss.crossEntropy();
    private final long at;
    long calls;

    /** Spikes at training call {@code at}, counting {@code before} calls made by an earlier run. */
    SpikeAt(long at, long before) {
      this.at = at;
      this.calls = before;
    }

    @Override
    public Variable apply(Variable output, Batch batch) {
      Variable loss = inner.apply(output, batch);
      if (!output.requiresGrad()) {
        return loss; // validation
      }
      return calls++ == at ? loss.mul(1000f) : loss;
    }
  }

  @Test
  void aRollBackAfterAResumeRestoresTheSnapshotTakenBeforeTheInterruption() throws Exception {
    // Snapshots after every 4 healthy steps: after steps 3 and 7, so the run interrupted after step
    // 9 holds the one of step 8 (steps completed) in its checkpoint. The loss spikes at step 11, in
    // the resumed run: it must restore that snapshot, halve the rate, skip a batch and go on
    // exactly
    // as the run that was never interrupted.
    RollbackConfig cfg =
        RollbackConfig.defaults()
            .withEvery(4)
            .withSkipBatches(1)
            .withLossSpike(new SpikeConfig(8, 6, 4, true, false));
    List<SpikeAt> losses = new ArrayList<>();
    assertResumeIsExact(
        7,
        s -> {
          SpikeAt loss = new SpikeAt(11, losses.size() == 2 ? losses.get(1).calls : 0);
          losses.add(loss);
          return Fixtures.builder(s, momentumSgd()).loss(loss).rollback(cfg).epochs(EPOCHS);
        },
        9);
    List<Map<String, Object>> full = events(RunDirectory.open(tmp.resolve("full")));
    assertEquals(full, events(RunDirectory.open(tmp.resolve("cut"))));
    Map<String, Object> rollBack =
        full.stream().filter(m -> "ROLLBACK".equals(m.get("action"))).findFirst().orElseThrow();
    assertEquals(11L, rollBack.get("step"), rollBack.toString());
    assertTrue(
        rollBack.get("reason").toString().contains("restored the state of step 8"),
        rollBack.toString());
  }

  @Test
  void aRollBackRestoresTheRandomStreamsOfTheSnapshot() {
    // Snapshot after step 7 (8 healthy steps), spike at step 10: dropout's stream after the
    // rolled-back step is where it stood after step 7, not three forward passes further.
    RollbackConfig cfg =
        RollbackConfig.defaults().withEvery(4).withLossSpike(new SpikeConfig(8, 6, 4, true, false));
    Fixtures.Setup s = Fixtures.setup(7);
    Map<Long, long[]> dropout = new java.util.HashMap<>();
    List<String> statuses = new ArrayList<>();
    Fixtures.builder(s, momentumSgd())
        .loss(new SpikeAt(10, 0))
        .rollback(cfg)
        .maxSteps(12)
        .listener(
            new TrainingListener() {
              @Override
              public void onStep(StepRecord r) {
                dropout.put(r.step(), s.rngs().states().get("dropout"));
                statuses.add(r.status().name());
              }
            })
        .build()
        .fit();
    assertEquals("ROLLED_BACK", statuses.get(10), statuses.toString());
    assertArrayEquals(dropout.get(7L), dropout.get(10L));
    assertTrue(!Arrays.equals(dropout.get(9L), dropout.get(10L)), "the stream moved before");
  }

  @Test
  void aResumedRunMonitorsTheSameStepsWhateverItsResumeStep() throws Exception {
    // Monitoring every 3 steps and resuming after 10: the resumed run numbers its steps from 10,
    // so it measures 12, 15, 18 as the uninterrupted run does (not 10, 13, 16).
    assertResumeIsExact(
        5,
        s ->
            Fixtures.builder(s, Optimizers.sgd(0.5, 0.9, 0, 0, false))
                .monitor(Monitor.builder(s.model()).every(3))
                .epochs(EPOCHS),
        9);
    RunDirectory full = RunDirectory.open(tmp.resolve("full"));
    RunDirectory cut = RunDirectory.open(tmp.resolve("cut"));
    assertEquals(7, full.health().size()); // steps 0, 3, …, 18 of 21
    assertEquals(full.health(), cut.health());
    assertEquals(events(full), events(cut));
  }

  @Test
  void aDetectorAfterAResumeFiresAsInTheUninterruptedRun() throws Exception {
    // The loss (and so every gradient) ×1000 at step 15, three steps after the resume: the
    // exploding detector's spike rule needs the ten norms before it, which only the checkpoint of
    // its window carries into the resumed run. Clipping keeps the step itself harmless.
    List<SpikeAt> losses = new ArrayList<>();
    assertResumeIsExact(
        3,
        s -> {
          SpikeAt loss = new SpikeAt(15, losses.size() == 2 ? losses.get(1).calls : 0);
          losses.add(loss);
          return Fixtures.builder(
                  s,
                  Transforms.chain(Clip.byGlobalNorm(1.0), Optimizers.sgd(0.05, 0.9, 0, 0, false)))
              .loss(loss)
              .monitor(Monitor.builder(s.model()).every(1))
              .epochs(EPOCHS);
        },
        11);
    List<Map<String, Object>> full = events(RunDirectory.open(tmp.resolve("full")));
    assertTrue(
        full.stream()
            .anyMatch(
                m -> "EXPLODING".equals(m.get("event")) && Long.valueOf(15).equals(m.get("step"))),
        full.toString());
    assertEquals(full, events(RunDirectory.open(tmp.resolve("cut"))));
  }

  @Test
  void theDiagnosisOfAResumedRunCoversTheWholeRun() throws Exception {
    // a spike at step 11, the last step before the interruption: its EXPLODING finding, the counts
    // and the steps in the resumed run's diagnosis come from the checkpointed log
    List<SpikeAt> losses = new ArrayList<>();
    Trainer[] t =
        assertResumeIsExact(
            3,
            s -> {
              SpikeAt loss = new SpikeAt(11, losses.size() == 2 ? losses.get(1).calls : 0);
              losses.add(loss);
              return Fixtures.builder(
                      s,
                      Transforms.chain(
                          Clip.byGlobalNorm(1.0), Optimizers.sgd(0.05, 0.9, 0, 0, false)))
                  .loss(loss)
                  .monitor(Monitor.builder(s.model()).every(1))
                  .epochs(EPOCHS);
            },
            11);
    String full = Diagnosis.of(t[0].monitor()).toText();
    assertTrue(full.contains("EXPLODING"), full);
    assertTrue(full.contains("21 monitored steps, steps 0–20"), full);
    assertEquals(full, Diagnosis.of(t[1].monitor()).toText());
  }

  private static List<Map<String, Object>> events(RunDirectory d) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> m : d.metrics()) {
      if ("event".equals(m.get("type")) || "guard".equals(m.get("type"))) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void theBestEpochsWeightsResumeWithTheRun() throws Exception {
    // min_delta above any change: epoch 0 is the best; the cut after epoch 1 (step 13) leaves its
    // weights only in the checkpoint, and the resumed run restores them when it stops after
    // epoch 2, as the uninterrupted run does
    assertResumeIsExact(
        5,
        s ->
            Fixtures.builder(s, momentumSgd())
                .earlyStopping(new EarlyStopping(2, 1e9, EarlyStopping.Monitor.VAL_LOSS, true))
                .epochs(6),
        13);
    Map<?, ?> result = (Map<?, ?>) RunDirectory.open(tmp.resolve("cut")).provenance().get("result");
    assertEquals("EARLY_STOPPED", result.get("reason"));
    assertTrue(
        String.valueOf(result.get("message")).contains("Restored the weights of epoch 1"),
        result.toString());
  }

  @Test
  void plateauScheduleAndEarlyStoppingResumeAtAnEpochEnd() throws Exception {
    // 7 batches per epoch: step 13 is the last of epoch 1, so the checkpoint follows that epoch's
    // validation, the plateau's update and early stopping's.
    assertResumeIsExact(
        3,
        s -> {
          ReduceLROnPlateau p = ReduceLROnPlateau.builder(1e-2).patience(0).factor(0.5).build();
          return Fixtures.builder(s, Optimizers.adam(p, 0.9, 0.999, 1e-8, 0, false))
              .plateau(p)
              .earlyStopping(new EarlyStopping(2, 1e-3))
              .epochs(5);
        },
        13);
  }
}
