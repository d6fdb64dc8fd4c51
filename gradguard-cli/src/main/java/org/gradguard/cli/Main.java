package org.gradguard.cli;

import java.io.PrintWriter;

/** The entry point of the {@code gradguard} command (see the launcher {@code ./gradguard}). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs {@code gradguard args}, writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    int code = GradGuardCommand.newCommandLine(out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
