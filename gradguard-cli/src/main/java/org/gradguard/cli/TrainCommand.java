package org.gradguard.cli;

import java.nio.file.Path;
import java.util.List;
import org.gradguard.config.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gradguard train}: trains one variant of a config. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the model of CONFIG (its base settings, or one variant), monitoring the gradient"
          + " health of every layer; writes metrics, events and checkpoints to the output"
          + " directory. Exits with 1 when training diverges."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  gradguard train examples/fashion-mlp.yaml",
      "  gradguard train examples/five-remedies.yaml --variant batch-norm --out runs/bn",
      "  gradguard train examples/fashion-mlp.yaml --set optimizer.lr=0.01 --set train.epochs=2",
      "  gradguard train examples/fashion-mlp.yaml --resume --out runs/fashion-mlp/base"
    })
final class TrainCommand extends ExperimentCommand {
  @Option(
      names = "--variant",
      paramLabel = "NAME",
      description = "Train this variant of the config instead of its base settings.")
  String variant;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: runs/<experiment>/<variant>).")
  Path out;

  @Option(
      names = "--resume",
      description = "Continue from the latest checkpoint in the output directory.")
  boolean resume;

  @Option(names = "--no-progress", description = "No progress bar; log lines only.")
  boolean noProgress;

  @Override
  int execute() {
    Variant v = variant(variant);
    Plans.buildAndPrint(experiment, List.of(v), out());
    Path dir = out != null ? out : Path.of("runs", experiment.name(), v.name());
    out()
        .println(
            "Would train variant "
                + v.name()
                + " and write to "
                + dir
                + (resume ? ", resuming from its latest checkpoint" : "")
                + ".");
    Plans.notWired(out(), "Training");
    return ExitCodes.OK;
  }
}
