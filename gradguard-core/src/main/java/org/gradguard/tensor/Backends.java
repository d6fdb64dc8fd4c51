package org.gradguard.tensor;

import java.util.Locale;

/**
 * Selects the {@link Backend} that tensor operations use.
 *
 * <p>The default is, in order of precedence: the system property {@value #BACKEND_PROPERTY} or the
 * environment variable {@value #BACKEND_ENV} ({@code reference} or {@code vector}); otherwise
 * {@code vector} ({@code org.gradguard.tensor.vector.VectorBackend}) when the JVM has the module
 * {@code jdk.incubator.vector}, that is when it was started with {@code --add-modules
 * jdk.incubator.vector}; otherwise {@link ReferenceBackend}, with one warning per JVM saying how to
 * enable the faster kernels. The vector backend is loaded by name, so a JVM without the module
 * never touches its classes. With the module, the JVM itself prints {@code WARNING: Using incubator
 * modules: jdk.incubator.vector} at start-up; that line cannot be switched off and is harmless.
 */
public final class Backends {
  /** The system property that forces a backend: {@code reference} or {@code vector}. */
  public static final String BACKEND_PROPERTY = "gradguard.backend";

  /** The environment variable that forces a backend when the property is not set. */
  public static final String BACKEND_ENV = "GRADGUARD_BACKEND";

  static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String VECTOR_CLASS = "org.gradguard.tensor.vector.VectorBackend";

  private static volatile Backend current = initial();

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

  /** True when this JVM can run the vector backend (the module {@code jdk.incubator.vector}). */
  public static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /**
   * A new backend by name: {@code "reference"} or {@code "vector"}.
   *
   * @throws IllegalArgumentException for another name
   * @throws IllegalStateException for {@code "vector"} when {@link #vectorAvailable()} is false
   */
  public static Backend create(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "reference":
        return new ReferenceBackend();
      case "vector":
        if (!vectorAvailable()) {
          throw new IllegalStateException(
              "Backends: the vector backend needs the module "
                  + VECTOR_MODULE
                  + "; start the JVM with --add-modules "
                  + VECTOR_MODULE);
        }
        try {
          return (Backend) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("Backends: cannot load " + VECTOR_CLASS, e);
        }
      default:
        throw new IllegalArgumentException(
            "Backends: backend must be 'reference' or 'vector', got '" + name + "'");
    }
  }

  private static Backend initial() {
    String forced = System.getProperty(BACKEND_PROPERTY);
    String source = "system property " + BACKEND_PROPERTY;
    if (forced == null || forced.isBlank()) {
      forced = System.getenv(BACKEND_ENV);
      source = "environment variable " + BACKEND_ENV;
    }
    if (forced != null && !forced.isBlank()) {
      try {
        return create(forced);
      } catch (RuntimeException e) {
        throw new IllegalStateException(source + ": " + e.getMessage(), e);
      }
    }
    if (vectorAvailable()) {
      return create("vector");
    }
    System.getLogger(Backends.class.getName())
        .log(
            System.Logger.Level.WARNING,
            "GradGuard uses its slow reference kernels: the module "
                + VECTOR_MODULE
                + " is missing. Start the JVM with --add-modules "
                + VECTOR_MODULE
                + " for the vector kernels, or set "
                + BACKEND_ENV
                + "=reference to choose the reference kernels without this warning.");
    return new ReferenceBackend();
  }
}
