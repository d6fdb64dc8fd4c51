package org.gradguard.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.gradguard.config.ConfigException;
import org.gradguard.config.Named;
import org.gradguard.config.Origin;
import org.gradguard.config.RunFactory;
import org.gradguard.config.Suggestions;
import org.gradguard.config.Variant;
import org.gradguard.health.Diagnosis;
import org.gradguard.health.Finding;
import org.gradguard.health.Severity;
import org.gradguard.train.FitResult;
import org.gradguard.train.Trainer;
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
      "  gradguard diagnose examples/exploding-relu.yaml --fail-on error",
      "  gradguard diagnose examples/exploding-relu.yaml --steps 1 --fail-on warning",
      "  gradguard diagnose examples/exploding-relu.yaml --steps 50 --fail-on exploding,non_finite",
      "  gradguard diagnose examples/fashion-mlp.yaml --format json > health.json",
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
    ANY,
    /** A finding of severity WARNING or worse. */
    WARNING,
    /** A finding of severity CRITICAL (called "error" on the command line). */
    ERROR;

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
      defaultValue = "30",
      description = {
        "Training steps to observe, the monitor measuring every one (default: ${DEFAULT-VALUE});"
            + " 1 gives the picture at initialization."
      })
  int steps;

  /** How the diagnosis is printed. */
  enum Format {
    text,
    json
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = {
        "text (default) or json (the health JSON of docs/health-json.md, alone on stdout)."
      })
  Format format;

  @Option(
      names = "--fail-on",
      paramLabel = "PROBLEM",
      split = ",",
      description = {
        "Exit with 1 if any of these is found: a severity (warning: a finding of severity"
            + " warning or worse; error: a critical finding), or a problem (exploding, vanishing,"
            + " non_finite, saturation, dead_units, update_ratio, any)."
      })
  List<String> failOn = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Also keep the run directory (diagnosis.json, health.jsonl, metrics) here.")
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
    warnUndoneSets(v);
    boolean json = format == Format.json;
    RunFactory.BuiltRun run =
        json
            ? RunFactory.build(v.config(), Origin.of(experiment, v), new RunFactory.DataCache())
            : Plans.buildAndPrint(experiment, List.of(v), out()).get(0);
    Runs.applyThreads(run);
    Trainer.Builder b =
        Runs.trainer(run, 1, Runs.provenance(configFile, v.name(), sets))
            .epochs(0)
            .maxSteps(steps)
            .test(null) // a diagnosis of a few steps has nothing to score
            .checkpointEachEpoch(false)
            .messages(new PrintStream(OutputStream.nullOutputStream()));
    if (out != null) {
      b.runDirectory(out);
    }
    if (!noProgress && System.console() != null) {
      b.listener(new Progress(err(), true, steps));
    }
    Trainer trainer = b.build();
    FitResult result = trainer.fit();
    Diagnosis d = Diagnosis.of(trainer.monitor());
    if (json) {
      out().println(d.toJson());
    } else {
      out().println();
      out().println(observedLine(result.steps(), v.name()));
      if (result.diverged()) {
        // Its first line: the rest of the message is the diagnosis, printed next.
        out().println(result.message().lines().findFirst().orElse(""));
      }
      out().println(d.toText());
      if (out != null) {
        out().println("run directory: " + out);
      }
    }
    out().flush();
    List<Finding> failing = failing(d, problems);
    if (!failing.isEmpty() && !json) {
      err()
          .println(
              "diagnose: failing on "
                  + failing.size()
                  + " finding(s) (--fail-on "
                  + String.join(",", failOn)
                  + ")");
      err().flush();
    }
    return failing.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /**
   * What was observed, and that the plan's train length and monitor period above were replaced:
   * diagnose runs its own number of steps and measures every one.
   */
  static String observedLine(long steps, String variant) {
    return "Observed "
        + steps
        + (steps == 1 ? " step" : " steps")
        + " of variant "
        + variant
        + ", monitoring every step (diagnose replaces the config's train length and"
        + " monitor.every).";
  }

  /** The findings of {@code d} that {@code problems} fail on. */
  static List<Finding> failing(Diagnosis d, Set<Problem> problems) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : d.findings()) {
      boolean bySeverity =
          problems.contains(Problem.WARNING) && f.severity().compareTo(Severity.WARNING) >= 0
              || problems.contains(Problem.ERROR) && f.severity() == Severity.CRITICAL;
      boolean byKind = false;
      for (Problem p : problems) {
        if (p.ordinal() < Problem.ANY.ordinal() && p.name().equals(f.type().name())) {
          byKind = true;
        }
      }
      if (bySeverity || byKind) {
        out.add(f);
      }
    }
    return out;
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
        out.addAll(EnumSet.range(Problem.EXPLODING, Problem.UPDATE_RATIO));
      } else {
        out.add(match);
      }
    }
    return out;
  }
}
