package org.gradguard.cli;

import java.io.PrintWriter;
import org.gradguard.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code gradguard} command; its subcommands do the work. */
@Command(
    name = "gradguard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Train deep neural networks that stay stable: measure the gradient flow through every layer,"
          + " say what is going wrong, and apply the remedies.",
    },
    subcommands = {
      TrainCommand.class,
      DiagnoseCommand.class,
      CompareCommand.class,
      LrFindCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  training diverged, or diagnose --fail-on found a listed problem",
      "  2  bad input: an option, config, data file or run directory is wrong",
      "  3  internal error (rerun with --debug for the stack trace)",
      "  130  interrupted by Ctrl-C (143: by SIGTERM); train writes a checkpoint first",
      "",
      "Examples:",
      "  gradguard compare examples/five-remedies.yaml",
      "  gradguard train examples/fashion-mlp.yaml --set optimizer.lr=0.01",
      "  gradguard diagnose examples/exploding-relu.yaml --fail-on exploding,non_finite",
      "",
      "Configs are documented in docs/config.md."
    })
public final class GradGuardCommand implements Runnable {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error, not just its one-line message.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // `gradguard` alone: show the usage, as `git` does.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A command line for {@code gradguard} writing to {@code out} and {@code err}, with the exit-code
   * mapping of {@link Errors}: usage errors print one line and a hint and return 2.
   */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new GradGuardCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("gradguard: " + ConfigException.oneLine(ex.getMessage()));
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more.");
          c.getErr().flush();
          return ExitCodes.BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          boolean debug =
              c.getCommandSpec().root().userObject() instanceof GradGuardCommand g && g.debug;
          return Errors.handle(ex, c.getErr(), debug);
        });
    return cl;
  }
}
