package org.gradguard.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.gradguard.autograd.Variable;
import org.gradguard.data.Batch;
import org.gradguard.data.DataLoader;
import org.gradguard.health.Diagnosis;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.StepOutcome;
import org.gradguard.health.StepStats;
import org.gradguard.health.TrainingDivergedException;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.StateDict;
import org.gradguard.optim.Clip;
import org.gradguard.optim.ReduceLROnPlateau;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.AtomicFile;
import org.gradguard.tensor.io.Json;

/** One call of {@link Trainer#fit()}: the loop, its running state, checkpoints and resume. */
final class TrainingRun {
  private final Trainer t;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final List<Parameter> params;
  private final StateProbe lrProbe;
  private final StateProbe clipProbe;
  private final StateProbe clipCountProbe;
  private final long startNanos = System.nanoTime();

  private RunDirectory dir;
  private CheckpointStore store;
  private MetricsWriter metrics;
  private Map<String, Object> provenance;

  // the state a checkpoint carries
  private long step;
  private long optimizerSteps;
  private double epochLossSum;
  private int epochLosses;
  private int epochBatches;
  private int epochsCompleted;
  private double lastLoss = Double.NaN;
  private EarlyStopping.State early;

  /**
   * Early stopping's copy of the best epoch's parameters and buffers (with {@link
   * EarlyStopping#restoreBestWeights()}), and that epoch (0-based; -1 before one improved).
   */
  private Map<String, Tensor> bestModel;

  private int bestEpoch = -1;

  /**
   * Whether early stopping put the best epoch's weights back (the run's last checkpoint has them).
   */
  private boolean restoredBest;

  private final List<ValidationRecord> validations = new ArrayList<>();

  // not checkpointed
  private long epochNanos;
  private long lastCheckpointStep = -1;
  private Path lastCheckpoint;
  private Path resumedFrom;

  /** What became of the health detectors' state on resume ({@link RunInfo#detectorsNote()}). */
  private String detectorsOnResume;

  private HealthWriter health;
  private TrainingDivergedException diverged;

  /**
   * The loss value of this step's forward pass (null before it runs), so that a diverged run can
   * report the loss it stopped on; only the scalar is kept, not the graph.
   */
  private Tensor lastForwardLoss;

  TrainingRun(Trainer trainer) {
    this.t = trainer;
    this.params = trainer.model.parameters();
    this.lrProbe = StateProbe.find(trainer.trainingStep.state(), "lr");
    this.clipProbe = StateProbe.find(trainer.trainingStep.state(), Clip.LAST_NORM);
    this.clipCountProbe = StateProbe.find(trainer.trainingStep.state(), Clip.CLIP_COUNT);
    this.early =
        trainer.earlyStopping != null
            ? trainer.earlyStopping.initial()
            : new EarlyStopping.State(Double.POSITIVE_INFINITY, 0);
  }

  FitResult run() {
    try {
      if (t.resumeFrom != null) {
        resume();
      }
      openRunDirectory();
      listeners.addAll(t.listeners);
      DataLoader.Position start = t.loader.position();
      RunInfo info =
          new RunInfo(
              step,
              start.epoch(),
              t.epochs,
              t.maxSteps,
              t.loader.batchesPerEpoch(),
              resumedFrom,
              dir == null ? null : dir.dir(),
              provenance);
      listeners.forEach(l -> l.onStart(info));
      t.model.train();
      FitResult.StopReason reason = loop();
      if (store != null && lastCheckpointStep != step && reason != FitResult.StopReason.DIVERGED) {
        checkpoint(reason == FitResult.StopReason.INTERRUPTED ? "interrupt" : "final");
      }
      Evaluation.Result test = null;
      if (t.test != null
          && (reason == FitResult.StopReason.COMPLETED
              || reason == FitResult.StopReason.EARLY_STOPPED)) {
        test = Evaluation.evaluate(t.model, t.test, t.loss, t.validationBatchSize);
      }
      FitResult result = result(reason, test);
      finishRunDirectory(result);
      if (reason == FitResult.StopReason.INTERRUPTED || reason == FitResult.StopReason.DIVERGED) {
        t.messages.println(result.message());
      }
      listeners.forEach(l -> l.onEnd(result));
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } finally {
      closeMetrics();
    }
  }

  private FitResult.StopReason loop() throws IOException {
    while (true) {
      if (t.stopRequested()) {
        return FitResult.StopReason.INTERRUPTED;
      }
      if (t.earlyStopping != null && t.earlyStopping.shouldStop(early)) {
        return FitResult.StopReason.EARLY_STOPPED;
      }
      DataLoader.Position pos = t.loader.position();
      if ((t.maxSteps > 0 && step >= t.maxSteps) || (t.epochs > 0 && pos.epoch() >= t.epochs)) {
        return FitResult.StopReason.COMPLETED;
      }
      StepRecord rec;
      try {
        rec = step(pos);
      } catch (TrainingDivergedException e) {
        diverged = e;
        if (lastForwardLoss != null) {
          // The step that diverged produced no StepRecord; its loss is the run's last loss.
          lastLoss = lastForwardLoss.item();
        }
        step++;
        return FitResult.StopReason.DIVERGED;
      }
      listeners.forEach(l -> l.onStep(rec));
      if (t.loader.position().epoch() != pos.epoch()) {
        endEpoch(pos.epoch(), rec.step());
      }
      if (t.checkpointEvery > 0 && step % t.checkpointEvery == 0 && lastCheckpointStep != step) {
        checkpoint("interval");
      }
    }
  }

  /**
   * One training step through the health package's {@link TrainingStep}: forward, loss, backward,
   * monitor, roll-back triggers, guards, chain, apply (DESIGN.md §1).
   */
  private StepRecord step(DataLoader.Position pos) {
    long t0 = System.nanoTime();
    lastForwardLoss = null;
    Batch batch = t.loader.next();
    StepOutcome o =
        t.trainingStep.run(
            () -> {
              Variable l = t.loss.apply(t.model.forward(Variable.constant(batch.inputs())), batch);
              lastForwardLoss = l.value();
              if (l.value().numel() != 1) {
                throw new IllegalArgumentException(
                    "Trainer: the loss must be a scalar, got shape " + Arrays.toString(l.shape()));
              }
              return l;
            });
    boolean ranBatch = o.status() != StepOutcome.Status.SKIPPED_BATCH;
    double gradNorm =
        !ranBatch ? Double.NaN : o.stats() != null ? o.stats().globalGradNorm() : globalGradNorm();
    long nanos = System.nanoTime() - t0;
    epochNanos += nanos;
    StepRecord rec =
        new StepRecord(
            step,
            pos.epoch(),
            pos.batch(),
            batch.size(),
            o.loss(),
            lrProbe.read(t.trainingStep.state()),
            gradNorm,
            clipProbe.read(t.trainingStep.state()),
            o.status(),
            nanos / 1e9);
    step++;
    if (o.applied()) {
      optimizerSteps++;
    }
    epochBatches++;
    if (ranBatch) {
      epochLossSum += o.loss();
      epochLosses++;
      lastLoss = o.loss();
    }
    return rec;
  }

  // ------------------------------------------------------------------ health records

  void onStats(StepStats s) {
    listeners.forEach(l -> l.onStats(s));
  }

  void onEvent(HealthEvent e) {
    listeners.forEach(l -> l.onEvent(e));
  }

  void onAction(GuardAction a) {
    listeners.forEach(l -> l.onAction(a));
  }

  private double globalGradNorm() {
    double sum = 0;
    for (Parameter p : params) {
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      float[] d = g.data();
      for (int i = 0, n = g.numel(); i < n; i++) {
        sum += (double) d[i] * d[i];
      }
    }
    return Math.sqrt(sum);
  }

  private void endEpoch(int epoch, long lastStep) throws IOException {
    EpochRecord er =
        new EpochRecord(
            epoch, lastStep, epochLossSum / epochBatches, epochBatches, epochNanos / 1e9);
    epochLossSum = 0;
    epochBatches = 0;
    epochNanos = 0;
    epochsCompleted = epoch + 1;
    listeners.forEach(l -> l.onEpoch(er));
    if (t.validation != null) {
      long v0 = System.nanoTime();
      Evaluation.Result r =
          Evaluation.evaluate(t.model, t.validation, t.loss, t.validationBatchSize);
      ValidationRecord vr =
          new ValidationRecord(
              epoch,
              lastStep,
              r.loss(),
              r.accuracy(),
              r.examples(),
              (System.nanoTime() - v0) / 1e9);
      validations.add(vr);
      listeners.forEach(l -> l.onValidation(vr));
      if (t.plateau != null) {
        t.plateau.step(r.loss());
      }
      if (t.earlyStopping != null) {
        early = t.earlyStopping.update(early, vr);
        if (t.earlyStopping.restoreBestWeights()) {
          if (early.badEpochs() == 0) {
            bestModel = StateDict.snapshot(t.model);
            bestEpoch = epoch;
          }
          if (t.earlyStopping.shouldStop(early) && bestModel != null) {
            // before this epoch's checkpoint, so that the run's last checkpoint holds them
            StateDict.load(t.model, bestModel, true);
            restoredBest = true;
          }
        }
      }
    }
    if (t.checkpointEachEpoch && store != null) {
      checkpoint("epoch");
    }
  }

  /**
   * What stopped a diverged run: the diagnosis at the stop, unless it found nothing (the monitor
   * measures every k-th step and may not have seen the non-finite one), then the guard's last
   * action, which names the rule that fired.
   */
  private String divergenceDetail() {
    Diagnosis d = diverged.diagnosis();
    if (d == null || !d.healthy() || d.log().actions().isEmpty()) {
      return diverged.getMessage();
    }
    List<GuardAction> actions = d.log().actions();
    return "Stopped by the guards: "
        + actions.get(actions.size() - 1)
        + "\n(The health monitor measures every "
        + t.monitor.every()
        + (t.monitor.every() == 1 ? " step" : " steps")
        + " and did not measure the non-finite step.)";
  }

  /**
   * How far training got, counted as a person counts: {@code "after 464 steps (8 epochs)"} at an
   * epoch's end, {@code "after 39 steps (epoch 1: 39 of 58 batches done)"} within one. {@code pos}
   * is the loader's position, i.e. the next batch.
   */
  private String where(DataLoader.Position pos) {
    String steps = "after " + step + (step == 1 ? " step" : " steps");
    if (pos.batch() == 0) {
      return steps + " (" + pos.epoch() + (pos.epoch() == 1 ? " epoch)" : " epochs)");
    }
    return steps
        + " (epoch "
        + (pos.epoch() + 1)
        + ": "
        + pos.batch()
        + " of "
        + t.loader.batchesPerEpoch()
        + " batches done)";
  }

  private FitResult result(FitResult.StopReason reason, Evaluation.Result test) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String where = where(t.loader.position());
    String message;
    switch (reason) {
      case INTERRUPTED:
        if (lastCheckpoint == null) {
          message = "Training interrupted " + where + "; no run directory, so no checkpoint.";
        } else {
          String hint =
              t.resumeHint != null
                  ? t.resumeHint
                  : "Trainer.builder()...resume(Path.of(\"" + dir.dir() + "\"))";
          message =
              "Training interrupted "
                  + where
                  + "; checkpoint written to "
                  + lastCheckpoint
                  + ". Resume with: "
                  + hint;
        }
        break;
      case DIVERGED:
        message =
            "Training diverged at step "
                + diverged.step()
                + " (loss "
                + lastLoss
                + ")"
                + (lastCheckpoint == null ? "" : "; last good checkpoint: " + lastCheckpoint)
                + ".\n"
                + divergenceDetail();
        break;
      case EARLY_STOPPED:
        message =
            "Early stopping "
                + where
                + ": validation "
                + metricName()
                + " did not improve on its best, "
                + String.format(Locale.ROOT, "%.4g", early.best())
                + (t.earlyStopping.minDelta() > 0
                    ? String.format(Locale.ROOT, " by more than %.3g", t.earlyStopping.minDelta())
                    : "")
                + ", for "
                + early.badEpochs()
                + (early.badEpochs() == 1 ? " epoch." : " epochs.")
                + restoredNote();
        break;
      default:
        message = "Training completed " + where + ".";
        break;
    }
    return new FitResult(
        reason,
        step,
        epochsCompleted,
        lastLoss,
        validations,
        seconds,
        lastCheckpoint,
        message,
        test);
  }

  /** The metric early stopping watches, in words: "loss" or "accuracy". */
  private String metricName() {
    return t.earlyStopping.monitor() == EarlyStopping.Monitor.VAL_LOSS ? "loss" : "accuracy";
  }

  /** What early stopping did with the best epoch's weights, for the end-of-run message. */
  private String restoredNote() {
    if (!t.earlyStopping.restoreBestWeights()) {
      return "";
    }
    if (!restoredBest) {
      return " The weights are the last epoch's: no improving epoch's weights were kept to"
          + " restore.";
    }
    return " Restored the weights of epoch "
        + (bestEpoch + 1)
        + " (validation "
        + metricName()
        + " "
        + String.format(Locale.ROOT, "%.4g", early.best())
        + ").";
  }

  // ------------------------------------------------------------------ checkpoints

  private void checkpoint(String reason) throws IOException {
    Checkpoint c =
        new Checkpoint(
            step,
            optimizerSteps,
            t.loader.position(),
            StateDict.of(t.model),
            t.trainingStep.state().export(),
            t.trainingStep.rollbackState(),
            t.monitor.detectorStates(),
            t.monitor.log().state(),
            bestModel,
            t.rngs.states(),
            trainerState(),
            provenance);
    CheckpointRecord rec = store.write(c, reason);
    lastCheckpointStep = step;
    lastCheckpoint = rec.metadata();
    listeners.forEach(l -> l.onCheckpoint(rec));
  }

  private Map<String, Object> trainerState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochLossSum", JsonFields.number(epochLossSum));
    m.put("epochLosses", epochLosses);
    m.put("epochBatches", epochBatches);
    m.put("epochsCompleted", epochsCompleted);
    m.put("lastLoss", JsonFields.number(lastLoss));
    Map<String, Object> es = new LinkedHashMap<>();
    es.put("best", JsonFields.number(early.best()));
    es.put("badEpochs", early.badEpochs());
    es.put("bestEpoch", bestEpoch);
    es.put("restored", restoredBest);
    m.put("earlyStopping", es);
    if (t.plateau != null) {
      ReduceLROnPlateau.State s = t.plateau.state();
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("lr", JsonFields.number(s.lr()));
      p.put("best", JsonFields.number(s.best()));
      p.put("numBadEpochs", s.numBadEpochs());
      p.put("cooldownCounter", s.cooldownCounter());
      p.put("steps", s.steps());
      m.put("plateau", p);
    }
    List<Object> vs = new ArrayList<>();
    for (ValidationRecord v : validations) {
      vs.add(MetricsJson.of(v));
    }
    m.put("validations", vs);
    return m;
  }

  private void resume() throws IOException {
    Path from = t.resumeFrom;
    Checkpoint c;
    if (Files.isRegularFile(from)) {
      c = CheckpointStore.read(from);
      resumedFrom = from;
    } else {
      Path ckptDir =
          Files.isDirectory(from.resolve(RunDirectory.CHECKPOINTS))
              ? from.resolve(RunDirectory.CHECKPOINTS)
              : from;
      CheckpointStore s = CheckpointStore.at(ckptDir);
      c = s.readLatest();
      resumedFrom = s.latest().orElseThrow();
    }
    String src = resumedFrom.toString();
    JsonFields prov = new JsonFields(src, "provenance", c.provenance());
    if (prov.has("seed") && prov.getLong("seed") != t.rngs.seed()) {
      throw prov.error(
          "seed",
          "is "
              + prov.getLong("seed")
              + " but this run's seed is "
              + t.rngs.seed()
              + "; resume with the seed of the original run");
    }
    if (c.position().batch() > t.loader.batchesPerEpoch()) {
      throw new IllegalArgumentException(
          src
              + ": key 'loader.batch' is "
              + c.position().batch()
              + " but the data loader has only "
              + t.loader.batchesPerEpoch()
              + " batches per epoch; resume with the original data and batch size");
    }
    JsonFields ts = new JsonFields(src, "trainer", c.trainer());
    double lossSum = ts.getDouble("epochLossSum");
    int losses = ts.getNonNegativeInt("epochLosses");
    int batches = ts.getNonNegativeInt("epochBatches");
    int done = ts.getNonNegativeInt("epochsCompleted");
    double last = ts.getDouble("lastLoss");
    JsonFields es = ts.getObject("earlyStopping");
    EarlyStopping.State earlyState =
        new EarlyStopping.State(es.getDouble("best"), es.getNonNegativeInt("badEpochs"));
    int bestEpochState = es.has("bestEpoch") ? es.getInt("bestEpoch") : -1;
    boolean restoredState = es.has("restored") && es.getBoolean("restored");
    ReduceLROnPlateau.State plateauState = null;
    if (t.plateau != null) {
      if (!ts.has("plateau")) {
        throw ts.error("plateau", "is missing, but this run has a plateau schedule");
      }
      JsonFields p = ts.getObject("plateau");
      plateauState =
          new ReduceLROnPlateau.State(
              p.getDouble("lr"),
              p.getDouble("best"),
              p.getNonNegativeLong("numBadEpochs"),
              p.getNonNegativeLong("cooldownCounter"),
              p.getNonNegativeLong("steps"));
    }
    List<ValidationRecord> history = new ArrayList<>();
    for (JsonFields v : ts.getObjectList("validations")) {
      history.add(MetricsJson.validation(v));
    }

    // Everything is parsed; the model, the chain and the roll-back state are checked before
    // anything changes.
    try {
      StateDict.check(t.model, c.model(), true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(src + ": the model does not fit: " + e.getMessage(), e);
    }
    boolean keepBest =
        t.earlyStopping != null && t.earlyStopping.restoreBestWeights() && c.bestModel() != null;
    if (keepBest) {
      try {
        StateDict.check(t.model, c.bestModel(), true);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            src + ": early stopping's best model does not fit: " + e.getMessage(), e);
      }
    }
    try {
      t.trainingStep.state().checkFits(c.optimizer());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          src + ": the optimizer chain does not fit: " + e.getMessage(), e);
    }
    if (t.rollback != null && c.rollback() != null) {
      try {
        t.trainingStep.checkRollbackFits(c.rollback());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(src + ": " + e.getMessage(), e);
      }
    }
    // the detectors' windows and counters (all or nothing). A monitor with other detectors or other
    // settings than the interrupted run's starts afresh rather than refusing the resume: it only
    // observes; the provenance and the resume line say so.
    try {
      detectorsOnResume =
          t.monitor.restoreDetectorStates(c.detectors())
              ? RunInfo.DETECTORS_RESTORED
              : RunInfo.DETECTORS_AFRESH + "the checkpoint has other detectors than this run";
    } catch (IllegalArgumentException e) {
      detectorsOnResume = RunInfo.DETECTORS_AFRESH + e.getMessage();
    }
    if (c.healthLog() != null) {
      // the summaries, counts and kept events: the end-of-run diagnosis covers the whole run
      t.monitor.log().restore(c.healthLog());
    }
    StateDict.load(t.model, c.model(), true);
    t.trainingStep.state().restore(c.optimizer());
    t.trainingStep.resumeAt(c.stepsCompleted());
    if (t.rollback != null) {
      // the interrupted run's snapshot and counters; without them (it had no roll-back guard) the
      // guard's first snapshot is the state just loaded. A checkpoint's roll-back state is unused
      // when this run has no roll-back guard.
      t.trainingStep.resumeRollback(c.rollback());
    }
    t.loader.seek(c.position());
    t.rngs.restore(c.rngs());
    if (plateauState != null) {
      t.plateau.restore(plateauState);
    }
    step = c.stepsCompleted();
    optimizerSteps = c.optimizerSteps();
    epochLossSum = lossSum;
    epochLosses = losses;
    epochBatches = batches;
    epochsCompleted = done;
    lastLoss = last;
    early = earlyState;
    if (keepBest) {
      bestModel = new LinkedHashMap<>(c.bestModel());
      bestEpoch = bestEpochState;
      restoredBest = restoredState;
    }
    validations.addAll(history);
    lastCheckpointStep = step;
    lastCheckpoint = resumedFrom;
    provenance = new LinkedHashMap<>(c.provenance());
  }

  // ------------------------------------------------------------------ run directory

  private void openRunDirectory() throws IOException {
    Instant now = Instant.now();
    if (provenance == null) {
      Map<String, String> data = new LinkedHashMap<>();
      data.put("train", t.loader.description());
      if (t.validation != null) {
        data.put("validation", t.validation.description());
      }
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("description", t.model.toString());
      model.put("parameters", t.model.parameterCount());
      provenance = Provenance.create(t.rngs.seed(), t.config, data, model, now);
    }
    if (t.runDirectory == null) {
      return;
    }
    dir = RunDirectory.at(t.runDirectory);
    Files.createDirectories(dir.dir());
    if (resumedFrom == null) {
      if (Files.exists(dir.provenanceFile())) {
        throw new IllegalArgumentException(
            "Trainer: "
                + dir.dir()
                + " already holds a run ("
                + RunDirectory.PROVENANCE
                + "); choose a new run directory, or resume this run");
      }
    } else {
      Map<String, Object> resume = new LinkedHashMap<>();
      resume.put("time", now.toString());
      resume.put("stepsCompleted", step);
      resume.put("threads", Parallel.threads());
      resume.put("checkpoint", resumedFrom.toString());
      resume.put("detectors", detectorsOnResume);
      @SuppressWarnings("unchecked")
      List<Object> resumes =
          provenance.get("resumes") instanceof List
              ? new ArrayList<>((List<Object>) provenance.get("resumes"))
              : new ArrayList<>();
      resumes.add(resume);
      provenance.put("resumes", resumes);
      provenance.put("endTime", null);
      long keepBelow = step;
      Predicate<Map<String, Object>> keep =
          m -> !(m.get("step") instanceof Long s) || s < keepBelow;
      JsonLines.filter(dir.metricsFile(), keep);
      JsonLines.filter(dir.healthFile(), keep);
    }
    writeProvenance();
    store = dir.checkpoints();
    metrics = new MetricsWriter(dir.metricsFile());
    listeners.add(metrics);
    health = new HealthWriter(dir.healthFile());
    listeners.add(health);
  }

  private void finishRunDirectory(FitResult r) throws IOException {
    if (dir == null) {
      return;
    }
    provenance.put("endTime", Instant.now().toString());
    Map<String, Object> res = new LinkedHashMap<>();
    res.put("reason", r.reason().name());
    res.put("steps", r.steps());
    res.put("epochsCompleted", r.epochsCompleted());
    res.put("finalTrainLoss", JsonFields.number(r.finalTrainLoss()));
    double clipped = clipCountProbe.read(t.trainingStep.state());
    if (!Double.isNaN(clipped)) {
      // Steps whose update the chain's clipping scaled (over the whole run, as checkpointed).
      res.put("clippedSteps", (long) clipped);
    }
    res.put("message", r.message());
    if (r.test() != null) {
      Map<String, Object> test = new LinkedHashMap<>();
      test.put("loss", JsonFields.number(r.test().loss()));
      test.put("accuracy", JsonFields.number(r.test().accuracy()));
      test.put("examples", r.test().examples());
      res.put("test", test);
    }
    provenance.put("result", res);
    writeProvenance();
    byte[] diagnosis = (Diagnosis.of(t.monitor).toJson() + "\n").getBytes(StandardCharsets.UTF_8);
    AtomicFile.write(dir.diagnosisFile(), out -> out.write(diagnosis));
  }

  private void writeProvenance() throws IOException {
    byte[] bytes = (Json.writePretty(provenance) + "\n").getBytes(StandardCharsets.UTF_8);
    AtomicFile.write(dir.provenanceFile(), out -> out.write(bytes));
  }

  private void closeMetrics() {
    for (AutoCloseable c : new AutoCloseable[] {metrics, health}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // every line was flushed when written
        }
      }
    }
  }
}
