/**
 * Training: the {@link org.gradguard.train.Trainer} loop, its listeners and records, checkpoints
 * and run directories.
 *
 * <ul>
 *   <li>{@link org.gradguard.train.Trainer} runs epochs of batches through the step of {@code
 *       DESIGN.md} §1, validates at epoch ends, stops early, checkpoints, resumes bit-identically
 *       and stops cleanly on Ctrl-C; {@link org.gradguard.train.FitResult} says how it ended.
 *   <li>Everything a step learns is an immutable record ({@link org.gradguard.train.StepRecord},
 *       {@link org.gradguard.train.EpochRecord}, {@link org.gradguard.train.ValidationRecord},
 *       {@link org.gradguard.train.CheckpointRecord}) handed to {@link
 *       org.gradguard.train.TrainingListener}s; {@link org.gradguard.train.MetricsWriter} (JSON
 *       Lines) and {@link org.gradguard.train.ConsoleProgress} are listeners.
 *   <li>{@link org.gradguard.train.CheckpointStore} writes and validates checkpoints (safetensors
 *       for tensors, JSON for the rest, atomic renames, a {@code latest} pointer written last);
 *       {@link org.gradguard.train.RunDirectory} reads a run's files back; {@link
 *       org.gradguard.train.Provenance} records what made a run; {@link
 *       org.gradguard.train.RngStreams} gives each consumer a named, checkpointed random stream.
 * </ul>
 *
 * <p>Depends on {@code tensor}, {@code autograd}, {@code nn}, {@code optim}, {@code data} and
 * {@code health} (whose {@code TrainingStep} runs each step). The run-directory format is
 * documented in {@code docs/run-directory.md}.
 */
package org.gradguard.train;
