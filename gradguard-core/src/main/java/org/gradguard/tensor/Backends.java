package org.gradguard.tensor;

/** Selects the {@link Backend} that tensor operations use. */
public final class Backends {
  private static volatile Backend current = new ReferenceBackend();

  private Backends() {}

  /** The backend in use. */
  public static Backend current() {
    return current;
  }

  /** Replaces the backend in use; returns the previous one so that callers can restore it. */
  public static Backend use(Backend backend) {
    if (backend == null) {
      throw new IllegalArgumentException("Backends.use: backend must not be null");
    }
    Backend previous = current;
    current = backend;
    return previous;
  }
}
