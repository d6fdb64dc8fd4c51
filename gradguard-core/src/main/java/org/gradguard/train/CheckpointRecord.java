package org.gradguard.train;

import java.nio.file.Path;

/**
 * A checkpoint that was written completely, handed to {@link TrainingListener#onCheckpoint} and
 * written as a {@code "checkpoint"} line of {@code metrics.jsonl}.
 *
 * @param stepsCompleted the number of steps done when it was written: a resume continues with the
 *     step of this index; also the number in the file names {@code ckpt-<stepsCompleted>.*}
 * @param epoch the epoch of the next batch (the loader's position)
 * @param batch the batch index of the next batch within that epoch
 * @param reason why it was written: {@code "interval"}, {@code "epoch"}, {@code "final"} or {@code
 *     "interrupt"}
 * @param tensors the safetensors file (model parameters and buffers, optimizer tensors)
 * @param metadata the JSON file (everything else)
 * @param bytes the size of both files together
 * @param seconds wall-clock time to write them
 */
public record CheckpointRecord(
    long stepsCompleted,
    int epoch,
    int batch,
    String reason,
    Path tensors,
    Path metadata,
    long bytes,
    double seconds) {}
