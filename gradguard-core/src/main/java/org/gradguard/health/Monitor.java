package org.gradguard.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Module;
import org.gradguard.nn.ParameterInfo;
import org.gradguard.nn.RecurrentLayer;
import org.gradguard.optim.AppliedUpdates;
import org.gradguard.optim.UpdateBuffers;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Tensor;

/**
 * Measures the gradient health of a model every {@code k} steps: per parameter and per layer (in
 * depth order) the gradient L2 norm, max |g|, non-finite count, parameter norm, update norm and
 * DL4J's update:parameter ratio; per activation layer the output mean, std, saturated and dead
 * fractions and the gradient norm of every call's output; per recurrent layer ({@link
 * RecurrentLayer}: RNN, LSTM, GRU) the gradient reaching each time step of its input; the global
 * gradient norm and the loss. Then it runs the {@link Detector}s, keeps everything in a bounded
 * {@link HealthLog} and hands each record to the {@link HealthListener}s. It plays the role of
 * optax's monitoring transformations and DL4J's stats listener.
 *
 * <p>One step, as the training loop drives it:
 *
 * <pre>{@code
 * monitor.beginStep(step);                 // arms the activation hooks when step % k == 0
 * Variable loss = lossFn(model.forward(x));
 * loss.backward();
 * monitor.observeGradients(loss.item());   // gradient statistics + gradient-stage detectors
 * ... guards, optimizer ...
 * monitor.observeUpdates(updates);         // optional: the updates, in model.parameters() order
 * monitor.endStep();                       // update-stage detectors, history, listeners
 * }</pre>
 *
 * <p>Cost: each gradient, parameter, update and activation output is read once, with no copies, by
 * the Vector API loops of {@code ScanKernels} when the JVM has {@code jdk.incubator.vector};
 * activation outputs are scanned in the forward hook and their gradients in a gradient hook. On
 * steps that are not monitored the hooks return at once and nothing else runs. A {@link
 * TrainingStep} does not read the gradients, parameters and updates again at all: it copies the
 * gradients for its chain with {@link org.gradguard.tensor.Backend#copyMeasured} and adds the
 * updates with {@link AppliedUpdates}, and those passes hand over the statistics (package-private
 * {@code observeGradients(loss, copies)}, {@code observeApplied}); the parameter statistics (the
 * values before the update, as everywhere) are then NaN at the gradient stage. {@code
 * docs/benchmarks.md} has the figures.
 *
 * <p>Not thread-safe: one training loop drives a monitor. {@link #close()} removes its hooks.
 */
public final class Monitor implements AutoCloseable {
  private final List<ParameterInfo> infos;
  private final int every;
  private final List<Detector> detectors;
  private final List<HealthListener> listeners;
  private final HealthLog log;
  private final Map<Module, ActivationProbe> probes = new IdentityHashMap<>();
  private final List<AutoCloseable> hooks = new ArrayList<>();
  private final List<SequenceProbe> sequenceProbes = new ArrayList<>();
  private final ModelProfile profile;

  private boolean inStep;
  private boolean measuring;

  /** True when the pending record's parameter statistics await {@link #observeApplied}. */
  private boolean parametersPending;

  private long step;
  private int forwardOrder;
  private StepStats pending;
  private final List<HealthEvent> currentEvents = new ArrayList<>();

  private Monitor(Builder b) {
    this.infos = List.copyOf(b.model.parameterInfos());
    this.every = b.every;
    this.detectors = List.copyOf(b.detectors);
    this.listeners = List.copyOf(b.listeners);
    this.log = new HealthLog(b.statsCapacity, b.eventCapacity);
    this.profile = ModelProfile.of(b.model);
    for (Map.Entry<String, Module> e : b.model.namedModules().entrySet()) {
      if (e.getValue() instanceof Activation a && a.kind() != Activation.Kind.IDENTITY) {
        String name = e.getKey().isEmpty() ? "(root)" : e.getKey();
        ActivationProbe probe = new ActivationProbe(name, a.kind(), b.saturationTolerance);
        probes.put(a, probe);
        hooks.add(a.registerForwardHook((m, in, out) -> onForward(probe, out)));
      } else if (e.getValue() instanceof RecurrentLayer) {
        SequenceProbe probe =
            new SequenceProbe(e.getKey(), e.getValue().getClass().getSimpleName());
        sequenceProbes.add(probe);
        hooks.add(e.getValue().registerForwardHook((m, in, out) -> onSequence(probe, in)));
      }
    }
  }

  /** Each detector's {@link Detector#state()}, in this monitor's order, for a checkpoint. */
  public List<DetectorState> detectorStates() {
    List<DetectorState> out = new ArrayList<>(detectors.size());
    for (Detector d : detectors) {
      out.add(new DetectorState(d.getClass().getSimpleName(), d.state()));
    }
    return out;
  }

  /**
   * Puts back {@link #detectorStates()} of a monitor with the same detectors, so that they fire as
   * they would have without the interruption. Returns false, changing nothing, when the detectors
   * differ (other classes or another order: a resumed run whose monitor was configured anew); the
   * detectors then start afresh.
   *
   * @throws IllegalArgumentException when the detectors match but a state does not fit (naming the
   *     detector and key); nothing has changed then
   */
  public boolean restoreDetectorStates(List<DetectorState> saved) {
    if (saved.size() != detectors.size()) {
      return false;
    }
    for (int i = 0; i < saved.size(); i++) {
      if (!saved.get(i).detector().equals(detectors.get(i).getClass().getSimpleName())) {
        return false;
      }
    }
    List<DetectorState> before = detectorStates();
    int i = 0;
    try {
      for (; i < detectors.size(); i++) {
        detectors.get(i).restoreState(saved.get(i).values());
      }
    } catch (IllegalArgumentException e) {
      for (int j = 0; j < i; j++) {
        detectors.get(j).restoreState(before.get(j).values());
      }
      throw new IllegalArgumentException(
          "detector " + i + " (" + saved.get(i).detector() + "): " + e.getMessage(), e);
    }
    return true;
  }

  /** A builder for a monitor of {@code model}; see {@link Builder} for the settings. */
  public static Builder builder(Module model) {
    return new Builder(model);
  }

  /** A monitor of {@code model} with the default settings and {@link Detectors#defaults()}. */
  public static Monitor attach(Module model) {
    return builder(model).build();
  }

  private void onForward(ActivationProbe probe, org.gradguard.autograd.Variable out) {
    if (!measuring) {
      return;
    }
    if (!probe.called()) {
      forwardOrder++;
    }
    int call = probe.observe(out.value(), forwardOrder - 1);
    if (out.requiresGrad()) {
      out.registerHook(
          g -> {
            probe.gradient(call, Math.sqrt(Scans.sumSq(g.data(), g.numel())));
            return g;
          });
    }
  }

  private void onSequence(SequenceProbe probe, org.gradguard.autograd.Variable in) {
    if (!measuring || !in.requiresGrad() || in.value().dim() < 2) {
      return;
    }
    long generation = step;
    int steps = in.shape()[0];
    probe.expect(steps);
    in.registerHook(
        g -> {
          // a leaf input reused across steps keeps old hooks: they stay silent
          if (measuring && step == generation) {
            probe.measure(g, steps);
          }
          return g;
        });
  }

  /**
   * Starts step {@code step}; it is monitored when {@code step % every == 0}. Call before the
   * forward pass so the activation hooks see it.
   */
  public void beginStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("Monitor.beginStep: step must be >= 0, got " + step);
    }
    this.step = step;
    this.inStep = true;
    this.measuring = step % every == 0;
    this.forwardOrder = 0;
    this.pending = null;
    this.parametersPending = false;
    this.currentEvents.clear();
    if (measuring) {
      probes.values().forEach(ActivationProbe::reset);
      sequenceProbes.forEach(SequenceProbe::reset);
    }
  }

  /** True when the current step is monitored. */
  public boolean measuring() {
    return inStep && measuring;
  }

  /**
   * Measures the gradients (after backward) and runs the gradient-stage detectors. Returns the
   * step's statistics so far (update fields NaN), or null when the step is not monitored. Not
   * modified: the model, its gradients.
   */
  public StepStats observeGradients(double loss) {
    requireStep("observeGradients");
    if (!measuring) {
      return null;
    }
    List<ParameterStats> params = new ArrayList<>(infos.size());
    double total = 0;
    for (ParameterInfo info : infos) {
      Tensor value = info.parameter().value();
      Tensor grad = info.parameter().grad();
      int n = value.numel();
      Scans.GradientScan s =
          Scans.gradientAndParameter(grad == null ? null : grad.data(), value.data(), n);
      params.add(
          parameterStats(info, n, grad != null, s)
              .withParameter(Math.sqrt(s.paramSumSq), n == 0 ? 0 : s.paramSumAbs / n));
      total += s.gradSumSq;
    }
    return gradientStage(loss, params, total);
  }

  /**
   * {@link #observeGradients(double)} for a {@link TrainingStep}, which copies the gradients for
   * its chain: fills {@code copies[i]} with a copy of parameter i's gradient (zeros where it has
   * none), on every step, in {@code buffers} (reused from step to step, so the copies allocate
   * nothing), and on a monitored step takes the gradient statistics in that copying pass ({@link
   * org.gradguard.tensor.Backend#copyMeasured}) instead of a pass of their own.
   *
   * <p>The parameter statistics are left for {@link #observeApplied}, which takes them from the
   * pass that adds the updates to the parameters (the values before the update, as {@link
   * #observeGradients(double)} measures them), or for {@link #measureParameters()}; until then they
   * are NaN in the returned statistics and in what the gradient-stage detectors see. Not modified:
   * the model, its gradients. Modified: {@code copies}, {@code buffers}.
   */
  StepStats observeGradients(double loss, UpdateBuffers buffers, Tensor[] copies) {
    requireStep("observeGradients");
    if (copies.length != infos.size()) {
      throw new IllegalArgumentException(
          "Monitor.observeGradients: expected room for "
              + infos.size()
              + " gradient copies (one per parameter), got "
              + copies.length);
    }
    if (!measuring) {
      for (int i = 0; i < copies.length; i++) {
        copies[i] = buffers.copyGradient(i, infos.get(i).parameter());
      }
      return null;
    }
    Backend be = Backends.current();
    double[] out = new double[3];
    List<ParameterStats> params = new ArrayList<>(infos.size());
    double total = 0;
    for (int i = 0; i < copies.length; i++) {
      ParameterInfo info = infos.get(i);
      Tensor grad = info.parameter().grad();
      int n = info.parameter().value().numel();
      Scans.GradientScan s;
      Tensor b = buffers.buffer(i, info.parameter());
      copies[i] = b;
      if (grad == null) {
        b.fillInPlace(0f);
        s = new Scans.GradientScan();
      } else {
        be.copyMeasured(grad.data(), b.data(), n, out);
        s = Scans.fromMeasuredCopy(grad.data(), n, out[0], (float) out[1], (float) out[2]);
      }
      params.add(parameterStats(info, n, grad != null, s));
      total += s.gradSumSq;
    }
    parametersPending = true;
    return gradientStage(loss, params, total);
  }

  /** A parameter's gradient statistics from a scan; parameter and update statistics NaN. */
  private static ParameterStats parameterStats(
      ParameterInfo info, int n, boolean has, Scans.GradientScan s) {
    boolean anyFinite = s.finiteMin <= s.finiteMax;
    return new ParameterStats(
        info.name(),
        info.layer(),
        info.layerIndex(),
        n,
        has,
        Math.sqrt(s.gradSumSq),
        s.gradMaxAbs,
        s.nonFinite,
        has && anyFinite ? s.finiteMin : Double.NaN,
        has && anyFinite ? s.finiteMax : Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  /** The activation and sequence statistics, the pending record and the gradient detectors. */
  private StepStats gradientStage(double loss, List<ParameterStats> params, double total) {
    List<ActivationStats> acts = new ArrayList<>();
    for (ActivationProbe p : probes.values()) {
      if (p.called()) {
        acts.add(p.toStats());
      }
    }
    acts.sort(Comparator.comparingInt(ActivationStats::order));
    List<SequenceStats> seqs = new ArrayList<>();
    for (SequenceProbe p : sequenceProbes) {
      SequenceStats st = p.toStats();
      if (st != null) {
        seqs.add(st);
      }
    }
    pending = new StepStats(step, loss, Math.sqrt(total), params, layersOf(params), acts, seqs);
    runDetectors(Detector.Stage.GRADIENTS, pending);
    return pending;
  }

  /**
   * Takes the parameter statistics (before the update) and the update statistics of this step from
   * the pass that applied the updates ({@link AppliedUpdates}, one entry per parameter in {@code
   * model.parameters()} order), in place of {@link #observeUpdates}. Parameter statistics already
   * measured are kept. A no-op on steps that are not monitored. Not modified: {@code applied}.
   */
  void observeApplied(AppliedUpdates applied) {
    requireStep("observeApplied");
    if (!measuring) {
      return;
    }
    requirePending("observeApplied");
    if (applied.size() != infos.size()) {
      throw new IllegalArgumentException(
          "Monitor.observeApplied: expected "
              + infos.size()
              + " applied updates (one per parameter), got "
              + applied.size());
    }
    List<ParameterStats> params = new ArrayList<>(infos.size());
    for (int i = 0; i < infos.size(); i++) {
      ParameterStats p = pending.parameters().get(i);
      long n = p.numel();
      if (parametersPending) {
        p = p.withParameter(Math.sqrt(applied.paramSumSq(i)), meanOf(applied.paramSumAbs(i), n));
      }
      params.add(
          p.withUpdate(Math.sqrt(applied.updateSumSq(i)), meanOf(applied.updateSumAbs(i), n)));
    }
    parametersPending = false;
    replaceParameters(params);
  }

  /**
   * Measures the parameters by a scan of their own when {@link #observeGradients(double, Tensor[])}
   * left them for {@link #observeApplied} and the step will not apply its updates (a skip, a
   * roll-back, a stop). Call before anything changes the parameters; {@link #endStep} calls it too.
   */
  void measureParameters() {
    if (!measuring || pending == null || !parametersPending) {
      return;
    }
    List<ParameterStats> params = new ArrayList<>(infos.size());
    for (int i = 0; i < infos.size(); i++) {
      Tensor value = infos.get(i).parameter().value();
      double[] ss = Scans.sumSqAndSumAbs(value.data(), value.numel());
      ParameterStats p = pending.parameters().get(i);
      params.add(p.withParameter(Math.sqrt(ss[0]), meanOf(ss[1], p.numel())));
    }
    parametersPending = false;
    replaceParameters(params);
  }

  private static double meanOf(double sum, long n) {
    return n == 0 ? 0 : sum / n;
  }

  private void replaceParameters(List<ParameterStats> params) {
    pending =
        new StepStats(
            step,
            pending.loss(),
            pending.globalGradNorm(),
            params,
            layersOf(params),
            pending.activations(),
            pending.sequences());
  }

  private void requirePending(String method) {
    if (pending == null) {
      throw new IllegalStateException(
          "Monitor." + method + ": call observeGradients first (step " + step + ")");
    }
  }

  /**
   * Records the updates applied at this step, one per parameter in {@code model.parameters()} order
   * (null for a parameter left unchanged), for the update norms and update:parameter ratios. Call
   * after {@link #observeGradients} and before {@link #endStep}; a no-op on steps that are not
   * monitored. Not modified: the updates.
   */
  public void observeUpdates(List<Tensor> updates) {
    requireStep("observeUpdates");
    if (!measuring) {
      return;
    }
    requirePending("observeUpdates");
    if (parametersPending) {
      throw new IllegalStateException(
          "Monitor.observeUpdates: the parameters were left for the applying pass; call"
              + " observeApplied (step "
              + step
              + ")");
    }
    if (updates.size() != infos.size()) {
      throw new IllegalArgumentException(
          "Monitor.observeUpdates: expected "
              + infos.size()
              + " updates (one per parameter), got "
              + updates.size());
    }
    List<ParameterStats> params = new ArrayList<>(infos.size());
    for (int i = 0; i < infos.size(); i++) {
      ParameterStats p = pending.parameters().get(i);
      Tensor u = updates.get(i);
      if (u == null) {
        params.add(p.withUpdate(0, 0));
        continue;
      }
      if (u.numel() != p.numel()) {
        throw new IllegalArgumentException(
            "Monitor.observeUpdates: update for "
                + p.name()
                + " has "
                + u.numel()
                + " entries, the parameter has "
                + p.numel());
      }
      double[] ss = Scans.sumSqAndSumAbs(u.data(), u.numel());
      params.add(p.withUpdate(Math.sqrt(ss[0]), meanOf(ss[1], p.numel())));
    }
    replaceParameters(params);
  }

  /**
   * Ends the step: runs the update-stage detectors, records the statistics in the log and hands
   * them to the listeners. Returns them, or null when the step was not monitored.
   */
  public StepStats endStep() {
    requireStep("endStep");
    inStep = false;
    if (!measuring) {
      return null;
    }
    measureParameters();
    measuring = false;
    StepStats s = pending;
    pending = null;
    if (s == null) {
      return null;
    }
    runDetectors(Detector.Stage.UPDATES, s);
    log.add(s);
    for (HealthListener l : listeners) {
      l.onStats(s);
    }
    return s;
  }

  /** Records a guard's action in the log and hands it to the listeners. */
  public void record(GuardAction action) {
    log.add(action);
    for (HealthListener l : listeners) {
      l.onAction(action);
    }
  }

  /** The events found so far in the current (or last) step. */
  public List<HealthEvent> currentEvents() {
    return List.copyOf(currentEvents);
  }

  /** The run's health history. */
  public HealthLog log() {
    return log;
  }

  /** The model's structure and weight scale when the monitor attached. */
  public ModelProfile profile() {
    return profile;
  }

  /** Monitor every this many steps. */
  public int every() {
    return every;
  }

  /** Removes the monitor's hooks from the model. */
  @Override
  public void close() {
    for (AutoCloseable h : hooks) {
      try {
        h.close();
      } catch (Exception e) {
        throw new IllegalStateException("Monitor.close: removing a hook failed", e);
      }
    }
    hooks.clear();
  }

  private void runDetectors(Detector.Stage stage, StepStats s) {
    for (Detector d : detectors) {
      if (d.stage() != stage) {
        continue;
      }
      for (HealthEvent e : d.inspect(s)) {
        currentEvents.add(e);
        log.add(e);
        for (HealthListener l : listeners) {
          l.onEvent(e);
        }
      }
    }
  }

  private void requireStep(String method) {
    if (!inStep) {
      throw new IllegalStateException("Monitor." + method + ": call beginStep(step) first");
    }
  }

  /** Aggregates parameter records (in depth order) into one record per layer. */
  static List<LayerStats> layersOf(List<ParameterStats> params) {
    List<LayerStats> out = new ArrayList<>();
    int i = 0;
    while (i < params.size()) {
      ParameterStats first = params.get(i);
      List<String> names = new ArrayList<>();
      long numel = 0;
      double gradSq = 0;
      double maxAbs = 0;
      long bad = 0;
      double paramSq = 0;
      double paramAbs = 0;
      double updSq = 0;
      double updAbs = 0;
      int j = i;
      for (; j < params.size() && params.get(j).layerIndex() == first.layerIndex(); j++) {
        ParameterStats p = params.get(j);
        names.add(p.name());
        numel += p.numel();
        gradSq += p.gradNorm() * p.gradNorm();
        maxAbs = Math.max(maxAbs, p.gradMaxAbs());
        bad += p.nonFinite();
        paramSq += p.paramNorm() * p.paramNorm();
        paramAbs += p.paramMeanAbs() * p.numel();
        updSq += p.updateNorm() * p.updateNorm();
        updAbs += p.updateMeanAbs() * p.numel();
      }
      out.add(
          new LayerStats(
              first.layer(),
              first.layerIndex(),
              names,
              numel,
              Math.sqrt(gradSq),
              maxAbs,
              bad,
              Math.sqrt(paramSq),
              numel == 0 ? 0 : paramAbs / numel,
              Math.sqrt(updSq),
              numel == 0 ? 0 : updAbs / numel));
      i = j;
    }
    return out;
  }

  /**
   * The settings of a {@link Monitor}, validated in {@link #build()}.
   *
   * <ul>
   *   <li>{@code every} (default 1): monitor steps {@code 0, k, 2k, …}.
   *   <li>{@code statsCapacity} (default 1000): step records kept in the log.
   *   <li>{@code eventCapacity} (default 10000): events and actions kept in the log (summaries are
   *       never dropped).
   *   <li>{@code saturationTolerance} (default 0.01): a sigmoid output within this distance of 0 or
   *       1, or a tanh output with {@code |y| ≥ 1 − tol}, counts as saturated.
   *   <li>{@code detectors} (default {@link Detectors#defaults()}).
   *   <li>{@code listeners} (default none).
   * </ul>
   */
  public static final class Builder {
    private final Module model;
    private int every = 1;
    private int statsCapacity = 1000;
    private int eventCapacity = 10_000;
    private double saturationTolerance = 0.01;
    private List<Detector> detectors;
    private final List<HealthListener> listeners = new ArrayList<>();

    private Builder(Module model) {
      if (model == null) {
        throw new IllegalArgumentException("Monitor: model must not be null");
      }
      this.model = model;
    }

    public Builder every(int k) {
      this.every = k;
      return this;
    }

    public Builder statsCapacity(int n) {
      this.statsCapacity = n;
      return this;
    }

    public Builder eventCapacity(int n) {
      this.eventCapacity = n;
      return this;
    }

    public Builder saturationTolerance(double tol) {
      this.saturationTolerance = tol;
      return this;
    }

    /** Replaces the detectors (default {@link Detectors#defaults()}). */
    public Builder detectors(List<? extends Detector> list) {
      this.detectors = new ArrayList<>(list);
      return this;
    }

    public Builder listener(HealthListener l) {
      if (l == null) {
        throw new IllegalArgumentException("Monitor: listener must not be null");
      }
      listeners.add(l);
      return this;
    }

    /** Validates the settings and attaches the monitor's hooks to the model. */
    public Monitor build() {
      if (every < 1) {
        throw new IllegalArgumentException("Monitor: every must be >= 1, got " + every);
      }
      if (!(saturationTolerance > 0 && saturationTolerance < 0.5)) {
        throw new IllegalArgumentException(
            "Monitor: saturationTolerance must be in (0, 0.5), got " + saturationTolerance);
      }
      if (detectors == null) {
        detectors = Detectors.defaults();
      }
      // statsCapacity and eventCapacity are validated by HealthLog
      return new Monitor(this);
    }
  }
}
