package org.gradguard.train;

/**
 * The model evaluated on the validation set at the end of an epoch, handed to {@link
 * TrainingListener#onValidation} and written as a {@code "validation"} line of {@code
 * metrics.jsonl}.
 *
 * @param epoch the epoch just finished, 0-based
 * @param step the index of the epoch's last step
 * @param loss the mean loss over every validation example
 * @param accuracy the fraction of examples whose arg-max output is the label, for classification;
 *     NaN for regression
 * @param examples the number of validation examples
 * @param seconds wall-clock time of the evaluation
 */
public record ValidationRecord(
    int epoch, long step, double loss, double accuracy, int examples, double seconds) {}
