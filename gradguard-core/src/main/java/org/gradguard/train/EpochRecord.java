package org.gradguard.train;

/**
 * The end of one training epoch, handed to {@link TrainingListener#onEpoch} and written as an
 * {@code "epoch"} line of {@code metrics.jsonl}.
 *
 * @param epoch the epoch, 0-based
 * @param step the index of the epoch's last step
 * @param trainLoss the mean of the epoch's batch losses (each batch weighted equally, as Keras and
 *     Lightning report it); NaN if any batch loss was NaN
 * @param batches the number of batches in the epoch
 * @param seconds wall-clock time of the epoch's steps (validation not included); after a resume,
 *     only the time since the resume
 */
public record EpochRecord(int epoch, long step, double trainLoss, int batches, double seconds) {}
