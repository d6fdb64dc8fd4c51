/**
 * Optimizers, learning-rate schedules and the remedy toolbox, as composable gradient
 * transformations (after optax).
 *
 * <ul>
 *   <li>{@link org.gradguard.optim.GradientTransformation}: {@code init} → explicit {@link
 *       org.gradguard.optim.TransformState}, {@code update} turns gradients into updates. State is
 *       named tensors and numbers, exportable as a flat {@link org.gradguard.optim.StateSnapshot}
 *       for checkpoints and roll-backs.
 *   <li>{@link org.gradguard.optim.Transforms}: primitives (momentum, Adam/RMSProp/Adagrad scaling,
 *       decayed weights, learning rate) and combinators ({@code chain}, {@code accumulate}, {@code
 *       masked}).
 *   <li>{@link org.gradguard.optim.Clip}: clipping by value, by global norm, per tensor, per layer,
 *       adaptive (AGC), AutoClip and z-score (ZClip); each records what it measured.
 *   <li>{@link org.gradguard.optim.Optimizers}: SGD, Adam, AdamW, RMSProp, Adagrad as chains,
 *       numerically PyTorch 1.13's; {@link org.gradguard.optim.Optimizer} holds a chain's state for
 *       a {@code step()} / {@code zeroGrad()} loop.
 *   <li>{@link org.gradguard.optim.AppliedUpdates}: adds the updates to the parameters and measures
 *       both in that pass (norms and mean magnitudes), for a monitor that would otherwise read them
 *       again.
 *   <li>{@link org.gradguard.optim.Schedule}: learning rates as functions of the step; {@link
 *       org.gradguard.optim.OneCycle}; {@link org.gradguard.optim.ReduceLROnPlateau} (stateful).
 * </ul>
 *
 * <p>Depends on {@code org.gradguard.tensor}, {@code org.gradguard.autograd} and {@code
 * org.gradguard.nn}; {@code health} builds guards that wrap these transformations.
 */
package org.gradguard.optim;
