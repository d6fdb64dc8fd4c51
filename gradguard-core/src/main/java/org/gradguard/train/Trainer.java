package org.gradguard.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gradguard.data.DataLoader;
import org.gradguard.data.Dataset;
import org.gradguard.health.GuardAction;
import org.gradguard.health.Guards;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.HealthListener;
import org.gradguard.health.Monitor;
import org.gradguard.health.RollbackConfig;
import org.gradguard.health.SpikeConfig;
import org.gradguard.health.StepStats;
import org.gradguard.health.TrainingStep;
import org.gradguard.nn.Module;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.ReduceLROnPlateau;
import org.gradguard.optim.TransformState;
import org.gradguard.tensor.io.Json;

/**
 * Trains a model: epochs of batches through the step of {@code DESIGN.md} §1 (forward, loss,
 * backward, the optimizer chain, the schedule), validation at each epoch's end, early stopping,
 * checkpoints and listeners. After DJL's {@code Trainer} and Lightning's {@code Trainer.fit}, built
 * with a {@link Builder} that validates everything in {@code build()}:
 *
 * <pre>{@code
 * RngStreams rngs = RngStreams.of(42);
 * Module model = new Sequential(new Linear(784, 256, rngs.get("init")), Activation.relu(), ...);
 * FitResult r = Trainer.builder()
 *     .model(model)
 *     .loss(BatchLoss.crossEntropy())
 *     .data(new DataLoader(train, 128, rngs.seedFor("data")))
 *     .validation(test)
 *     .optimizer(Optimizers.sgd(0.05, 0.9, 0, 0, false))
 *     .rngs(rngs)
 *     .epochs(10)
 *     .earlyStopping(EarlyStopping.patience(3))
 *     .runDirectory(Path.of("runs/mlp"))        // provenance, metrics.jsonl, checkpoints/
 *     .stopOnInterrupt(true)                      // Ctrl-C: finish the step, checkpoint, return
 *     .build()
 *     .fit();
 * }</pre>
 *
 * <p><b>One step</b> ({@link StepRecord}) runs through the health package's {@link TrainingStep}
 * seam: the loader's next batch; zero the gradients; {@code model.forward}; the {@link BatchLoss};
 * {@code backward}; the {@link Monitor} (every {@value #DEFAULT_MONITOR_EVERY} steps by default);
 * roll-back triggers (when configured); the guards ({@link Guards#skipNonFinite}, on by default,
 * and {@link Guards#skipSpikes}) wrapping the transformation chain; {@code p += update}. The
 * schedule is part of the chain ({@link org.gradguard.optim.Transforms#scaleByLearningRate}), so it
 * advances with it. The monitor's statistics and events and the guards' actions go to the listeners
 * as they happen. When the guards give up ({@link org.gradguard.health.TrainingDivergedException}),
 * {@code fit()} returns {@link FitResult.StopReason#DIVERGED} with the diagnosis as its message
 * (and in {@code diagnosis.json}). <b>An epoch's end</b>: {@link EpochRecord}; validation ({@link
 * ValidationRecord}); a {@link ReduceLROnPlateau} given to {@link Builder#plateau} is fed the
 * validation loss; early stopping; a checkpoint.
 *
 * <p><b>Reproducibility.</b> Given the same seed, configuration and thread count ({@link
 * org.gradguard.tensor.Parallel}), {@code fit()} produces bit-identical weights: every random draw
 * comes from an explicit {@link org.gradguard.tensor.Rng} ({@link RngStreams}), the data order from
 * the loader's seed, and kernels split work by thread count only.
 *
 * <p><b>Checkpoints and resume.</b> With a {@link Builder#runDirectory run directory}, checkpoints
 * are written to its {@code checkpoints/} every {@link Builder#checkpointEvery} steps, at each
 * epoch's end (unless turned off), when training ends and when it is interrupted (see {@link
 * CheckpointStore} for the crash-safe protocol). A checkpoint holds the model's parameters and
 * buffers, the chain's whole state (moments, counts, the schedule's position, clipping and guard
 * state), the roll-back guard's snapshot and counters, the health detectors' windows and counters
 * and the monitor's log (event summaries, kept events and actions), the loader's position, every
 * {@link RngStreams random stream}, early-stopping and plateau state, and the validation history.
 * {@link Builder#resume} restores all of it into freshly built objects, and the continued run is
 * bit-identical to one that was never interrupted (for the same thread count). The model, chain and
 * data must be built exactly as in the original run.
 *
 * <p><b>Interruption.</b> {@link #requestStop()} (thread-safe) makes training stop after the
 * current step, write a checkpoint and return {@link FitResult.StopReason#INTERRUPTED} with a
 * message saying how to resume. {@link Builder#stopOnInterrupt(boolean)} installs a JVM shutdown
 * hook for the duration of {@code fit()} that calls it on Ctrl-C (SIGINT) or SIGTERM and waits for
 * the checkpoint to be written.
 *
 * <p>A trainer runs {@code fit()} once; it is not thread-safe apart from {@link #requestStop()}.
 */
public final class Trainer {
  /** The health monitor measures every this many steps unless {@link Builder#monitor} says. */
  public static final int DEFAULT_MONITOR_EVERY = 10;

  /** The default limit of consecutive non-finite steps ({@link Builder#skipNonFinite}). */
  public static final int DEFAULT_MAX_NON_FINITE = 5;

  final Module model;
  final BatchLoss loss;
  final DataLoader loader;
  final Dataset validation;
  final int validationBatchSize;
  final Dataset test;
  final GradientTransformation transformation;
  final RngStreams rngs;
  final int epochs;
  final long maxSteps;
  final EarlyStopping earlyStopping;
  final ReduceLROnPlateau plateau;
  final Path runDirectory;
  final long checkpointEvery;
  final boolean checkpointEachEpoch;
  final List<TrainingListener> listeners;
  final Map<String, Object> config;
  final Path resumeFrom;
  final boolean stopOnInterrupt;
  final String resumeHint;
  final PrintStream messages;
  final RollbackConfig rollback;
  final Monitor monitor;
  final TrainingStep trainingStep;

  /** The run in progress, which the monitor's records are forwarded to; null outside fit(). */
  volatile TrainingRun current;

  private volatile boolean stopRequested;
  private volatile boolean started;
  private final CountDownLatch finished = new CountDownLatch(1);

  private Trainer(Builder b) {
    this.model = b.model;
    this.loss = b.loss;
    this.loader = b.loader;
    this.validation = b.validation;
    this.validationBatchSize = b.validationBatchSize > 0 ? b.validationBatchSize : loaderBatch(b);
    this.test = b.test;
    this.transformation = b.transformation;
    this.rngs = b.rngs;
    this.epochs = b.epochs;
    this.maxSteps = b.maxSteps;
    this.earlyStopping = b.earlyStopping;
    this.plateau = b.plateau;
    this.runDirectory = b.runDirectory != null ? b.runDirectory : runDirOf(b.resumeFrom);
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointEachEpoch = b.checkpointEachEpoch;
    this.listeners = List.copyOf(b.listeners);
    this.config = b.config;
    this.resumeFrom = b.resumeFrom;
    this.stopOnInterrupt = b.stopOnInterrupt;
    this.resumeHint = b.resumeHint;
    this.messages = b.messages;
    this.rollback = b.rollback;
    Monitor.Builder mb =
        b.monitor != null ? b.monitor : Monitor.builder(b.model).every(DEFAULT_MONITOR_EVERY);
    this.monitor = mb.listener(new HealthBridge()).build();
    TrainingStep.Builder sb = TrainingStep.builder(model, transformation).monitor(monitor);
    if (b.skipNonFinite > 0) {
      sb.skipNonFinite(b.skipNonFinite);
    }
    if (b.skipSpikes != null) {
      sb.skipSpikes(b.skipSpikes);
    }
    if (b.rollback != null) {
      // the streams the model was built with (dropout's among them): a roll-back restores them
      sb.rollback(b.rollback).rngs(b.rngs.streams());
    }
    this.trainingStep = sb.build();
  }

  /** Forwards the monitor's records to the run in progress. */
  private final class HealthBridge implements HealthListener {
    @Override
    public void onStats(StepStats stats) {
      TrainingRun r = current;
      if (r != null) {
        r.onStats(stats);
      }
    }

    @Override
    public void onEvent(HealthEvent event) {
      TrainingRun r = current;
      if (r != null) {
        r.onEvent(event);
      }
    }

    @Override
    public void onAction(GuardAction action) {
      TrainingRun r = current;
      if (r != null) {
        r.onAction(action);
      }
    }
  }

  private static int loaderBatch(Builder b) {
    return b.loader.batchSize();
  }

  /**
   * The run directory a resume source belongs to: the directory holding {@code provenance.json}
   * among the source, its parent (a {@code checkpoints/} directory) and its grandparent (a
   * checkpoint file); null when none does (the run then continues without files unless {@link
   * Builder#runDirectory} is set).
   */
  private static Path runDirOf(Path resumeFrom) {
    Path p = resumeFrom == null ? null : resumeFrom.toAbsolutePath();
    for (int up = 0; p != null && up < 3; up++, p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(RunDirectory.PROVENANCE))) {
        return p;
      }
    }
    return null;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Trains until the epochs or steps are done, early stopping ends it, {@link #requestStop()} is
   * called, or the run diverges. Modified: the model's parameters and buffers, the loader's
   * position, the random streams, the run directory.
   *
   * @throws IllegalStateException if called a second time
   * @throws IllegalArgumentException if the checkpoint to resume from is missing, malformed, or
   *     does not fit the model, chain or data (the message names the file and key)
   * @throws java.io.UncheckedIOException when a run file cannot be written
   */
  public FitResult fit() {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException(
            "Trainer.fit: this trainer already ran; build a new one (resume from its run directory"
                + " to continue)");
      }
      started = true;
    }
    Thread hook = stopOnInterrupt ? InterruptHook.install(this) : null;
    try {
      TrainingRun run = new TrainingRun(this);
      current = run;
      return run.run();
    } finally {
      current = null;
      monitor.close();
      finished.countDown();
      InterruptHook.remove(hook);
    }
  }

  /**
   * Asks training to stop after the current step; it then writes a checkpoint (when it has a run
   * directory) and {@link #fit()} returns {@link FitResult.StopReason#INTERRUPTED}. Thread-safe;
   * may be called before {@code fit()} (which then stops before its first step) or by a listener.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Whether {@link #requestStop()} was called. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /**
   * Waits until {@link #fit()} has returned or thrown (at most {@code timeout}); used by the
   * interrupt hook. Returns whether it finished in time.
   */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  /** The model being trained. */
  public Module model() {
    return model;
  }

  /**
   * The live state of the guarded chain: the guards' records, with the optimizer chain's state as
   * their child 0 (just the chain's state when no guard is configured).
   */
  public TransformState optimizerState() {
    return trainingStep.state();
  }

  /** The health monitor (its {@link Monitor#log() log} holds the run's health history). */
  public Monitor monitor() {
    return monitor;
  }

  /** The run directory, or null. */
  public Path runDirectory() {
    return runDirectory;
  }

  /**
   * The settings of a {@link Trainer}. Required: {@link #model}, {@link #loss}, {@link #data},
   * {@link #optimizer}, and {@link #epochs} and/or {@link #maxSteps}. Everything is validated in
   * {@link #build()}, with messages naming the setting and the value.
   */
  public static final class Builder {
    private Module model;
    private BatchLoss loss;
    private DataLoader loader;
    private Dataset validation;
    private Dataset test;
    private int validationBatchSize;
    private GradientTransformation transformation;
    private RngStreams rngs;
    private int epochs;
    private long maxSteps;
    private EarlyStopping earlyStopping;
    private ReduceLROnPlateau plateau;
    private Path runDirectory;
    private long checkpointEvery;
    private boolean checkpointEachEpoch = true;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Map<String, Object> config = new LinkedHashMap<>();
    private Path resumeFrom;
    private boolean stopOnInterrupt;
    private String resumeHint;
    private PrintStream messages = System.err;
    private Monitor.Builder monitor;
    private int skipNonFinite = DEFAULT_MAX_NON_FINITE;
    private SpikeConfig skipSpikes;
    private RollbackConfig rollback;

    private Builder() {}

    /**
     * The model to train (required). Its parameters are trained in {@code parameterInfos()} order.
     */
    public Builder model(Module m) {
      this.model = m;
      return this;
    }

    /** The objective (required), e.g. {@link BatchLoss#crossEntropy()}. */
    public Builder loss(BatchLoss l) {
      this.loss = l;
      return this;
    }

    /** The training batches (required); training starts at the loader's current position. */
    public Builder data(DataLoader l) {
      this.loader = l;
      return this;
    }

    /** A validation set, evaluated at each epoch's end in batches of the training batch size. */
    public Builder validation(Dataset d) {
      return validation(d, 0);
    }

    /** A validation set and its batch size ({@code >= 1}; 0 for the training batch size). */
    public Builder validation(Dataset d, int batchSize) {
      this.validation = d;
      this.validationBatchSize = batchSize;
      return this;
    }

    /**
     * A test set, evaluated once when training ends (completed, or stopped early after the best
     * weights were put back), in batches of the validation batch size; not after an interruption or
     * a divergence. The result is {@link FitResult#test()} and the run directory's provenance
     * {@code result.test}. Keep it apart from the validation set that early stopping and the
     * plateau schedule judge epochs on.
     */
    public Builder test(Dataset d) {
      this.test = d;
      return this;
    }

    /**
     * The gradient transformation chain (required), e.g. {@code Optimizers.adamw(1e-3, 1e-2)} or
     * {@code Transforms.chain(Clip.byGlobalNorm(1), ...)}.
     */
    public Builder optimizer(GradientTransformation t) {
      this.transformation = t;
      return this;
    }

    /**
     * The run's random streams (default {@code RngStreams.of(0)}): their seed is the run's seed in
     * the provenance, and every stream is checkpointed and restored.
     */
    public Builder rngs(RngStreams r) {
      this.rngs = r;
      return this;
    }

    /** Train this many epochs ({@code >= 1}); 0 (default) for no epoch limit. */
    public Builder epochs(int n) {
      this.epochs = n;
      return this;
    }

    /** Stop after this many steps in total ({@code >= 1}); 0 (default) for no step limit. */
    public Builder maxSteps(long n) {
      this.maxSteps = n;
      return this;
    }

    /**
     * Stop when the validation loss (or accuracy) stops improving, and with {@link
     * EarlyStopping#restoreBestWeights()} put the best epoch's weights back (needs a validation
     * set; the accuracy needs one with classes).
     */
    public Builder earlyStopping(EarlyStopping e) {
      this.earlyStopping = e;
      return this;
    }

    /**
     * A {@link ReduceLROnPlateau} used as a schedule inside the chain; the trainer feeds it the
     * validation loss at each epoch's end and checkpoints its state (needs a validation set).
     */
    public Builder plateau(ReduceLROnPlateau p) {
      this.plateau = p;
      return this;
    }

    /**
     * Where the run's files go ({@code provenance.json}, {@code metrics.jsonl}, {@code
     * checkpoints/}; see {@link RunDirectory}). Without one, nothing is written and no checkpoints
     * are made. A new run needs a directory that does not hold a run yet.
     */
    public Builder runDirectory(Path dir) {
      this.runDirectory = dir;
      return this;
    }

    /** Also checkpoint every this many steps ({@code >= 1}; 0, the default, for none). */
    public Builder checkpointEvery(long steps) {
      this.checkpointEvery = steps;
      return this;
    }

    /** Whether to checkpoint at each epoch's end (default true). */
    public Builder checkpointEachEpoch(boolean b) {
      this.checkpointEachEpoch = b;
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(TrainingListener l) {
      if (l == null) {
        throw new IllegalArgumentException("Trainer: listener must not be null");
      }
      listeners.add(l);
      return this;
    }

    /**
     * The configuration that produced this run, recorded in the provenance as given: any map of
     * JSON-writable values (strings, numbers, booleans, lists, maps, null). Copied.
     */
    public Builder config(Map<String, ?> c) {
      this.config = c == null ? null : new LinkedHashMap<>(c);
      return this;
    }

    /**
     * Resumes from a checkpoint: a run directory (its latest checkpoint), a checkpoints directory,
     * or a checkpoint's {@code .json} file. Unless {@link #runDirectory} is set, the run continues
     * in the run directory the checkpoint belongs to.
     */
    public Builder resume(Path from) {
      this.resumeFrom = from;
      return this;
    }

    /**
     * Whether {@code fit()} installs a shutdown hook so that Ctrl-C finishes the current step,
     * writes a checkpoint and returns (default false).
     */
    public Builder stopOnInterrupt(boolean b) {
      this.stopOnInterrupt = b;
      return this;
    }

    /**
     * The instruction printed after an interruption, e.g. {@code "gradguard train --resume
     * runs/mlp"}; by default it names {@code Trainer.Builder.resume} and the run directory.
     */
    public Builder resumeHint(String hint) {
      this.resumeHint = hint;
      return this;
    }

    /** Where the interruption message is printed (default {@code System.err}). */
    public Builder messages(PrintStream out) {
      this.messages = out;
      return this;
    }

    /**
     * The health monitor's settings, e.g. {@code Monitor.builder(model).every(1)}; the trainer adds
     * its own listener to the builder (modifying it) and builds it. Default: {@code
     * Monitor.builder(model).every(}{@value Trainer#DEFAULT_MONITOR_EVERY}{@code )} with the
     * default detectors. The trainer closes the monitor (removing its hooks) when {@code fit()}
     * ends.
     */
    public Builder monitor(Monitor.Builder m) {
      this.monitor = m;
      return this;
    }

    /**
     * Wraps the chain in {@link Guards#skipNonFinite}: a step with a NaN or infinite gradient is
     * not applied, and the {@code maxConsecutive}-th such step in a row ends training as diverged.
     * Default {@value Trainer#DEFAULT_MAX_NON_FINITE}; 0 turns the guard off (non-finite updates
     * then reach the weights, as in PyTorch).
     */
    public Builder skipNonFinite(int maxConsecutive) {
      this.skipNonFinite = maxConsecutive;
      return this;
    }

    /** Wraps the chain in {@link Guards#skipSpikes} (skip loss or gradient-norm spikes). */
    public Builder skipSpikes(SpikeConfig config) {
      this.skipSpikes = config;
      return this;
    }

    /**
     * Rolls back to the last good state on a trigger ({@link RollbackConfig}): parameters, buffers,
     * the chain's state (the schedule's position with it) and the random streams created before the
     * trainer was built (dropout's). The snapshot is kept in memory and written into every
     * checkpoint with the guard's counters, so a resumed run rolls back exactly as an uninterrupted
     * one. Resuming a checkpoint of a run without roll-back, the guard's first snapshot is the
     * state resumed from.
     */
    public Builder rollback(RollbackConfig config) {
      this.rollback = config;
      return this;
    }

    /** Validates the settings and builds the trainer (and the chain's initial state). */
    public Trainer build() {
      require(model, "model");
      require(loss, "loss");
      require(loader, "data");
      require(transformation, "optimizer");
      require(messages, "messages");
      if (rngs == null) {
        rngs = RngStreams.of(0);
      }
      if (epochs < 0) {
        throw new IllegalArgumentException("Trainer: epochs must be >= 0, got " + epochs);
      }
      if (maxSteps < 0) {
        throw new IllegalArgumentException("Trainer: maxSteps must be >= 0, got " + maxSteps);
      }
      if (epochs == 0 && maxSteps == 0) {
        throw new IllegalArgumentException(
            "Trainer: set epochs or maxSteps (or both); both are 0, so training would never end");
      }
      if (validationBatchSize < 0) {
        throw new IllegalArgumentException(
            "Trainer: validation batchSize must be >= 0, got " + validationBatchSize);
      }
      if (earlyStopping != null && validation == null) {
        throw new IllegalArgumentException(
            "Trainer: earlyStopping needs a validation set (validation(dataset))");
      }
      if (earlyStopping != null
          && earlyStopping.monitor() == EarlyStopping.Monitor.VAL_ACCURACY
          && validation.numClasses() == 0) {
        throw new IllegalArgumentException(
            "Trainer: earlyStopping monitors the validation accuracy, but the validation set has"
                + " no classes ("
                + validation.description()
                + ")");
      }
      if (test != null && test.size() == 0) {
        throw new IllegalArgumentException(
            "Trainer: the test set is empty (" + test.description() + ")");
      }
      if (plateau != null && validation == null) {
        throw new IllegalArgumentException(
            "Trainer: plateau needs a validation set to feed it (validation(dataset))");
      }
      if (checkpointEvery < 0) {
        throw new IllegalArgumentException(
            "Trainer: checkpointEvery must be >= 0, got " + checkpointEvery);
      }
      if (checkpointEvery > 0 && runDirectory == null && resumeFrom == null) {
        throw new IllegalArgumentException(
            "Trainer: checkpointEvery " + checkpointEvery + " needs a runDirectory");
      }
      if (config == null) {
        throw new IllegalArgumentException("Trainer: config must not be null (use an empty map)");
      }
      Json.write(config); // a value JSON cannot hold fails here, naming its path
      if (skipNonFinite < 0) {
        throw new IllegalArgumentException(
            "Trainer: skipNonFinite must be >= 0 (0 = off), got " + skipNonFinite);
      }
      if (model.parameters().isEmpty()) {
        throw new IllegalArgumentException("Trainer: model " + model + " has no parameters");
      }
      return new Trainer(this);
    }

    private static void require(Object o, String name) {
      if (o == null) {
        throw new IllegalArgumentException("Trainer: " + name + " must be set");
      }
    }
  }
}
