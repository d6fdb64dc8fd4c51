package org.gradguard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gradguard.config.ConfigException;
import org.gradguard.config.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gradguard compare}: trains every variant and writes one side-by-side report. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Train every variant of CONFIG (the baseline and each remedy) with the same data and seed,"
          + " and write one HTML report that puts their losses, gradient flow and diagnoses side"
          + " by side. Exits with 1 when every variant diverged."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  gradguard compare examples/five-remedies.yaml",
      "  gradguard compare examples/five-remedies.yaml --only baseline,residual,batch-norm",
      "  gradguard compare examples/linear-regression.yaml --set train.steps=200 --out runs/lr"
    })
final class CompareCommand extends ExperimentCommand {
  @Option(
      names = "--only",
      paramLabel = "NAME",
      split = ",",
      description = "Run only these variants, in this order.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: runs/<experiment>); the report is DIR/report.html.")
  Path out;

  @Option(names = "--no-progress", description = "No progress bars; log lines only.")
  boolean noProgress;

  @Override
  int execute() {
    if (experiment.variants().isEmpty()) {
      throw new ConfigException(
          experiment.file(),
          "variants",
          "compare needs variants to compare, and the file defines none"
              + " (add e.g. variants: {baseline: {}, smaller-lr: {optimizer: {lr: 0.01}}})");
    }
    List<Variant> selected = new ArrayList<>();
    if (only.isEmpty()) {
      selected.addAll(experiment.variants());
    } else {
      for (String name : only) {
        selected.add(experiment.variant(name).orElseThrow(() -> unknownVariant("--only", name)));
      }
    }
    Plans.buildAndPrint(experiment, selected, out());
    Path dir = out != null ? out : Path.of("runs", experiment.name());
    out()
        .println(
            "Would train "
                + selected.size()
                + " variants and write "
                + dir.resolve("report.html")
                + ".");
    Plans.notWired(out(), "Comparison");
    return ExitCodes.OK;
  }
}
