package org.gradguard.optim;

/**
 * PyTorch's {@code ReduceLROnPlateau}: multiplies the rate by {@code factor} when a metric has not
 * improved for more than {@code patience} calls of {@link #step(double)}. Unlike the other
 * schedules it is stateful and fed a metric (usually the validation loss, once per epoch).
 *
 * <p>Per metric {@code m}: if {@code m} is better than {@code best} (min/rel: {@code m < best·(1 −
 * threshold)}; min/abs: {@code m < best − threshold}; max/rel: {@code m > best·(1 + threshold)};
 * max/abs: {@code m > best + threshold}) then {@code best = m, bad = 0}, else {@code bad += 1}.
 * During cooldown the counter ticks down and {@code bad} is reset. If {@code bad > patience}:
 * {@code new = max(lr·factor, minLr)}, applied only if {@code lr − new > eps}; then cooldown starts
 * and {@code bad = 0}.
 *
 * <p>Convention: PyTorch's patience — the rate drops on the {@code (patience+1)}-th bad metric in a
 * row. Keras' {@code ReduceLROnPlateau} drops on the {@code patience}-th (its wait counter is
 * compared with {@code >=}); we follow PyTorch.
 *
 * <p>As a {@link Schedule} it returns the current rate whatever the step, so it can drive {@link
 * Transforms#scaleByLearningRate}. Its state lives in this object ({@link #state()}, {@link
 * #restore}), not in the chain's.
 */
public final class ReduceLROnPlateau implements Schedule {

  public enum Mode {
    MIN,
    MAX
  }

  public enum ThresholdMode {
    REL,
    ABS
  }

  /** The validated settings, under PyTorch's names (camel-cased). */
  public record Config(
      double initialLr,
      Mode mode,
      double factor,
      long patience,
      double threshold,
      ThresholdMode thresholdMode,
      long cooldown,
      double minLr,
      double eps) {
    public Config {
      Check.nonNegative("reduceLROnPlateau", "initialLr", initialLr);
      Check.notNull("reduceLROnPlateau", "mode", mode);
      Check.unitOpen("reduceLROnPlateau", "factor", factor);
      Check.nonNegative("reduceLROnPlateau", "patience", patience);
      Check.nonNegative("reduceLROnPlateau", "threshold", threshold);
      Check.notNull("reduceLROnPlateau", "thresholdMode", thresholdMode);
      Check.nonNegative("reduceLROnPlateau", "cooldown", cooldown);
      Check.nonNegative("reduceLROnPlateau", "minLr", minLr);
      Check.nonNegative("reduceLROnPlateau", "eps", eps);
    }
  }

  /**
   * The mutable state, as a record for checkpoints.
   *
   * @param lr the current rate
   * @param best the best metric so far (±∞ before the first)
   * @param numBadEpochs consecutive metrics without improvement
   * @param cooldownCounter remaining cooldown steps
   * @param steps metrics seen
   */
  public record State(
      double lr, double best, long numBadEpochs, long cooldownCounter, long steps) {}

  private final Config config;
  private State state;

  private ReduceLROnPlateau(Config config) {
    this.config = config;
    this.state =
        new State(
            config.initialLr(),
            config.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY,
            0,
            0,
            0);
  }

  /** A builder with PyTorch's defaults (min, factor 0.1, patience 10, threshold 1e-4 rel, …). */
  public static Builder builder(double initialLr) {
    return new Builder(initialLr);
  }

  /** Settings with PyTorch's defaults; {@link #build()} validates them. */
  public static final class Builder {
    private final double initialLr;
    private Mode mode = Mode.MIN;
    private double factor = 0.1;
    private long patience = 10;
    private double threshold = 1e-4;
    private ThresholdMode thresholdMode = ThresholdMode.REL;
    private long cooldown = 0;
    private double minLr = 0;
    private double eps = 1e-8;

    private Builder(double initialLr) {
      this.initialLr = initialLr;
    }

    public Builder mode(Mode v) {
      mode = v;
      return this;
    }

    public Builder factor(double v) {
      factor = v;
      return this;
    }

    public Builder patience(long v) {
      patience = v;
      return this;
    }

    public Builder threshold(double v, ThresholdMode m) {
      threshold = v;
      thresholdMode = m;
      return this;
    }

    public Builder cooldown(long v) {
      cooldown = v;
      return this;
    }

    public Builder minLr(double v) {
      minLr = v;
      return this;
    }

    public Builder eps(double v) {
      eps = v;
      return this;
    }

    public ReduceLROnPlateau build() {
      return new ReduceLROnPlateau(
          new Config(
              initialLr, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps));
    }
  }

  public Config config() {
    return config;
  }

  /** The current rate. */
  public double lr() {
    return state.lr();
  }

  /** The current rate, whatever the step. */
  @Override
  public double at(long step) {
    return state.lr();
  }

  /** Feeds one metric; returns the rate from now on. Modified: this scheduler's state. */
  public double step(double metric) {
    double best = state.best();
    long bad = state.numBadEpochs();
    long cooldown = state.cooldownCounter();
    double lr = state.lr();
    if (isBetter(metric, best)) {
      best = metric;
      bad = 0;
    } else {
      bad++;
    }
    if (cooldown > 0) {
      cooldown--;
      bad = 0;
    }
    if (bad > config.patience()) {
      double reduced = Math.max(lr * config.factor(), config.minLr());
      if (lr - reduced > config.eps()) {
        lr = reduced;
      }
      cooldown = config.cooldown();
      bad = 0;
    }
    state = new State(lr, best, bad, cooldown, state.steps() + 1);
    return lr;
  }

  private boolean isBetter(double m, double best) {
    double t = config.threshold();
    boolean rel = config.thresholdMode() == ThresholdMode.REL;
    if (config.mode() == Mode.MIN) {
      return rel ? m < best * (1 - t) : m < best - t;
    }
    return rel ? m > best * (1 + t) : m > best + t;
  }

  public State state() {
    return state;
  }

  /** Replaces the state (e.g. from a checkpoint). */
  public void restore(State s) {
    this.state = Check.notNull("reduceLROnPlateau", "state", s);
  }
}
