package org.gradguard.health;

/**
 * Training was stopped because it diverged and the guards could not save it: too many consecutive
 * non-finite steps, or a roll-back retried too often. When thrown by a {@link TrainingStep} the
 * message is the full {@link Diagnosis} as text (what went wrong, where, why and what to try), and
 * {@link #diagnosis()} gives it as data.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final transient Diagnosis diagnosis;

  /** Thrown by a bare guard, which knows no diagnosis. */
  public TrainingDivergedException(String message, long step) {
    super(message);
    this.step = step;
    this.diagnosis = null;
  }

  /** Thrown with a diagnosis; the message is its text. */
  public TrainingDivergedException(Diagnosis diagnosis, long step, Throwable cause) {
    super(diagnosis.toText(), cause);
    this.step = step;
    this.diagnosis = diagnosis;
  }

  /** The step at which training stopped. */
  public long step() {
    return step;
  }

  /** The diagnosis, or null when a bare guard (outside a {@link TrainingStep}) stopped training. */
  public Diagnosis diagnosis() {
    return diagnosis;
  }
}
