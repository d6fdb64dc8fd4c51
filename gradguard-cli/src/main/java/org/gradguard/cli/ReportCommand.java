package org.gradguard.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradguard.config.ConfigException;
import org.gradguard.report.ComparisonTable;
import org.gradguard.report.HtmlReport;
import org.gradguard.report.ReportModel;
import org.gradguard.report.RunDirectories;
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
      "  gradguard compare examples/five-remedies.yaml --out runs/five-remedies",
      "  gradguard report runs/five-remedies/baseline",
      "  gradguard report runs/a runs/b --out comparison.html",
      "  gradguard report runs/five-remedies --png runs/five-remedies/charts"
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "RUN_DIR",
      description = "Run directories, or a directory of them (the output of compare).")
  List<Path> runs = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "The report file (default: report.html in the first run directory).")
  Path out;

  @Option(names = "--png", paramLabel = "DIR", description = "Also write each chart as DIR/ID.png.")
  Path png;

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
                  Files.exists(run)
                      ? "not a directory (give run directories, or a comparison's directory"
                          + " itself rather than its files)"
                      : "run directory not found");
            }
          }
          Path file = out != null ? out : runs.get(0).resolve("report.html");
          ReportModel model = RunDirectories.load(runs.toArray(new Path[0]));
          List<String> charts = HtmlReport.write(model, file, png);
          PrintWriter o = spec.commandLine().getOut();
          if (model.runs().size() > 1) {
            o.print(ComparisonTable.format(model));
          }
          o.println(
              "Wrote "
                  + file
                  + " ("
                  + model.runs().size()
                  + " run(s), "
                  + charts.size()
                  + " charts"
                  + (png != null ? "; PNGs in " + png : "")
                  + ").");
          return ExitCodes.OK;
        },
        spec.commandLine().getErr(),
        parent != null && parent.debug);
  }
}
