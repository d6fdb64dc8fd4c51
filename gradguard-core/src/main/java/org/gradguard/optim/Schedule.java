package org.gradguard.optim;

import java.util.List;

/**
 * A learning rate (or any hyper-parameter) as a function of the step: optax's {@code Schedule}.
 *
 * <p>Step counting follows PyTorch's schedulers: {@code at(t)} is the value used by the optimizer
 * step that runs after {@code t} completed steps, i.e. PyTorch's {@code optimizer.lr} after {@code
 * t} calls of {@code scheduler.step()}. {@code at(0)} is the value right after construction. {@link
 * Transforms#scaleByLearningRate} keeps that count in its state and asks for {@code at(count)}
 * before incrementing it.
 *
 * <p>The closed forms below equal PyTorch 1.13's (recursive) implementations up to rounding, and
 * are checked against its values by the golden tests. Every factory validates its arguments.
 */
@FunctionalInterface
public interface Schedule {

  /**
   * The value at step {@code t} (0-based count of completed steps).
   *
   * @param step the number of completed optimizer steps, {@code >= 0}
   */
  double at(long step);

  /** {@code lr} at every step. */
  static Schedule constant(double lr) {
    return new Schedules.Constant(lr);
  }

  /**
   * PyTorch's {@code StepLR}: {@code baseLr · gamma^floor(t / stepSize)}.
   *
   * @param stepSize steps between decays, {@code > 0}
   * @param gamma the decay factor, {@code > 0}
   */
  static Schedule step(double baseLr, long stepSize, double gamma) {
    return new Schedules.StepDecay(baseLr, stepSize, gamma);
  }

  /**
   * PyTorch's {@code MultiStepLR}: {@code baseLr · gamma^(number of milestones ≤ t)}. A milestone
   * listed twice counts twice, as in PyTorch (which keeps them in a {@code Counter}).
   *
   * @param milestones steps at which the rate is multiplied by gamma, each {@code > 0}. Not
   *     modified.
   */
  static Schedule multiStep(double baseLr, long[] milestones, double gamma) {
    return new Schedules.MultiStep(baseLr, milestones, gamma);
  }

  /** PyTorch's {@code ExponentialLR}: {@code baseLr · gamma^t}, {@code gamma > 0}. */
  static Schedule exponential(double baseLr, double gamma) {
    return new Schedules.Exponential(baseLr, gamma);
  }

  /**
   * PyTorch's {@code CosineAnnealingLR} (SGDR without restarts, Loshchilov &amp; Hutter 2017):
   * {@code etaMin + (baseLr − etaMin)·(1 + cos(π·t/tMax))/2}. Past {@code tMax} the formula
   * continues, so the rate rises again, as PyTorch's does.
   *
   * @param tMax the half period in steps, {@code > 0}
   * @param etaMin the minimum rate, {@code >= 0}
   */
  static Schedule cosineAnnealing(double baseLr, long tMax, double etaMin) {
    return new Schedules.Cosine(baseLr, tMax, etaMin);
  }

  /**
   * PyTorch's {@code CosineAnnealingWarmRestarts} (SGDR, Loshchilov &amp; Hutter 2017): the cosine
   * restarts after {@code t0} steps, and each period is {@code tMult} times the previous one. With
   * {@code Ti = t0, Tcur = t}: while {@code Tcur >= Ti}, {@code Tcur -= Ti, Ti *= tMult}; then
   * {@code etaMin + (baseLr − etaMin)·(1 + cos(π·Tcur/Ti))/2}.
   *
   * @param t0 the first period, {@code > 0}
   * @param tMult the period growth factor, {@code >= 1}
   */
  static Schedule cosineWarmRestarts(double baseLr, long t0, long tMult, double etaMin) {
    return new Schedules.WarmRestarts(baseLr, t0, tMult, etaMin);
  }

  /**
   * PyTorch's {@code LinearLR}, the usual linear warm-up: {@code baseLr·(startFactor + (endFactor −
   * startFactor)·min(t, totalIters)/totalIters)}.
   *
   * @param startFactor in {@code (0, 1]}, as PyTorch requires
   * @param endFactor in {@code [0, 1]}
   * @param totalIters steps to go from start to end factor, {@code > 0}
   */
  static Schedule linear(double baseLr, double startFactor, double endFactor, long totalIters) {
    return new Schedules.Linear(baseLr, startFactor, endFactor, totalIters);
  }

  /**
   * PyTorch's {@code OneCycleLR} with its defaults (pct_start 0.3, cosine annealing, momentum
   * cycled between 0.85 and 0.95, div_factor 25, final_div_factor 1e4, two phases). See {@link
   * OneCycle}.
   */
  static OneCycle oneCycle(double maxLr, long totalSteps) {
    return OneCycle.builder(maxLr, totalSteps).build();
  }

  /**
   * PyTorch's {@code SequentialLR}: schedule {@code k} runs from milestone {@code k−1} (0 for the
   * first) and is restarted there, so at step {@code t ≥ milestones[k−1]} the value is {@code
   * schedules[k].at(t − milestones[k−1])}. The usual warm-up then cosine is {@code
   * sequential(List.of(linear(lr, 0.01, 1, w), cosineAnnealing(lr, total − w, 0)), w)}.
   *
   * @param schedules one more than the milestones. Not modified.
   * @param milestones strictly increasing, each {@code > 0}. Not modified.
   */
  static Schedule sequential(List<Schedule> schedules, long... milestones) {
    return new Schedules.Sequential(schedules, milestones);
  }
}
