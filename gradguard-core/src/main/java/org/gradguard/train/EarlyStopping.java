package org.gradguard.train;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs in a row, as
 * Keras' {@code EarlyStopping(monitor, patience, min_delta, restore_best_weights)} and Lightning's:
 * an epoch improves when its validation loss is below {@code best − minDelta} (or its validation
 * accuracy above {@code best + minDelta}). A NaN metric never improves.
 *
 * @param patience epochs without improvement tolerated, {@code >= 1}; training stops at the {@code
 *     patience}-th such epoch in a row (Keras' convention)
 * @param minDelta the least change that counts as an improvement, {@code >= 0}
 * @param monitor which validation metric is watched
 * @param restoreBestWeights when early stopping ends the run, put back the parameters and buffers
 *     of the best epoch (Keras' {@code restore_best_weights}); the trainer keeps a copy of them
 *     from each improving epoch, in memory and in its checkpoints
 */
public record EarlyStopping(
    int patience, double minDelta, Monitor monitor, boolean restoreBestWeights) {

  /** The validation metric early stopping watches. */
  public enum Monitor {
    /** The mean validation loss; lower is better. */
    VAL_LOSS,
    /** The validation accuracy (classification only); higher is better. */
    VAL_ACCURACY;

    /** The metric's value in {@code r}. */
    double of(ValidationRecord r) {
      return this == VAL_LOSS ? r.loss() : r.accuracy();
    }
  }

  public EarlyStopping {
    if (patience < 1) {
      throw new IllegalArgumentException("EarlyStopping: patience must be >= 1, got " + patience);
    }
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException(
          "EarlyStopping: minDelta must be finite and >= 0, got " + minDelta);
    }
    if (monitor == null) {
      throw new IllegalArgumentException("EarlyStopping: monitor must not be null");
    }
  }

  /** Watching the validation loss, without restoring the best weights. */
  public EarlyStopping(int patience, double minDelta) {
    this(patience, minDelta, Monitor.VAL_LOSS, false);
  }

  /** Patience {@code patience}, the validation loss, no minimum improvement. */
  public static EarlyStopping patience(int patience) {
    return new EarlyStopping(patience, 0);
  }

  /**
   * The running state: the best value of the metric so far ({@code +∞} for the loss, {@code −∞} for
   * the accuracy before the first epoch) and the epochs in a row without improvement.
   */
  record State(double best, int badEpochs) {}

  /** The state before the first epoch. */
  State initial() {
    return new State(
        monitor == Monitor.VAL_LOSS ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, 0);
  }

  /**
   * The state after an epoch with validation record {@code r}; an improving epoch gives {@code
   * badEpochs() == 0}.
   */
  State update(State s, ValidationRecord r) {
    double v = monitor.of(r);
    boolean better =
        monitor == Monitor.VAL_LOSS ? v < s.best() - minDelta : v > s.best() + minDelta;
    if (better) {
      return new State(v, 0);
    }
    return new State(s.best(), s.badEpochs() + 1);
  }

  /** Whether to stop in state {@code s}. */
  boolean shouldStop(State s) {
    return s.badEpochs() >= patience;
  }
}
