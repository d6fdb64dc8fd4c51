/**
 * Gradient health: measure, detect, guard, explain.
 *
 * <ul>
 *   <li>{@link org.gradguard.health.Monitor} measures per parameter and per layer (in depth order)
 *       the gradient norm, max |g|, non-finite count, parameter norm and update:parameter ratio,
 *       and per activation layer the output statistics (saturation, dead units) and the gradient
 *       reaching it; every k steps, in one pass over each tensor. Records ({@link
 *       org.gradguard.health.StepStats}, {@link org.gradguard.health.HealthEvent}, {@link
 *       org.gradguard.health.GuardAction}) go to {@link org.gradguard.health.HealthListener}s and a
 *       bounded {@link org.gradguard.health.HealthLog}.
 *   <li>{@link org.gradguard.health.Detector}s turn statistics into events: NON_FINITE, EXPLODING,
 *       VANISHING, SATURATION, DEAD_UNITS, UPDATE_RATIO ({@link
 *       org.gradguard.health.Detectors#defaults()}).
 *   <li>{@link org.gradguard.health.MeanField} gives the theory (Poole et al. 2016, Schoenholz et
 *       al. 2017) that tells whether an initialization is ordered, critical or chaotic.
 * </ul>
 *
 * <p>Depends on {@code org.gradguard.tensor}, {@code org.gradguard.autograd} and {@code
 * org.gradguard.nn}.
 */
package org.gradguard.health;
