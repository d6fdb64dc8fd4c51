package org.gradguard.optim;

/**
 * PyTorch's {@code OneCycleLR} (Smith &amp; Topin 2017, "Super-Convergence"): the rate climbs from
 * {@code maxLr/divFactor} to {@code maxLr} and anneals to {@code initial/finalDivFactor}, while the
 * momentum moves the opposite way between {@code maxMomentum} and {@code baseMomentum}.
 *
 * <p>Phases, as {@code (endStep, lr start→end, momentum start→end)}, with {@code initial =
 * maxLr/divFactor}, {@code minLr = initial/finalDivFactor}, {@code T = totalSteps}, {@code p =
 * pctStart}:
 *
 * <ul>
 *   <li>two phases: {@code (p·T − 1, initial→maxLr, maxM→baseM)}, {@code (T − 1, maxLr→minLr,
 *       baseM→maxM)};
 *   <li>three phases: {@code (p·T − 1, initial→maxLr, maxM→baseM)}, {@code (2·p·T − 2,
 *       maxLr→initial, baseM→maxM)}, {@code (T − 1, initial→minLr, maxM→maxM)}.
 * </ul>
 *
 * At step {@code t} the first phase with {@code t ≤ endStep} (or the last) applies, with {@code pct
 * = (t − startStep)/(endStep − startStep)}; end steps are not rounded. Annealing is {@code end +
 * (start − end)·(1 + cos(π·pct))/2} ("cos") or {@code start + (end − start)·pct} ("linear").
 * PyTorch raises past {@code totalSteps}; here steps past the end keep the last phase's formula
 * with {@code pct} clamped to 1, so the rate stays at {@code minLr}.
 *
 * <p>Feed {@link #momentumSchedule()} to {@link Transforms#trace(Schedule, double, boolean)} (the
 * momentum of SGD and RMSprop) or to {@link Transforms#scaleByAdam(Schedule, double, double,
 * boolean)} (Adam's β1) to cycle it, as PyTorch does when {@code cycle_momentum} is true.
 */
public final class OneCycle implements Schedule {

  /** How each phase interpolates. */
  public enum Anneal {
    COS,
    LINEAR
  }

  private final Config config;
  private final double[] endSteps;
  private final double[] lrStart;
  private final double[] lrEnd;
  private final double[] momStart;
  private final double[] momEnd;

  /** The validated settings, under PyTorch's names (camel-cased). */
  public record Config(
      double maxLr,
      long totalSteps,
      double pctStart,
      Anneal anneal,
      boolean cycleMomentum,
      double baseMomentum,
      double maxMomentum,
      double divFactor,
      double finalDivFactor,
      boolean threePhase) {
    public Config {
      Check.positive("oneCycle", "maxLr", maxLr);
      Check.positive("oneCycle", "totalSteps", totalSteps);
      Check.unitClosed("oneCycle", "pctStart", pctStart);
      Check.notNull("oneCycle", "anneal", anneal);
      Check.nonNegative("oneCycle", "baseMomentum", baseMomentum);
      Check.nonNegative("oneCycle", "maxMomentum", maxMomentum);
      if (cycleMomentum && baseMomentum > maxMomentum) {
        throw new IllegalArgumentException(
            "oneCycle: baseMomentum must be <= maxMomentum, got "
                + Check.fmt(baseMomentum)
                + " > "
                + Check.fmt(maxMomentum));
      }
      Check.positive("oneCycle", "divFactor", divFactor);
      Check.positive("oneCycle", "finalDivFactor", finalDivFactor);
    }
  }

  /** A builder starting from PyTorch's defaults. */
  public static Builder builder(double maxLr, long totalSteps) {
    return new Builder(maxLr, totalSteps);
  }

  /** Settings with PyTorch's defaults; {@link #build()} validates them. */
  public static final class Builder {
    private final double maxLr;
    private final long totalSteps;
    private double pctStart = 0.3;
    private Anneal anneal = Anneal.COS;
    private boolean cycleMomentum = true;
    private double baseMomentum = 0.85;
    private double maxMomentum = 0.95;
    private double divFactor = 25;
    private double finalDivFactor = 1e4;
    private boolean threePhase = false;

    private Builder(double maxLr, long totalSteps) {
      this.maxLr = maxLr;
      this.totalSteps = totalSteps;
    }

    public Builder pctStart(double v) {
      pctStart = v;
      return this;
    }

    public Builder anneal(Anneal v) {
      anneal = v;
      return this;
    }

    /** Whether {@link #momentum} cycles; when false it is the constant {@code maxMomentum}. */
    public Builder cycleMomentum(boolean v) {
      cycleMomentum = v;
      return this;
    }

    public Builder momentum(double base, double max) {
      baseMomentum = base;
      maxMomentum = max;
      return this;
    }

    public Builder divFactor(double v) {
      divFactor = v;
      return this;
    }

    public Builder finalDivFactor(double v) {
      finalDivFactor = v;
      return this;
    }

    public Builder threePhase(boolean v) {
      threePhase = v;
      return this;
    }

    public OneCycle build() {
      return new OneCycle(
          new Config(
              maxLr,
              totalSteps,
              pctStart,
              anneal,
              cycleMomentum,
              baseMomentum,
              maxMomentum,
              divFactor,
              finalDivFactor,
              threePhase));
    }
  }

  private OneCycle(Config c) {
    this.config = c;
    double initial = c.maxLr() / c.divFactor();
    double minLr = initial / c.finalDivFactor();
    double up = c.pctStart() * c.totalSteps();
    double last = c.totalSteps() - 1.0;
    double hi = c.maxMomentum();
    double lo = c.baseMomentum();
    if (c.threePhase()) {
      endSteps = new double[] {up - 1, 2 * up - 2, last};
      lrStart = new double[] {initial, c.maxLr(), initial};
      lrEnd = new double[] {c.maxLr(), initial, minLr};
      momStart = new double[] {hi, lo, hi};
      momEnd = new double[] {lo, hi, hi};
    } else {
      endSteps = new double[] {up - 1, last};
      lrStart = new double[] {initial, c.maxLr()};
      lrEnd = new double[] {c.maxLr(), minLr};
      momStart = new double[] {hi, lo};
      momEnd = new double[] {lo, hi};
    }
  }

  public Config config() {
    return config;
  }

  @Override
  public double at(long step) {
    return value(step, lrStart, lrEnd);
  }

  /** The momentum at {@code step}; {@code maxMomentum} throughout when not cycling. */
  public double momentum(long step) {
    return config.cycleMomentum() ? value(step, momStart, momEnd) : config.maxMomentum();
  }

  /** {@link #momentum} as a schedule, for {@link Transforms#trace(Schedule, double, boolean)}. */
  public Schedule momentumSchedule() {
    return this::momentum;
  }

  private double value(long step, double[] start, double[] end) {
    if (step < 0) {
      throw new IllegalArgumentException("oneCycle: step must be >= 0, got " + step);
    }
    double startStep = 0;
    for (int i = 0; i < endSteps.length; i++) {
      if (step <= endSteps[i] || i == endSteps.length - 1) {
        double span = endSteps[i] - startStep;
        double pct = span <= 0 ? 1.0 : Math.min(1.0, (step - startStep) / span);
        return anneal(start[i], end[i], pct);
      }
      startStep = endSteps[i];
    }
    throw new AssertionError("unreachable");
  }

  private double anneal(double start, double end, double pct) {
    return config.anneal() == Anneal.COS
        ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;
  }

  @Override
  public String toString() {
    return "OneCycle" + config;
  }
}
