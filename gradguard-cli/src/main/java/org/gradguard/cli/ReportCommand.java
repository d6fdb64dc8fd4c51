package org.gradguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradguard.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gradguard report}: an HTML report from finished runs. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write an HTML report of one or more finished runs (output directories of train, diagnose"
          + " or compare): loss curves, per-layer gradient flow, events and the diagnosis."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  gradguard report runs/five-remedies/baseline",
      "  gradguard report runs/a runs/b --out comparison.html"
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories.")
  List<Path> runs = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "The report file (default: report.html in the first run directory).")
  Path out;

  @ParentCommand GradGuardCommand parent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return Errors.run(
        () -> {
          for (Path run : runs) {
            if (!Files.isDirectory(run)) {
              throw new ConfigException(
                  run.toString(),
                  null,
                  Files.exists(run) ? "not a directory" : "run directory not found");
            }
          }
          Path file = out != null ? out : runs.get(0).resolve("report.html");
          spec.commandLine()
              .getOut()
              .println("Would write a report of " + runs.size() + " run(s) to " + file + ".");
          spec.commandLine()
              .getOut()
              .println(
                  "Reports are not wired yet: they wait for org.gradguard.report and the Trainer.");
          return ExitCodes.OK;
        },
        spec.commandLine().getErr(),
        parent != null && parent.debug);
  }
}
