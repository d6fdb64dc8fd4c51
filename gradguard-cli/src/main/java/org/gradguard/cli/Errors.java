package org.gradguard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.gradguard.config.ConfigException;
import org.gradguard.data.DataFormatException;

/**
 * The one place that turns exceptions into messages and exit codes. User mistakes ({@link
 * ConfigException}, data format errors, I/O errors on the user's files, invalid arguments) print
 * one line {@code gradguard: <file>: <key or record>: <problem>} and exit with {@link
 * ExitCodes#BAD_INPUT}; anything else is an internal error ({@link ExitCodes#INTERNAL}). Stack
 * traces are printed only with {@code --debug}.
 */
public final class Errors {
  private Errors() {}

  /**
   * Runs {@code body}, returning its exit code, or handling what it throws.
   *
   * @param err where messages go
   * @param debug print stack traces too
   */
  public static int run(Callable<Integer> body, PrintWriter err, boolean debug) {
    try {
      return body.call();
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      return handle(e, err, debug);
    } finally {
      err.flush();
    }
  }

  /** Prints the message for {@code e} to {@code err} and returns the exit code. */
  public static int handle(Throwable e, PrintWriter err, boolean debug) {
    int code;
    String message;
    if (e instanceof ConfigException c) {
      code = ExitCodes.BAD_INPUT;
      message = c.getMessage();
    } else if (e instanceof DataFormatException d) {
      code = ExitCodes.BAD_INPUT;
      message = ConfigException.oneLine(d.getMessage());
    } else if (e instanceof NoSuchFileException f) {
      code = ExitCodes.BAD_INPUT;
      message = f.getFile() + ": file not found";
    } else if (e instanceof AccessDeniedException f) {
      code = ExitCodes.BAD_INPUT;
      message = f.getFile() + ": permission denied";
    } else if (e instanceof UncheckedIOException u) {
      return handle(u.getCause(), err, debug);
    } else if (e instanceof IOException io) {
      code = ExitCodes.BAD_INPUT;
      message = ConfigException.oneLine(io.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      // The library validates every setting; one that reaches it unchecked is still bad input.
      code = ExitCodes.BAD_INPUT;
      message = ConfigException.oneLine(e.getMessage());
    } else if (e instanceof OutOfMemoryError) {
      code = ExitCodes.INTERNAL;
      message =
          "out of memory; use less data, a smaller model or batch, or more heap"
              + " (GRADGUARD_JAVA_OPTS=-Xmx8g)";
    } else {
      code = ExitCodes.INTERNAL;
      message =
          "internal error: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + ConfigException.oneLine(e.getMessage()))
              + (debug ? "" : " (rerun with --debug for the stack trace)");
    }
    err.println("gradguard: " + message);
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }
}
