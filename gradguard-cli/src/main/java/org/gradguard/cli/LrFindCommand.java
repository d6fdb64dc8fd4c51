package org.gradguard.cli;

import java.nio.file.Path;
import java.util.List;
import org.gradguard.config.ConfigException;
import org.gradguard.config.Numbers;
import org.gradguard.config.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gradguard lr-find}: the learning-rate range test. */
@Command(
    name = "lr-find",
    mixinStandardHelpOptions = true,
    description = {
      "Learning-rate range test (Smith 2017): train for a few steps while the learning rate grows"
          + " exponentially from --min-lr to --max-lr, plot the loss against it, and suggest a rate"
          + " somewhat below the one where the loss starts to explode."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  gradguard lr-find examples/fashion-mlp.yaml",
      "  gradguard lr-find examples/linear-regression.yaml --min-lr 1e-6 --max-lr 1 --steps 200"
    })
final class LrFindCommand extends ExperimentCommand {
  @Option(
      names = "--variant",
      paramLabel = "NAME",
      description = "Use this variant of the config instead of its base settings.")
  String variant;

  @Option(
      names = "--min-lr",
      paramLabel = "LR",
      defaultValue = "1e-7",
      description = "First learning rate (default: ${DEFAULT-VALUE}).")
  double minLr;

  @Option(
      names = "--max-lr",
      paramLabel = "LR",
      defaultValue = "10",
      description = "Last learning rate (default: ${DEFAULT-VALUE}).")
  double maxLr;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "100",
      description = "Steps of the sweep (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Output directory for the plot and the numbers (default: runs/<experiment>/lr-find).")
  Path out;

  @Override
  int execute() {
    if (!(minLr > 0) || Double.isInfinite(minLr)) {
      throw new ConfigException(null, "--min-lr", "must be > 0, got " + Numbers.format(minLr));
    }
    if (!(maxLr > minLr) || Double.isInfinite(maxLr)) {
      throw new ConfigException(
          null,
          "--max-lr",
          "must be above --min-lr " + Numbers.format(minLr) + ", got " + Numbers.format(maxLr));
    }
    if (steps < 2) {
      throw new ConfigException(null, "--steps", "must be >= 2, got " + steps);
    }
    Variant v = variant(variant);
    Plans.buildAndPrint(experiment, List.of(v), out());
    Path dir = out != null ? out : Path.of("runs", experiment.name(), "lr-find");
    out()
        .println(
            "Would sweep the learning rate from "
                + Numbers.format(minLr)
                + " to "
                + Numbers.format(maxLr)
                + " over "
                + steps
                + " steps and write to "
                + dir
                + ".");
    Plans.notWired(out(), "The range test");
    return ExitCodes.OK;
  }
}
