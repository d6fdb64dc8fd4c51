package org.gradguard.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch 1.13's optimizers as chains of {@link Transforms} (optax's {@code alias.py}). Each
 * factory validates its arguments under PyTorch's names and returns a chain whose order shows where
 * the weight decay acts:
 *
 * <pre>{@code
 * sgd      = chain(addDecayedWeights(wd), trace(momentum, dampening, nesterov), scaleByLearningRate(lr))
 * adam     = chain(addDecayedWeights(wd), scaleByAdam(b1, b2, eps, amsgrad),    scaleByLearningRate(lr))
 * adamw    = chain(scaleByAdam(b1, b2, eps, amsgrad), addDecayedWeights(wd, mask), scaleByLearningRate(lr))
 * rmsprop  = chain(addDecayedWeights(wd), scaleByRms(alpha, eps, centered), trace(momentum, 0, false), scaleByLearningRate(lr))
 * adagrad  = chain(addDecayedWeights(wd), scaleByAdagrad(init, eps), scaleByLearningRate(lr(t)/(1 + t·lrDecay)))
 * }</pre>
 *
 * The momentum trace is left out when the momentum is 0, as PyTorch keeps no buffer then.
 *
 * <p>AdamW: PyTorch first decays {@code p ← p·(1 − lr·wd)} and then takes the Adam step with the
 * same lr; the chain computes {@code p + (−lr)·(adam + wd·p)}, the same value up to rounding.
 * PyTorch's {@code weight_decay} for SGD, Adam, RMSProp and Adagrad is coupled L2 (added to the
 * gradient); AdamW's is decoupled. See {@code docs/remedies-optim.md}.
 */
public final class Optimizers {
  private Optimizers() {}

  /** Plain SGD: {@code p ← p − lr·g}. */
  public static GradientTransformation sgd(double lr) {
    return sgd(lr, 0, 0, 0, false);
  }

  /** SGD with constant rate; see {@link #sgd(Schedule, Schedule, double, double, boolean)}. */
  public static GradientTransformation sgd(
      double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    Check.nonNegative("sgd", "lr", lr);
    return sgd(Schedule.constant(lr), momentum, dampening, weightDecay, nesterov);
  }

  /** SGD with a scheduled rate; see {@link #sgd(Schedule, Schedule, double, double, boolean)}. */
  public static GradientTransformation sgd(
      Schedule lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    Check.nonNegative("sgd", "momentum", momentum);
    return sgd(
        lr, momentum == 0 ? null : Schedule.constant(momentum), dampening, weightDecay, nesterov);
  }

  /**
   * PyTorch's {@code SGD}: {@code d = g + wd·p}; with momentum μ, {@code buf = d} on the first
   * step, then {@code buf = μ·buf + (1 − dampening)·d}, and {@code d = d + μ·buf} (Nesterov) or
   * {@code d = buf}; {@code p ← p − lr·d}.
   *
   * @param lr the learning rate schedule
   * @param momentum μ as a schedule (e.g. {@link OneCycle#momentumSchedule()}), or null for none
   * @param dampening in {@code [0, 1]}
   * @param weightDecay coupled L2, {@code >= 0}
   * @param nesterov requires a momentum and dampening 0
   */
  public static GradientTransformation sgd(
      Schedule lr, Schedule momentum, double dampening, double weightDecay, boolean nesterov) {
    Check.notNull("sgd", "lr", lr);
    Check.unitClosed("sgd", "dampening", dampening);
    Check.nonNegative("sgd", "weight_decay", weightDecay);
    if (nesterov && (momentum == null || dampening != 0)) {
      throw new IllegalArgumentException(
          "sgd: nesterov requires a momentum and dampening 0, got momentum "
              + (momentum == null ? "0" : "a schedule")
              + " and dampening "
              + Check.fmt(dampening));
    }
    List<GradientTransformation> chain = new ArrayList<>();
    chain.add(Transforms.addDecayedWeights(weightDecay));
    if (momentum != null) {
      chain.add(Transforms.trace(momentum, dampening, nesterov));
    }
    chain.add(Transforms.scaleByLearningRate(lr));
    return new Chain(chain);
  }

  /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public static GradientTransformation adam(double lr) {
    Check.nonNegative("adam", "lr", lr);
    return adam(Schedule.constant(lr), 0.9, 0.999, 1e-8, 0, false);
  }

  /**
   * PyTorch's {@code Adam} (Kingma &amp; Ba 2015; AMSGrad: Reddi et al. 2018). {@code weightDecay}
   * is coupled L2: {@code d = g + wd·p} enters the moments, so the decay is divided by {@code
   * sqrt(v)} like the gradient. For decoupled decay use {@link #adamw}.
   *
   * @param beta1 in {@code [0, 1)}
   * @param beta2 in {@code [0, 1)}
   * @param eps {@code >= 0}
   * @param weightDecay {@code >= 0}
   */
  public static GradientTransformation adam(
      Schedule lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
    Check.unitHalfOpen("adam", "beta1", beta1);
    return adam(lr, Schedule.constant(beta1), beta2, eps, weightDecay, amsgrad);
  }

  /**
   * {@link #adam(Schedule, double, double, double, double, boolean)} with a scheduled β1, e.g.
   * {@link OneCycle#momentumSchedule()}, which cycles it as PyTorch's {@code OneCycleLR} does with
   * {@code cycle_momentum} (see {@link Transforms#scaleByAdam(Schedule, double, double, boolean)}).
   */
  public static GradientTransformation adam(
      Schedule lr, Schedule beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
    checkAdam("adam", lr, beta1, beta2, eps, weightDecay);
    return Transforms.chain(
        Transforms.addDecayedWeights(weightDecay),
        Transforms.scaleByAdam(beta1, beta2, eps, amsgrad),
        Transforms.scaleByLearningRate(lr));
  }

  /** AdamW with PyTorch's defaults (betas (0.9, 0.999), eps 1e-8), decaying every parameter. */
  public static GradientTransformation adamw(double lr, double weightDecay) {
    Check.nonNegative("adamw", "lr", lr);
    return adamw(Schedule.constant(lr), 0.9, 0.999, 1e-8, weightDecay, false, ParamMask.all());
  }

  /**
   * PyTorch's {@code AdamW} (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
   * Regularization"): the Adam direction plus {@code wd·p}, both scaled by the learning rate, so
   * every decayed weight shrinks by the same factor {@code 1 − lr·wd} regardless of its gradient
   * history.
   *
   * @param mask the parameters to decay (PyTorch decays all; {@link ParamMask#weightsOnly()} is the
   *     common choice)
   */
  public static GradientTransformation adamw(
      Schedule lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean amsgrad,
      ParamMask mask) {
    Check.unitHalfOpen("adamw", "beta1", beta1);
    return adamw(lr, Schedule.constant(beta1), beta2, eps, weightDecay, amsgrad, mask);
  }

  /**
   * {@link #adamw(Schedule, double, double, double, double, boolean, ParamMask)} with a scheduled
   * β1, as {@link #adam(Schedule, Schedule, double, double, double, boolean)}.
   */
  public static GradientTransformation adamw(
      Schedule lr,
      Schedule beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean amsgrad,
      ParamMask mask) {
    checkAdam("adamw", lr, beta1, beta2, eps, weightDecay);
    Check.notNull("adamw", "mask", mask);
    return Transforms.chain(
        Transforms.scaleByAdam(beta1, beta2, eps, amsgrad),
        Transforms.addDecayedWeights(weightDecay, mask),
        Transforms.scaleByLearningRate(lr));
  }

  private static void checkAdam(
      String where, Schedule lr, Schedule beta1, double beta2, double eps, double weightDecay) {
    Check.notNull(where, "lr", lr);
    Check.notNull(where, "beta1", beta1);
    Check.unitHalfOpen(where, "beta2", beta2);
    Check.nonNegative(where, "eps", eps);
    Check.nonNegative(where, "weight_decay", weightDecay);
  }

  /** RMSProp with PyTorch's defaults: alpha 0.99, eps 1e-8, no decay, no momentum, not centered. */
  public static GradientTransformation rmsprop(double lr) {
    Check.nonNegative("rmsprop", "lr", lr);
    return rmsprop(Schedule.constant(lr), 0.99, 1e-8, 0, 0, false);
  }

  /**
   * PyTorch's {@code RMSprop}: {@code d = g + wd·p}, {@code sq = α·sq + (1−α)·d²}; centered: {@code
   * ga = α·ga + (1−α)·d}, {@code avg = sqrt(sq − ga²) + eps}, else {@code avg = sqrt(sq) + eps};
   * with momentum {@code buf = μ·buf + d/avg}, {@code p ← p − lr·buf}, else {@code p ← p −
   * lr·d/avg}.
   *
   * @param alpha in {@code [0, 1]}
   * @param momentum {@code >= 0}
   */
  public static GradientTransformation rmsprop(
      Schedule lr,
      double alpha,
      double eps,
      double weightDecay,
      double momentum,
      boolean centered) {
    Check.nonNegative("rmsprop", "momentum", momentum);
    return rmsprop(
        lr, alpha, eps, weightDecay, momentum > 0 ? Schedule.constant(momentum) : null, centered);
  }

  /**
   * {@link #rmsprop(Schedule, double, double, double, double, boolean)} with a scheduled momentum
   * (null: none), e.g. {@link OneCycle#momentumSchedule()}, which PyTorch's {@code OneCycleLR}
   * cycles even when the optimizer's momentum is 0.
   */
  public static GradientTransformation rmsprop(
      Schedule lr,
      double alpha,
      double eps,
      double weightDecay,
      Schedule momentum,
      boolean centered) {
    Check.notNull("rmsprop", "lr", lr);
    Check.unitClosed("rmsprop", "alpha", alpha);
    Check.nonNegative("rmsprop", "eps", eps);
    Check.nonNegative("rmsprop", "weight_decay", weightDecay);
    List<GradientTransformation> chain = new ArrayList<>();
    chain.add(Transforms.addDecayedWeights(weightDecay));
    chain.add(Transforms.scaleByRms(alpha, eps, centered));
    if (momentum != null) {
      chain.add(Transforms.trace(momentum, 0, false));
    }
    chain.add(Transforms.scaleByLearningRate(lr));
    return new Chain(chain);
  }

  /** Adagrad with PyTorch's defaults: no lr decay, no weight decay, accumulator 0, eps 1e-10. */
  public static GradientTransformation adagrad(double lr) {
    Check.nonNegative("adagrad", "lr", lr);
    return adagrad(Schedule.constant(lr), 0, 0, 0, 1e-10);
  }

  /**
   * PyTorch's {@code Adagrad} (Duchi et al. 2011): {@code clr = lr(t)/(1 + t·lrDecay)} with {@code
   * t} the number of completed steps; {@code d = g + wd·p}; {@code sum += d²}; {@code p ← p −
   * clr·d/(sqrt(sum) + eps)}.
   *
   * @param lrDecay {@code >= 0}
   * @param initialAccumulatorValue {@code >= 0}
   */
  public static GradientTransformation adagrad(
      Schedule lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
    Check.notNull("adagrad", "lr", lr);
    Check.nonNegative("adagrad", "lr_decay", lrDecay);
    Check.nonNegative("adagrad", "weight_decay", weightDecay);
    Check.nonNegative("adagrad", "initial_accumulator_value", initialAccumulatorValue);
    Check.nonNegative("adagrad", "eps", eps);
    Schedule decayed = lrDecay == 0 ? lr : t -> lr.at(t) / (1 + t * lrDecay);
    return Transforms.chain(
        Transforms.addDecayedWeights(weightDecay),
        Transforms.scaleByAdagrad(initialAccumulatorValue, eps),
        Transforms.scaleByLearningRate(decayed));
  }
}
