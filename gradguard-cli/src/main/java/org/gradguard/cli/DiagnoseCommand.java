package org.gradguard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.gradguard.config.ConfigException;
import org.gradguard.config.Named;
import org.gradguard.config.Suggestions;
import org.gradguard.config.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gradguard diagnose}: a short run that reports the gradient health of every layer. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description = {
      "Run CONFIG for a few steps and report the gradient health of every layer: exploding or"
          + " vanishing gradients, saturated or dead units, update ratios; say where and why,"
          + " and which remedies to try. With --fail-on, exits with 1 when one of the listed"
          + " problems is found (for CI)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  gradguard diagnose examples/five-remedies.yaml",
      "  gradguard diagnose examples/exploding-relu.yaml --steps 50 --fail-on exploding,non_finite",
      "  gradguard diagnose examples/five-remedies.yaml --variant residual --fail-on any"
    })
final class DiagnoseCommand extends ExperimentCommand {
  /** The problems {@code --fail-on} can name (the event kinds of the health monitor). */
  enum Problem implements Named {
    EXPLODING,
    VANISHING,
    NON_FINITE,
    SATURATION,
    DEAD_UNITS,
    UPDATE_RATIO,
    ANY;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  @Option(
      names = "--variant",
      paramLabel = "NAME",
      description = "Diagnose this variant of the config instead of its base settings.")
  String variant;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "200",
      description = "Training steps to observe (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--fail-on",
      paramLabel = "PROBLEM",
      split = ",",
      description = {
        "Exit with 1 if any of these is found: exploding, vanishing, non_finite, saturation,"
            + " dead_units, update_ratio, or any."
      })
  List<String> failOn = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Also write the diagnosis (JSON and HTML) to this directory.")
  Path out;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Override
  int execute() {
    if (steps < 1) {
      throw new ConfigException(null, "--steps", "must be >= 1, got " + steps);
    }
    Set<Problem> problems = problems(failOn);
    Variant v = variant(variant);
    Plans.buildAndPrint(experiment, List.of(v), out());
    out()
        .println(
            "Would observe "
                + steps
                + " steps of variant "
                + v.name()
                + " and report gradient health"
                + (problems.isEmpty() ? "" : ", failing on " + problems)
                + (out == null ? "" : ", writing to " + out)
                + ".");
    Plans.notWired(out(), "Diagnosis");
    return ExitCodes.OK;
  }

  /** Parses {@code --fail-on} values, with "did you mean" for a misspelled one. */
  static Set<Problem> problems(List<String> names) {
    Set<Problem> out = EnumSet.noneOf(Problem.class);
    List<String> ids = new ArrayList<>();
    for (Problem p : Problem.values()) {
      ids.add(p.id());
    }
    for (String n : names) {
      String norm = n.strip().toLowerCase().replace('-', '_');
      Problem match = null;
      for (Problem p : Problem.values()) {
        if (p.id().equals(norm)) {
          match = p;
        }
      }
      if (match == null) {
        throw new ConfigException(
            null,
            "--fail-on",
            "unknown problem \""
                + n
                + "\""
                + Suggestions.didYouMean(n, ids)
                + " (one of: "
                + String.join(", ", ids)
                + ")");
      }
      if (match == Problem.ANY) {
        out.addAll(EnumSet.complementOf(EnumSet.of(Problem.ANY)));
      } else {
        out.add(match);
      }
    }
    return out;
  }
}
