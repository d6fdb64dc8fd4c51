package org.gradguard.optim;

import java.util.Arrays;

/**
 * The primitive gradient transformations and their combinators, after optax. Optimizers are built
 * from these ({@link Optimizers}); clipping lives in {@link Clip}.
 *
 * <p>Where a transformation stands in a {@link #chain} decides what it means. Adding {@code wd·p}
 * before the adaptive scaling is L2 regularization (its effect is rescaled per coordinate, coupled
 * to the gradient statistics); adding it after the scaling and before the learning rate is
 * decoupled weight decay (Loshchilov &amp; Hutter 2019, AdamW):
 *
 * <pre>{@code
 * adamL2 = chain(addDecayedWeights(wd, mask), scaleByAdam(...), scaleByLearningRate(lr));
 * adamW  = chain(scaleByAdam(...), addDecayedWeights(wd, mask), scaleByLearningRate(lr));
 * }</pre>
 */
public final class Transforms {
  private Transforms() {}

  /**
   * Applies the transformations in order, each to the previous one's output (optax's {@code
   * chain}). The state has one child per transformation, so exported keys are prefixed by the
   * position: {@code 1/mu.0} is the first moment of parameter 0 in the second transformation.
   */
  public static GradientTransformation chain(GradientTransformation... transformations) {
    Check.notNull("chain", "transformations", transformations);
    return new Chain(Arrays.asList(transformations));
  }

  /** Leaves updates unchanged; empty state. */
  public static GradientTransformation identity() {
    return new Basic.Identity();
  }

  /** {@code u ← factor·u}; empty state. */
  public static GradientTransformation scale(double factor) {
    return new Basic.Scale(factor);
  }

  /**
   * {@code u ← −lrScale·schedule(count)·u}, then {@code count += 1}: the learning rate, negated so
   * the chain yields the step to add to the parameters.
   *
   * <p>State numbers: {@code count} (steps taken, the schedule's argument), {@code lr} (the rate
   * the last step used; {@code schedule(0)} before the first), {@code lr_scale} (a multiplier, 1 by
   * default, that a guard may lower after a divergence — the counterpart of optax's {@code
   * inject_hyperparams}).
   */
  public static GradientTransformation scaleByLearningRate(Schedule schedule) {
    return new Basic.ScaleByLearningRate(schedule);
  }

  /** {@link #scaleByLearningRate(Schedule)} with a constant rate. */
  public static GradientTransformation scaleByLearningRate(double lr) {
    return new Basic.ScaleByLearningRate(Schedule.constant(lr));
  }

  /**
   * {@code u ← u + weightDecay·p} for the parameters the mask includes; empty state. Before an
   * adaptive scaling this is L2 regularization (PyTorch's {@code weight_decay} for SGD, Adam,
   * RMSProp, Adagrad); after it, decoupled weight decay (AdamW). See {@code
   * docs/remedies-optim.md}.
   *
   * @param weightDecay {@code >= 0}
   * @param mask which parameters decay, e.g. {@link ParamMask#weightsOnly()}
   */
  public static GradientTransformation addDecayedWeights(double weightDecay, ParamMask mask) {
    return new Basic.AddDecayedWeights(weightDecay, mask);
  }

  /** {@link #addDecayedWeights(double, ParamMask)} for every parameter. */
  public static GradientTransformation addDecayedWeights(double weightDecay) {
    return addDecayedWeights(weightDecay, ParamMask.all());
  }

  /**
   * Momentum, PyTorch's SGD convention: {@code buf ← u} on the first step, afterwards {@code buf ←
   * μ·buf + (1 − dampening)·u}; then {@code u ← u + μ·buf} (Nesterov) or {@code u ← buf}. Since the
   * buffer starts at the first update, RMSProp's momentum ({@code buf ← μ·buf + u} from a zero
   * buffer) is the same transformation with dampening 0.
   *
   * <p>State: {@code trace.i} per parameter, {@code count}.
   *
   * @param momentum μ as a schedule of the step, so one-cycle can cycle it ({@link
   *     OneCycle#momentumSchedule()})
   * @param dampening in {@code [0, 1]}; must be 0 with Nesterov
   */
  public static GradientTransformation trace(
      Schedule momentum, double dampening, boolean nesterov) {
    return new Moments.Trace(momentum, dampening, nesterov);
  }

  /** {@link #trace(Schedule, double, boolean)} with a constant momentum. */
  public static GradientTransformation trace(double momentum, double dampening, boolean nesterov) {
    Check.nonNegative("trace", "momentum", momentum);
    return trace(Schedule.constant(momentum), dampening, nesterov);
  }

  /**
   * Adam's scaling (Kingma &amp; Ba 2015), as PyTorch 1.13 computes it: {@code m ← b1·m +
   * (1−b1)·u}, {@code v ← b2·v + (1−b2)·u²}, with AMSGrad (Reddi et al. 2018) {@code v̂ ← max(v̂,
   * v)} used in place of v; then {@code u ← (m/(1−b1^t)) / (sqrt(v)/sqrt(1−b2^t) + eps)}. Note eps
   * is added after the bias correction of the square root, as in PyTorch.
   *
   * <p>State: {@code mu.i}, {@code nu.i}, {@code nu_max.i} (AMSGrad), {@code count} (t − 1).
   */
  public static GradientTransformation scaleByAdam(
      double b1, double b2, double eps, boolean amsgrad) {
    Check.unitHalfOpen("scaleByAdam", "b1", b1);
    return scaleByAdam(Schedule.constant(b1), b2, eps, amsgrad);
  }

  /**
   * {@link #scaleByAdam(double, double, double, boolean)} with a scheduled {@code b1}: step t (from
   * 1) uses {@code b1 = schedule(t − 1)} both in the first moment and in its bias correction {@code
   * 1 − b1^t}, as PyTorch's Adam does when {@code OneCycleLR} cycles its β1 ({@link
   * OneCycle#momentumSchedule()}). A value outside {@code [0, 1)} fails that step, naming it.
   */
  public static GradientTransformation scaleByAdam(
      Schedule b1, double b2, double eps, boolean amsgrad) {
    return new Moments.ScaleByAdam(b1, b2, eps, amsgrad);
  }

  /**
   * RMSProp's scaling (Hinton 2012; centered: Graves 2013), PyTorch's convention: {@code s ← α·s +
   * (1−α)·u²}; centered: {@code a ← α·a + (1−α)·u} and {@code u ← u/(sqrt(s − a²) + eps)}, else
   * {@code u ← u/(sqrt(s) + eps)}. eps is outside the square root (Keras puts it inside).
   *
   * <p>State: {@code square_avg.i}, {@code grad_avg.i} (centered).
   */
  public static GradientTransformation scaleByRms(double alpha, double eps, boolean centered) {
    return new Moments.ScaleByRms(alpha, eps, centered);
  }

  /**
   * Adagrad's scaling (Duchi et al. 2011): {@code s ← s + u²}, {@code u ← u/(sqrt(s) + eps)}, with
   * {@code s} starting at {@code initialAccumulatorValue}.
   *
   * <p>State: {@code sum.i}.
   */
  public static GradientTransformation scaleByAdagrad(double initialAccumulatorValue, double eps) {
    return new Moments.ScaleByAdagrad(initialAccumulatorValue, eps);
  }

  /**
   * Gradient accumulation over {@code every} micro-batches (optax's {@code MultiSteps}): the
   * incoming updates are summed; on micro-batches 1 … every−1 the output is zero and {@code inner}
   * does not run (its state, including its step count and schedule, does not advance); on
   * micro-batch {@code every} the mean of the sum is passed to {@code inner} and the sum is reset.
   * Averaging matches a loss that is the mean over the large batch; with equal micro-batches this
   * equals one step on the concatenated batch.
   *
   * <p>State: {@code acc.i}, {@code micro}, {@code applied}; child 0 is the inner state.
   */
  public static GradientTransformation accumulate(int every, GradientTransformation inner) {
    return new Wrappers.Accumulate(every, inner);
  }

  /**
   * Runs {@code inner} on the parameters the mask includes and passes the others through unchanged
   * (optax's {@code masked}); e.g. adaptive clipping everywhere but the final classifier. The mask
   * is evaluated on the parameters given to {@code init} and must select the same ones each step.
   *
   * <p>State: child 0 is the inner state, made for the included parameters only.
   */
  public static GradientTransformation masked(GradientTransformation inner, ParamMask mask) {
    return new Wrappers.Masked(inner, mask);
  }
}
