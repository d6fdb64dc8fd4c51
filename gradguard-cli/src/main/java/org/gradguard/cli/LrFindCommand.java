package org.gradguard.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.gradguard.config.ConfigException;
import org.gradguard.config.Numbers;
import org.gradguard.config.RunFactory;
import org.gradguard.config.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gradguard lr-find}: the learning-rate range test. */
@Command(
    name = "lr-find",
    mixinStandardHelpOptions = true,
    description = {
      "Learning-rate range test (Smith 2017, as PyTorch Lightning runs it): train for a few steps"
          + " while the learning rate grows exponentially from --min-lr to --max-lr, and suggest"
          + " the rate where the smoothed loss falls fastest; also suggest a gradient-clipping"
          + " threshold (AutoClip: the 10th percentile of the gradient norms seen). The model is"
          + " restored afterwards."
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
      defaultValue = "1e-8",
      description = "First learning rate (default: ${DEFAULT-VALUE}).")
  double minLr;

  @Option(
      names = "--max-lr",
      paramLabel = "LR",
      defaultValue = "1",
      description = "Last learning rate (default: ${DEFAULT-VALUE}).")
  double maxLr;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "100",
      description = "Steps of the sweep (default: ${DEFAULT-VALUE}).")
  int steps;

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
    warnUndoneSets(v);
    RunFactory.BuiltRun run = Plans.buildAndPrint(experiment, List.of(v), out()).get(0);
    RangeTest.Result r = RangeTest.run(run, minLr, maxLr, steps);
    PrintWriter o = out();
    o.println();
    o.println(
        "Swept the learning rate from "
            + Numbers.format(minLr)
            + " over "
            + r.lrs().length
            + " steps"
            + (r.stoppedEarly()
                ? " (stopped at lr " + fmt(r.lrs()[r.lrs().length - 1]) + ": the loss diverged)"
                : " to " + Numbers.format(maxLr))
            + ".");
    o.println("       lr   smoothed loss");
    int stride = Math.max(1, r.lrs().length / 20);
    for (int i = 0; i < r.lrs().length; i += stride) {
      o.println(String.format(Locale.ROOT, "%9s   %.5g", fmt(r.lrs()[i]), r.smoothed()[i]));
    }
    o.println();
    o.println(
        "Suggested learning rate: "
            + (Double.isNaN(r.suggestedLr())
                ? "none (too few steps before the loss diverged; lower --min-lr or add --steps)"
                : fmt(r.suggestedLr()) + " (steepest descent of the smoothed loss)"));
    o.println(
        "Suggested clipping: "
            + (Double.isNaN(r.suggestedClip())
                ? "none"
                : "clipping: {kind: norm, max_norm: "
                    + fmt(r.suggestedClip())
                    + "} (10th percentile of the gradient norms seen)"));
    o.println("The model was restored to its initial weights.");
    o.flush();
    return ExitCodes.OK;
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.3g", x);
  }
}
