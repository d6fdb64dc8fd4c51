/**
 * Gradient health: measure, detect, guard, explain.
 *
 * <ul>
 *   <li>{@link org.gradguard.health.Monitor} measures, every k steps, per parameter and per layer
 *       (in depth order) the gradient norm, max |g|, non-finite count, parameter norm and
 *       update:parameter ratio; per activation layer the output statistics (saturation, dead units)
 *       and the gradient reaching it; per recurrent layer the gradient reaching each time step. One
 *       pass over each tensor, no copies. Records ({@link org.gradguard.health.StepStats}, {@link
 *       org.gradguard.health.HealthEvent}, {@link org.gradguard.health.GuardAction}) go to {@link
 *       org.gradguard.health.HealthListener}s and a bounded {@link org.gradguard.health.HealthLog}.
 *   <li>{@link org.gradguard.health.Detector}s turn statistics into events: NON_FINITE, EXPLODING,
 *       VANISHING, SATURATION, DEAD_UNITS, UPDATE_RATIO ({@link
 *       org.gradguard.health.Detectors#defaults()}).
 *   <li>{@link org.gradguard.health.Guards} wrap an optimizer chain and skip non-finite or spiking
 *       steps, recording what they did in their state; {@link org.gradguard.health.TrainingStep}
 *       runs one guarded step (the seam the trainer uses) and rolls back to the last good state
 *       with a lower learning rate, or stops with a {@link
 *       org.gradguard.health.TrainingDivergedException}.
 *   <li>What a resumed run needs to continue exactly: the roll-back guard's {@link
 *       org.gradguard.health.RollbackState}, each detector's {@link
 *       org.gradguard.health.DetectorState} and the log's {@link
 *       org.gradguard.health.HealthLog.State}, as plain records the trainer's checkpoints hold.
 *   <li>{@link org.gradguard.health.Diagnosis} explains the history: what, where, the numbers, the
 *       likely cause and the remedies, as text and as JSON ({@code docs/health-json.md}).
 *   <li>{@link org.gradguard.health.MeanField} gives the theory (Poole et al. 2016, Schoenholz et
 *       al. 2017) that tells whether an initialization is ordered, critical or chaotic.
 * </ul>
 *
 * <p>Depends on {@code org.gradguard.tensor}, {@code org.gradguard.autograd}, {@code
 * org.gradguard.nn}, {@code org.gradguard.optim} and {@code org.gradguard.tensor.io} (JSON).
 */
package org.gradguard.health;
