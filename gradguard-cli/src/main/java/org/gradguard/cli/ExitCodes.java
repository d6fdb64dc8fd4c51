package org.gradguard.cli;

/** The exit codes of the {@code gradguard} command. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Training diverged, or {@code diagnose --fail-on} found one of the listed problems. */
  public static final int FAILED = 1;

  /** Bad input: a wrong option, config, data file or run directory. Nothing was trained. */
  public static final int BAD_INPUT = 2;

  /** An internal error (a bug, or the JVM ran out of memory); {@code --debug} shows the trace. */
  public static final int INTERNAL = 3;

  /**
   * Interrupted by Ctrl-C (SIGINT): 128 + 2, set by the JVM, which exits through its shutdown hooks
   * once the command has written its checkpoints and report ({@link GracefulStop}); SIGTERM gives
   * 128 + 15 = 143. {@code train} and {@code compare} also return it after a signal, but the JVM's
   * code is the one the shell sees.
   */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
