package org.gradguard.optim;

import org.gradguard.tensor.Tensor;

/**
 * A gradient transformation: gradients in, updates out, with explicit state. The model is optax's
 * {@code GradientTransformation(init, update)}; every remedy (clipping, weight decay, momentum,
 * Adam's scaling, the learning rate) is one, and optimizers are {@link Transforms#chain chains} of
 * them, so the position of each remedy is visible in the code.
 *
 * <p>Lifecycle:
 *
 * <ol>
 *   <li>{@link #init} once, with the parameters the transformation will see, returns a fresh {@link
 *       TransformState}: named tensors (moments, accumulators) and named numbers (counts, the last
 *       measured norm). The state belongs to the caller; the transformation itself holds only its
 *       immutable configuration, so one transformation may serve many runs.
 *   <li>{@link #update} once per optimizer step, with the incoming updates (at the head of a chain:
 *       the gradients), that state, the same parameters and a {@link StepContext}. It turns the
 *       updates into new updates and advances the state.
 *   <li>The caller applies {@code p += update} (see {@link Optimizer}). Learning-rate scaling is
 *       itself a transformation ({@link Transforms#scaleByLearningRate}), which negates, so a chain
 *       ending in it yields the step to add.
 * </ol>
 *
 * <p>Because the state is plain named data, a checkpoint or a roll-back can {@link
 * TransformState#export() export} and {@link TransformState#restore restore} any chain without
 * knowing what it contains, and a guard can run an inner transformation on a {@link
 * TransformState#copy() copy} of its state and keep the original on a skipped step.
 */
public interface GradientTransformation {

  /**
   * Creates the initial state for these parameters.
   *
   * @param params the parameters, in the order {@link #update} will receive them. Not modified.
   */
  TransformState init(Params params);

  /**
   * Transforms {@code updates} for one step.
   *
   * <p>Mutation contract: {@code updates} (the array and its tensors) is owned by the caller for
   * the duration of the call; the transformation may modify its tensors in place or replace array
   * entries with new tensors of the same shape, and keeps no reference to them afterwards. {@code
   * state} is advanced in place. {@code params} is not modified (the caller applies the updates).
   *
   * @param updates one tensor per parameter, shaped like it. Modified.
   * @param state the state from {@link #init} or a previous update. Modified.
   * @param params the current parameter values. Not modified.
   * @param context the step number and loss. Not modified.
   */
  void update(Tensor[] updates, TransformState state, Params params, StepContext context);
}
