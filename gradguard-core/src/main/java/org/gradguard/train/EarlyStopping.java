package org.gradguard.train;

/**
 * Stops training when the validation loss has not improved for {@code patience} epochs in a row, as
 * Keras' {@code EarlyStopping(monitor="val_loss", patience, min_delta)} and Lightning's: an epoch
 * improves when its loss is below {@code best − minDelta}.
 *
 * @param patience epochs without improvement tolerated, {@code >= 1}; training stops at the {@code
 *     patience}-th such epoch in a row (Keras' convention)
 * @param minDelta the least decrease that counts as an improvement, {@code >= 0}
 */
public record EarlyStopping(int patience, double minDelta) {

  public EarlyStopping {
    if (patience < 1) {
      throw new IllegalArgumentException("EarlyStopping: patience must be >= 1, got " + patience);
    }
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException(
          "EarlyStopping: minDelta must be finite and >= 0, got " + minDelta);
    }
  }

  /** Patience {@code patience} and no minimum improvement. */
  public static EarlyStopping patience(int patience) {
    return new EarlyStopping(patience, 0);
  }

  /**
   * The running state: the best loss so far ({@code +∞} before the first epoch) and the epochs in a
   * row without improvement.
   */
  record State(double best, int badEpochs) {
    static final State INITIAL = new State(Double.POSITIVE_INFINITY, 0);
  }

  /** The state after an epoch with validation loss {@code loss} (a NaN loss never improves). */
  State update(State s, double loss) {
    if (loss < s.best() - minDelta) {
      return new State(loss, 0);
    }
    return new State(s.best(), s.badEpochs() + 1);
  }

  /** Whether to stop in state {@code s}. */
  boolean shouldStop(State s) {
    return s.badEpochs() >= patience;
  }
}
