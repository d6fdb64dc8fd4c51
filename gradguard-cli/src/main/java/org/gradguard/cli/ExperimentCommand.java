package org.gradguard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradguard.config.ConfigException;
import org.gradguard.config.ConfigLoader;
import org.gradguard.config.ExperimentConfig;
import org.gradguard.config.Overrides;
import org.gradguard.config.RunConfig;
import org.gradguard.config.Suggestions;
import org.gradguard.config.Variant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A subcommand that runs a config file: the {@code CONFIG} argument, {@code --set} overrides, and
 * the loading and validation every such command starts with. Errors are handled by {@link Errors}.
 */
abstract class ExperimentCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "The experiment's YAML config.")
  String configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = {
        "Override a config key, e.g. --set optimizer.lr=0.01 or --set train.epochs=2;"
            + " the value is read as YAML. Repeatable; applied in order, before variants."
      })
  List<String> sets = new ArrayList<>();

  @ParentCommand GradGuardCommand parent;

  @Spec CommandSpec spec;

  /** The loaded experiment, set before {@link #execute} runs. */
  ExperimentConfig experiment;

  @Override
  public final Integer call() {
    return Errors.run(
        () -> {
          experiment = ConfigLoader.load(Path.of(configFile), configFile, sets);
          return execute();
        },
        err(),
        debug());
  }

  /** Runs the command on {@link #experiment}; returns the exit code. */
  abstract int execute() throws Exception;

  boolean debug() {
    return parent != null && parent.debug;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * The variant called {@code name}; {@code null} or {@code "base"} give the base config.
   *
   * @throws ConfigException (key {@code --variant}) for an unknown name
   */
  Variant variant(String name) {
    if (name == null || name.equals("base")) {
      return experiment.variant("base").orElse(experiment.baseVariant());
    }
    return experiment.variant(name).orElseThrow(() -> unknownVariant("--variant", name));
  }

  /**
   * Warns, on standard error, about each {@code --set} that variant {@code v} undoes (it sets that
   * key itself: overrides apply to the base, before variants), and says how to reach the variant.
   */
  void warnUndoneSets(Variant v) {
    for (Overrides.Override o : Overrides.undoneBy(v.config().tree(), sets)) {
      err()
          .println(
              "warning: --set "
                  + o.text()
                  + " does not reach variant '"
                  + v.name()
                  + "', which sets "
                  + o.path()
                  + " (or a key above it) itself; to change it there: --set "
                  + Runs.shellWord(Overrides.intoVariant(v.config().tree(), o, v.name())));
    }
    err().flush();
  }

  /**
   * Warns, on standard error, when variant {@code v} stops early on a validation set that is the
   * data's test split (Fashion-MNIST's and MNIST's, or a CSV's {@code test_path}, without a {@code
   * validation_split}): the epoch it keeps is then chosen on test data, so the accuracy reported on
   * that split is optimistic.
   */
  void warnEarlyStoppingOnTestData(Variant v) {
    RunConfig c = v.config();
    if (c.train().earlyStopping() == null) {
      return;
    }
    String split = c.data().testSplitUsedForValidation();
    if (split == null) {
      return;
    }
    err()
        .println(
            "warning: train.early_stopping"
                + (v.name().equals("base") ? "" : " (variant '" + v.name() + "')")
                + " judges epochs on the validation set, which is "
                + split
                + ": the epoch it stops at is chosen on test data, so the accuracy reported on"
                + " it is an optimistic estimate (data.validation_split holds out validation data"
                + " from the training data instead, and the test split is then scored once after"
                + " training)");
    err().flush();
  }

  ConfigException unknownVariant(String option, String name) {
    List<String> names = new ArrayList<>();
    experiment.variants().forEach(v -> names.add(v.name()));
    String known =
        names.isEmpty() ? "the file defines none" : "variants: " + String.join(", ", names);
    return new ConfigException(
        configFile,
        option,
        "unknown variant \""
            + name
            + "\""
            + Suggestions.didYouMean(name, names)
            + " ("
            + known
            + ")");
  }
}
