package org.gradguard.optim;

/**
 * A gradient (or update) contained NaN or ±∞ where the caller asked for an error ({@link
 * Clip.OnNonFinite#ERROR}). Names the transformation, the step and the first non-finite parameter.
 */
public final class NonFiniteGradientException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final String parameter;
  private final long step;

  public NonFiniteGradientException(String message, String parameter, long step) {
    super(message);
    this.parameter = parameter;
    this.step = step;
  }

  /** The full name of the first parameter whose gradient is not finite, or null if none is. */
  public String parameter() {
    return parameter;
  }

  /** The step (0-based) at which it happened. */
  public long step() {
    return step;
  }
}
