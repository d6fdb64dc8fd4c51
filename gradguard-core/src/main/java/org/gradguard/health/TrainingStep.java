package org.gradguard.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Module;
import org.gradguard.nn.ParameterInfo;
import org.gradguard.optim.AppliedUpdates;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.Params;
import org.gradguard.optim.StateSnapshot;
import org.gradguard.optim.StepContext;
import org.gradguard.optim.TransformState;
import org.gradguard.optim.UpdateBuffers;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * One guarded training step, the seam the {@code Trainer} will use:
 *
 * <pre>
 * forward → loss → backward → monitor → roll-back triggers → guards → optimizer chain → apply
 * </pre>
 *
 * <pre>{@code
 * TrainingStep train = TrainingStep.builder(model, Optimizers.adamw(1e-3, 0.01))
 *     .skipNonFinite(5)                      // skip NaN/Inf steps; the 5th in a row stops
 *     .rollback(RollbackConfig.defaults())   // restore the last good state on a loss spike
 *     .build();
 * for (Batch b : loader) {
 *   StepOutcome o = train.run(() -> LossOps.crossEntropy(model.forward(b.x()), b.y(), 0));
 * }
 * }</pre>
 *
 * <p>What it does, in order, for each call of {@link #run}:
 *
 * <ol>
 *   <li>If batches are to be skipped after a roll-back, skips this one without a forward pass.
 *   <li>Clears the gradients, starts the monitor's step, runs the loss supplier (the forward pass)
 *       and backward, and copies the gradients for the chain; on a monitored step the copying pass
 *       measures them for the monitor (its gradient detectors run here; the parameter statistics
 *       wait for the adding pass, see {@link Monitor}).
 *   <li>Roll-back triggers ({@link RollbackConfig}): a non-finite loss or gradient, a loss spike,
 *       or a CRITICAL monitor event of a chosen type. A trigger restores the last good state,
 *       lowers the learning rate and ends the step. Roll-back takes precedence over skipping.
 *   <li>The optimizer chain, wrapped in the configured guards ({@code skipNonFinite(skipSpikes(
 *       chain))}), turns copies of the gradients into updates; a guard may skip the step (see
 *       {@link Guards}: parameters and chain state stay bit-identical).
 *   <li>The updates are added to the parameters in place; on a monitored step that pass measures
 *       the parameters (before the update) and the updates for the monitor ({@link
 *       org.gradguard.optim.AppliedUpdates}), so nothing is read again. A skipped, rolled-back or
 *       stopped step has the monitor scan the unchanged parameters instead. The step's record goes
 *       to the monitor's log and listeners.
 * </ol>
 *
 * <p>Every guard action is a {@link GuardAction} in the monitor's log (and in the returned {@link
 * StepOutcome}). When training cannot continue — the guard's limit of consecutive non-finite steps,
 * or more roll-backs than allowed without progress — {@link #run} records a STOP action and throws
 * {@link TrainingDivergedException} whose message is the {@link Diagnosis}.
 *
 * <p>Step numbers count calls of {@link #run} and never go back; a roll-back restores the
 * schedule's position (it is part of the chain state), not the step number. A non-finite loss is
 * passed to the guards as {@code +∞} (a NaN loss in a {@link StepContext} means "not supplied").
 *
 * <p>Modified by {@link #run}: the model's parameters, buffers (the forward pass), gradients, the
 * chain state, the monitor, and the RNG when one is given (only restored by a roll-back).
 */
public final class TrainingStep {
  private final Module model;
  private final List<ParameterInfo> infos;
  private final Params params;
  private final Monitor monitor;
  private final GradientTransformation transformation;
  private final TransformState state;
  private final boolean nonFiniteGuard;
  private final boolean spikeGuard;
  private final RollbackConfig rollback;
  private final Map<String, Rng> rngs;
  private final UpdateBuffers buffers;

  private long step;

  /** Steps run before this object's first, by the run it continues ({@link #resumeAt}). */
  private long stepsBefore;

  private int batchesToSkip;
  private double lrScale = 1;
  private Snapshot snapshot;
  private int healthySinceSnapshot;
  private int retries;
  private final float[] lossWindow;
  private int lossCount;
  private int lossNext;

  /**
   * The last good state, kept in memory: the steps completed over the whole run when it was taken,
   * the parameters and buffers by state-dict name, the chain's state and the RNGs' by name.
   */
  private record Snapshot(
      long step, Map<String, Tensor> model, StateSnapshot chain, Map<String, long[]> rngs) {}

  private TrainingStep(Builder b) {
    this.model = b.model;
    this.infos = List.copyOf(b.model.parameterInfos());
    this.buffers = new UpdateBuffers(infos.size());
    this.params = Params.fromInfos(infos);
    this.monitor = b.monitor != null ? b.monitor : Monitor.attach(b.model);
    GradientTransformation t = b.chain;
    if (b.spikes != null) {
      t = Guards.skipSpikes(t, b.spikes);
    }
    if (b.maxConsecutiveNonFinite > 0) {
      t = Guards.skipNonFinite(t, b.maxConsecutiveNonFinite);
    }
    this.transformation = t;
    this.nonFiniteGuard = b.maxConsecutiveNonFinite > 0;
    this.spikeGuard = b.spikes != null;
    this.state = t.init(params);
    this.rollback = b.rollback;
    this.rngs = Collections.unmodifiableMap(new LinkedHashMap<>(b.rngs));
    SpikeConfig ls = rollback == null ? null : rollback.lossSpike();
    this.lossWindow = new float[ls == null ? 1 : ls.window()];
    if (rollback != null) {
      if (rollback.backoff() < 1 && setLrScale(state, 1.0) == 0) {
        throw new IllegalArgumentException(
            "TrainingStep: rollback backoff "
                + rollback.backoff()
                + " needs a scaleByLearningRate in the chain (its lr_scale is lowered), found none");
      }
      takeSnapshot();
    }
  }

  /** A builder for a training step of {@code model} with the optimizer {@code chain}. */
  public static Builder builder(Module model, GradientTransformation chain) {
    return new Builder(model, chain);
  }

  /**
   * Runs one step on the batch whose loss {@code lossFn} computes (it runs the forward pass).
   *
   * @throws TrainingDivergedException when training cannot continue; its message is the diagnosis
   */
  public StepOutcome run(Supplier<Variable> lossFn) {
    long t = stepsBefore + step++;
    List<GuardAction> actions = new ArrayList<>();
    if (batchesToSkip > 0) {
      batchesToSkip--;
      act(
          actions,
          new GuardAction(
              t,
              "rollback",
              GuardAction.Action.SKIP,
              "skipping a batch after the roll-back (" + batchesToSkip + " more to skip)",
              Map.of("batches_left", (double) batchesToSkip)));
      return new StepOutcome(t, StepOutcome.Status.SKIPPED_BATCH, Double.NaN, null, actions);
    }
    model.zeroGrad();
    monitor.beginStep(t);
    Variable loss = lossFn.get();
    double lv = loss.item();
    if (loss.requiresGrad()) {
      loss.backward();
    }
    // the copies the chain transforms, into buffers reused from step to step; on a monitored step
    // the copying pass measures the gradients
    Tensor[] updates = new Tensor[infos.size()];
    StepStats stats = monitor.observeGradients(lv, buffers, updates);

    if (rollback != null) {
      String why = rollbackTrigger(lv, stats);
      if (why != null) {
        monitor.measureParameters(); // before the roll-back restores other values
        rollBack(t, why, actions);
        StepStats done = monitor.endStep();
        return new StepOutcome(t, StepOutcome.Status.ROLLED_BACK, lv, done, actions);
      }
    }

    double guardLoss = Double.isFinite(lv) ? lv : Double.POSITIVE_INFINITY;
    try {
      transformation.update(updates, state, params, new StepContext(t, guardLoss));
    } catch (TrainingDivergedException e) {
      nonFiniteAction(t, actions);
      stop(t, e.getMessage(), actions, e);
    }
    if (nonFiniteGuard && state.number(Guards.SKIPPED) == 1) {
      nonFiniteAction(t, actions);
      return new StepOutcome(t, StepOutcome.Status.SKIPPED, lv, monitor.endStep(), actions);
    }
    if (spikeGuard && spikeState().number(Guards.SKIPPED) == 1) {
      spikeAction(t, lv, actions);
      return new StepOutcome(t, StepOutcome.Status.SKIPPED, lv, monitor.endStep(), actions);
    }
    if (monitor.measuring()) {
      // the adding pass measures the parameters (before the update) and the updates
      monitor.observeApplied(AppliedUpdates.applyInPlace(params, updates));
    } else {
      for (int i = 0; i < updates.length; i++) {
        params.value(i).addInPlace(updates[i]);
      }
    }
    StepStats done = monitor.endStep();
    if (rollback != null) {
      healthy(lv);
    }
    return new StepOutcome(t, StepOutcome.Status.APPLIED, lv, done, actions);
  }

  // ------------------------------------------------------------------ guards' records

  private TransformState spikeState() {
    return nonFiniteGuard ? state.child(0) : state;
  }

  private void nonFiniteAction(long t, List<GuardAction> actions) {
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("non_finite", state.number(Guards.NON_FINITE));
    nums.put("consecutive", state.number(Guards.CONSECUTIVE));
    nums.put("total_skipped", state.number(Guards.TOTAL_SKIPPED));
    act(
        actions,
        new GuardAction(
            t,
            "skipNonFinite",
            GuardAction.Action.SKIP,
            (long) state.number(Guards.NON_FINITE)
                + " non-finite gradient entries (or a non-finite loss): update not applied ("
                + (long) state.number(Guards.CONSECUTIVE)
                + " in a row)",
            nums));
  }

  private void spikeAction(long t, double loss, List<GuardAction> actions) {
    TransformState s = spikeState();
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("loss", loss);
    nums.put("loss_z", s.number(Guards.LOSS_Z));
    nums.put("norm", s.number(Guards.NORM));
    nums.put("norm_z", s.number(Guards.NORM_Z));
    nums.put("total_skipped", s.number(Guards.TOTAL_SKIPPED));
    boolean lossSpike =
        s.number(Guards.LOSS_Z) > s.number(Guards.NORM_Z) || Double.isNaN(s.number(Guards.NORM_Z));
    String what =
        lossSpike
            ? "loss " + Fmt.num(loss) + " is " + Fmt.num(s.number(Guards.LOSS_Z)) + "σ"
            : "gradient norm "
                + Fmt.num(s.number(Guards.NORM))
                + " is "
                + Fmt.num(s.number(Guards.NORM_Z))
                + "σ";
    act(
        actions,
        new GuardAction(
            t,
            "skipSpikes",
            GuardAction.Action.SKIP,
            what + " above its recent mean: update not applied",
            nums));
  }

  private void act(List<GuardAction> actions, GuardAction a) {
    actions.add(a);
    monitor.record(a);
  }

  // ------------------------------------------------------------------ roll-back

  private String rollbackTrigger(double loss, StepStats stats) {
    if (rollback.onNonFinite()) {
      boolean finite = stats != null ? stats.allFinite() : Double.isFinite(loss) && gradsFinite();
      if (!finite) {
        return "non-finite " + (Double.isFinite(loss) ? "gradients" : "loss (" + loss + ")");
      }
    }
    SpikeConfig ls = rollback.lossSpike();
    if (ls != null && Double.isFinite(loss)) {
      double z = SpikeRule.z(lossWindow, lossCount, loss, ls.minHistory());
      if (z > ls.k()) {
        return "loss "
            + Fmt.num(loss)
            + " is "
            + Fmt.num(z)
            + "σ above its mean of the last "
            + lossCount
            + " steps ("
            + Fmt.num(SpikeRule.mean(lossWindow, lossCount))
            + " ± "
            + Fmt.num(SpikeRule.std(lossWindow, lossCount))
            + ")";
      }
    }
    for (HealthEvent e : monitor.currentEvents()) {
      if (rollback.onEvents().contains(e.type()) && e.severity() == Severity.CRITICAL) {
        return e.type() + ": " + e.message();
      }
    }
    return null;
  }

  private boolean gradsFinite() {
    for (ParameterInfo p : infos) {
      Tensor g = p.parameter().grad();
      if (g != null && !Double.isFinite(Scans.sumSq(g.data(), g.numel()))) {
        return false;
      }
    }
    return true;
  }

  private void rollBack(long t, String why, List<GuardAction> actions) {
    if (retries >= rollback.maxRetries()) {
      stop(
          t,
          why + "; " + retries + " roll-backs without " + rollback.every() + " healthy steps",
          actions,
          null);
    }
    retries++;
    restore(snapshot);
    lrScale *= rollback.backoff();
    setLrScale(state, lrScale);
    batchesToSkip = rollback.skipBatches();
    healthySinceSnapshot = 0;
    Map<String, Double> nums = new LinkedHashMap<>();
    nums.put("restored_step", (double) snapshot.step());
    nums.put("lr_scale", lrScale);
    nums.put("retry", (double) retries);
    nums.put("max_retries", (double) rollback.maxRetries());
    nums.put("skip_batches", (double) batchesToSkip);
    act(
        actions,
        new GuardAction(
            t,
            "rollback",
            GuardAction.Action.ROLLBACK,
            why
                + ": restored the state of step "
                + snapshot.step()
                + ", learning rate ×"
                + Fmt.num(rollback.backoff())
                + " (now ×"
                + Fmt.num(lrScale)
                + " of the schedule)"
                + (batchesToSkip == 0
                    ? ""
                    : batchesToSkip == 1
                        ? ", skipping the next batch"
                        : ", skipping the next " + batchesToSkip + " batches")
                + " (retry "
                + retries
                + " of "
                + rollback.maxRetries()
                + ")",
            nums));
  }

  private void healthy(double loss) {
    SpikeConfig ls = rollback.lossSpike();
    if (ls != null && Double.isFinite(loss)) {
      lossWindow[lossNext] = (float) loss;
      lossNext = (lossNext + 1) % lossWindow.length;
      lossCount = Math.min(lossCount + 1, lossWindow.length);
    }
    if (++healthySinceSnapshot >= rollback.every()) {
      takeSnapshot();
      healthySinceSnapshot = 0;
      retries = 0;
    }
  }

  private void takeSnapshot() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (ParameterInfo p : infos) {
      m.put(p.name(), p.parameter().value().copy());
    }
    model.namedBuffers().forEach((k, v) -> m.put(k, v.copy()));
    Map<String, long[]> words = new LinkedHashMap<>();
    rngs.forEach((k, r) -> words.put(k, r.state()));
    snapshot = new Snapshot(stepsBefore + step, m, state.export(), words);
  }

  private void restore(Snapshot s) {
    for (ParameterInfo p : infos) {
      p.parameter().value().copyFromInPlace(s.model().get(p.name()));
    }
    Map<String, Tensor> live = model.namedBuffers();
    live.forEach((k, v) -> v.copyFromInPlace(s.model().get(k)));
    state.restore(s.chain());
    rngs.forEach((k, r) -> r.restore(s.rngs().get(k)));
  }

  /**
   * The roll-back guard's state for a checkpoint (the snapshot's tensors are copies), or null when
   * this step has no roll-back guard.
   */
  public RollbackState rollbackState() {
    if (rollback == null) {
      return null;
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    snapshot.model().forEach((k, v) -> m.put(k, v.copy()));
    StateSnapshot chain = snapshot.chain();
    Map<String, Tensor> chainTensors = new LinkedHashMap<>();
    chain.tensors().forEach((k, v) -> chainTensors.put(k, v.copy()));
    return new RollbackState(
        snapshot.step(),
        m,
        new StateSnapshot(chainTensors, chain.numbers()),
        snapshot.rngs(),
        lrScale,
        healthySinceSnapshot,
        retries,
        batchesToSkip,
        lossWindow,
        lossCount,
        lossNext);
  }

  /**
   * Continues a run's step numbering after {@code stepsCompleted} steps (a resume): the next {@link
   * #run} is step {@code stepsCompleted}, so records, events, guard actions and the diagnosis name
   * the steps as the uninterrupted run does, and a monitor measuring every k steps measures the
   * same steps.
   *
   * @throws IllegalArgumentException when {@code stepsCompleted} is fewer than the steps this
   *     object has already run
   */
  public void resumeAt(long stepsCompleted) {
    if (stepsCompleted < step) {
      throw new IllegalArgumentException(
          "TrainingStep.resumeAt: stepsCompleted "
              + stepsCompleted
              + " is fewer than the "
              + step
              + " steps this object has run");
    }
    stepsBefore = stepsCompleted - step;
  }

  /**
   * Puts back the roll-back guard's state after a resume ({@link #resumeAt} first, and once the
   * model and the chain state are loaded): with {@code saved} from {@link #rollbackState()} of the
   * interrupted run, the guard carries on exactly as it would have; with null (the interrupted run
   * had no roll-back guard) it takes its snapshot of the current state now. Everything is checked
   * before anything changes.
   *
   * @throws IllegalArgumentException when {@code saved} does not fit this step (other parameters or
   *     buffers, shapes, chain keys, loss-spike window or RNGs)
   * @throws IllegalStateException when this step has no roll-back guard
   */
  public void resumeRollback(RollbackState saved) {
    if (rollback == null) {
      throw new IllegalStateException("TrainingStep.resumeRollback: this step has no roll-back");
    }
    if (saved == null) {
      takeSnapshot();
      healthySinceSnapshot = 0;
      retries = 0;
      return;
    }
    checkRollbackFits(saved);
    snapshot = new Snapshot(saved.snapshotStep(), saved.model(), saved.chain(), saved.rngs());
    lrScale = saved.lrScale();
    healthySinceSnapshot = saved.healthySinceSnapshot();
    retries = saved.retries();
    batchesToSkip = saved.batchesToSkip();
    System.arraycopy(saved.lossWindow(), 0, lossWindow, 0, lossWindow.length);
    lossCount = saved.lossCount();
    lossNext = saved.lossNext();
  }

  /**
   * Throws what {@link #resumeRollback} would throw for {@code saved}, changing nothing: it must
   * have this step's parameter and buffer names and shapes, chain keys, loss window and RNG.
   */
  public void checkRollbackFits(RollbackState saved) {
    Map<String, Tensor> live = new LinkedHashMap<>();
    for (ParameterInfo p : infos) {
      live.put(p.name(), p.parameter().value());
    }
    live.putAll(model.namedBuffers());
    if (!live.keySet().equals(saved.model().keySet())) {
      throw new IllegalArgumentException(
          "roll-back snapshot: holds "
              + saved.model().keySet()
              + " but the model has "
              + live.keySet());
    }
    live.forEach(
        (k, v) -> {
          if (!v.sameShape(saved.model().get(k))) {
            throw new IllegalArgumentException(
                "roll-back snapshot: '"
                    + k
                    + "' has shape "
                    + Arrays.toString(saved.model().get(k).shape())
                    + ", the model's has "
                    + Arrays.toString(v.shape()));
          }
        });
    try {
      state.checkFits(saved.chain());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("roll-back snapshot: " + e.getMessage(), e);
    }
    if (saved.lossWindow().length != lossWindow.length) {
      throw new IllegalArgumentException(
          "roll-back snapshot: its loss window holds "
              + saved.lossWindow().length
              + " losses but this run's holds "
              + lossWindow.length
              + "; resume with the original roll-back settings");
    }
    if (!saved.rngs().keySet().equals(rngs.keySet())) {
      throw new IllegalArgumentException(
          "roll-back snapshot: holds the RNGs "
              + saved.rngs().keySet()
              + " but this step has "
              + rngs.keySet());
    }
  }

  /** Sets every {@code lr_scale} number in the state tree; returns how many there were. */
  private static int setLrScale(TransformState s, double value) {
    int n = 0;
    if (s.hasNumber("lr_scale")) {
      s.setNumber("lr_scale", value);
      n++;
    }
    for (int i = 0; i < s.childCount(); i++) {
      n += setLrScale(s.child(i), value);
    }
    return n;
  }

  private void stop(long t, String why, List<GuardAction> actions, Throwable cause) {
    act(actions, new GuardAction(t, "trainingStep", GuardAction.Action.STOP, why, Map.of()));
    monitor.endStep();
    throw new TrainingDivergedException(Diagnosis.of(monitor), t, cause);
  }

  // ------------------------------------------------------------------ accessors

  /** The monitor that measures each step and keeps the log. */
  public Monitor monitor() {
    return monitor;
  }

  /** The guarded chain's live state (guards' records first, the chain's as their child 0). */
  public TransformState state() {
    return state;
  }

  /** The number of steps this object has run (after a resume, not counting the earlier ones). */
  public long steps() {
    return step;
  }

  /** The learning-rate multiplier after roll-backs (1 before any). */
  public double lrScale() {
    return lrScale;
  }

  /**
   * The settings of a {@link TrainingStep}; the chain is required, everything else optional.
   *
   * <ul>
   *   <li>{@code monitor}: default {@link Monitor#attach} of the model (every step, default
   *       detectors).
   *   <li>{@code skipNonFinite(n)}: wrap the chain in {@link Guards#skipNonFinite}.
   *   <li>{@code skipSpikes(config)}: wrap the chain in {@link Guards#skipSpikes}.
   *   <li>{@code rollback(config)}: keep and restore the last good state ({@link RollbackConfig}).
   *   <li>{@code rngs}: the RNGs the forward pass uses (dropout, augmentation), by name, saved and
   *       restored with the state; {@code rng(r)} is {@code rngs(Map.of("rng", r))}.
   * </ul>
   */
  public static final class Builder {
    private final Module model;
    private final GradientTransformation chain;
    private Monitor monitor;
    private int maxConsecutiveNonFinite;
    private SpikeConfig spikes;
    private RollbackConfig rollback;
    private Map<String, Rng> rngs = Map.of();

    private Builder(Module model, GradientTransformation chain) {
      if (model == null || chain == null) {
        throw new IllegalArgumentException("TrainingStep: model and chain must not be null");
      }
      this.model = model;
      this.chain = chain;
    }

    public Builder monitor(Monitor m) {
      this.monitor = m;
      return this;
    }

    /** Skip non-finite steps; the {@code maxConsecutive}-th in a row stops training. */
    public Builder skipNonFinite(int maxConsecutive) {
      if (maxConsecutive < 1) {
        throw new IllegalArgumentException(
            "TrainingStep: maxConsecutive must be >= 1, got " + maxConsecutive);
      }
      this.maxConsecutiveNonFinite = maxConsecutive;
      return this;
    }

    public Builder skipSpikes(SpikeConfig config) {
      this.spikes = config;
      return this;
    }

    public Builder rollback(RollbackConfig config) {
      this.rollback = config;
      return this;
    }

    /** One RNG the forward pass uses, saved and restored with the roll-back's state. */
    public Builder rng(Rng r) {
      if (r == null) {
        throw new IllegalArgumentException("TrainingStep: rng must not be null");
      }
      return rngs(Map.of("rng", r));
    }

    /**
     * The RNGs the forward pass uses, by name (a run's random streams), saved and restored with the
     * roll-back's state. Not modified: {@code m} (copied; the RNGs themselves are the live ones).
     */
    public Builder rngs(Map<String, Rng> m) {
      if (m == null || m.containsKey(null) || m.containsValue(null)) {
        throw new IllegalArgumentException("TrainingStep: rngs must not be or hold null");
      }
      this.rngs = new LinkedHashMap<>(m);
      return this;
    }

    public TrainingStep build() {
      return new TrainingStep(this);
    }
  }
}
