package org.gradguard.optim;

/**
 * What one {@link Optimizer#step()} did.
 *
 * @param step the step's index (0-based count of applied steps before it)
 * @param applied whether the parameters were updated
 * @param nonFiniteParameter the first parameter whose gradient (or update) was NaN or infinite,
 *     which is why the step was not applied; null when all were finite
 * @param loss the loss passed to {@link Optimizer#step(double)}, or NaN
 */
public record StepReport(long step, boolean applied, String nonFiniteParameter, double loss) {}
