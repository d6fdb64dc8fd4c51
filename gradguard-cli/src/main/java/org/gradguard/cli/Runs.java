package org.gradguard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.config.GuardsConfig;
import org.gradguard.config.MonitorConfig;
import org.gradguard.config.RunConfig;
import org.gradguard.config.RunFactory;
import org.gradguard.config.TrainConfig;
import org.gradguard.config.Yaml;
import org.gradguard.data.DataLoader;
import org.gradguard.data.EpochOrder;
import org.gradguard.health.Monitor;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.io.AtomicFile;
import org.gradguard.train.RngStreams;
import org.gradguard.train.Trainer;

/**
 * Turns a built run ({@link RunFactory.BuiltRun}: data, model, loss, chain) into a {@link
 * Trainer.Builder} with the config's guards, monitor and length. Shared by the commands that train.
 */
final class Runs {
  private Runs() {}

  /** A timestamp for default run-directory names, e.g. {@code 20261129-213512}. */
  static String timestamp() {
    return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }

  /** The default run directory of a new run: {@code runs/<name>-<timestamp>}. */
  static Path defaultDirectory(String name) {
    return Path.of("runs", name + "-" + timestamp());
  }

  /**
   * A trainer builder for {@code run}: model, loss, loader (seeded from the run's seed),
   * validation, test set, chain, plateau, early stopping, epochs or steps, the monitor (its {@code
   * every} unless {@code monitorEvery > 0} overrides it) and the guards. The caller adds the run
   * directory, listeners and resume.
   *
   * @param provenance recorded in the run's provenance (JSON-writable values)
   */
  static Trainer.Builder trainer(
      RunFactory.BuiltRun run, int monitorEvery, Map<String, Object> provenance) {
    RunConfig c = run.config();
    RngStreams rngs = RngStreams.of(c.train().seed());
    DataLoader loader =
        new DataLoader(run.data().train(), c.train().batchSize(), c.train().dropLast(), order(c));
    MonitorConfig m = c.monitor();
    Monitor.Builder monitor =
        Monitor.builder(run.model())
            .every(monitorEvery > 0 ? monitorEvery : m.every())
            .saturationTolerance(m.saturationTolerance())
            .detectors(m.detectors());
    GuardsConfig g = c.guards();
    Trainer.Builder b =
        Trainer.builder()
            .model(run.model())
            .loss(run.loss())
            .data(loader)
            .optimizer(run.optim().transformation())
            .rngs(rngs)
            .monitor(monitor)
            .skipNonFinite(g.skipNonFinite())
            .config(provenance);
    if (g.skipSpikes() != null) {
      b.skipSpikes(g.skipSpikes());
    }
    if (g.rollback() != null) {
      b.rollback(g.rollback());
    }
    if (run.data().validation() != null && run.data().validation().size() > 0) {
      b.validation(run.data().validation());
      if (run.optim().plateau() != null) {
        b.plateau(run.optim().plateau());
      }
      if (c.train().earlyStopping() != null) {
        b.earlyStopping(c.train().earlyStopping());
      }
    }
    if (run.data().test() != null) {
      b.test(run.data().test());
    }
    if (c.train().steps() != null) {
      b.maxSteps(c.train().steps());
    } else {
      b.epochs(c.train().epochs());
    }
    return b;
  }

  /**
   * The order of the training batches: the identity without shuffling, else GradGuard's order from
   * the run's {@code data} stream or, with {@code train.rng: pytorch}, PyTorch's {@code randperm}
   * sequence from the run seed.
   */
  static EpochOrder order(RunConfig c) {
    TrainConfig t = c.train();
    if (!t.shuffle()) {
      return EpochOrder.sequential();
    }
    return t.rng() == TrainConfig.RandomNumbers.PYTORCH
        ? EpochOrder.pytorch(t.seed())
        : EpochOrder.shuffled(RngStreams.of(t.seed()).seedFor("data"));
  }

  /**
   * Steps between checkpoints of a run whose epochs are shorter than this (full-batch data has one
   * step per epoch, and a checkpoint per epoch would be one per step).
   */
  static final int CHECKPOINT_STEPS = 100;

  /**
   * The checkpoint cadence of a run with a run directory: at each epoch's end when an epoch has at
   * least {@link #CHECKPOINT_STEPS} batches, else every {@code CHECKPOINT_STEPS} steps. The trainer
   * also checkpoints when training ends and on Ctrl-C, and keeps the newest two.
   */
  static void checkpointCadence(Trainer.Builder b, RunFactory.BuiltRun run) {
    TrainConfig t = run.config().train();
    long n = run.data().train().size();
    long batches = t.dropLast() ? n / t.batchSize() : (n + t.batchSize() - 1) / t.batchSize();
    if (batches < CHECKPOINT_STEPS) {
      b.checkpointEachEpoch(false).checkpointEvery(CHECKPOINT_STEPS);
    }
  }

  /** Applies {@code train.threads} (when not 0, the default) to the kernels' thread count. */
  static void applyThreads(RunFactory.BuiltRun run) {
    if (run.config().train().threads() > 0) {
      Parallel.setThreads(run.config().train().threads());
    }
  }

  /** The file in a run directory that holds the config the run was built from. */
  static final String CONFIG_FILE = "config.yaml";

  /**
   * Writes {@code dir/config.yaml} (atomically, creating {@code dir}): the config the run was built
   * from after {@code --set} and the variant's merge, under a comment naming where it came from, so
   * that the run directory says what ran without the original file. The report shows it verbatim.
   */
  static void writeConfig(
      Path dir, RunConfig config, String configFile, String variant, List<String> sets)
      throws IOException {
    StringBuilder head = new StringBuilder();
    head.append("# The configuration of this run: ")
        .append(configFile)
        .append(", variant ")
        .append(variant);
    for (String set : sets) {
      head.append(", --set ").append(set);
    }
    head.append(".\n# Keys not given here take the defaults in docs/config.md; relative data paths")
        .append(" are relative to the\n# directory of ")
        .append(configFile)
        .append(".\n");
    String yaml = Yaml.write(config.tree());
    Files.createDirectories(dir);
    AtomicFile.write(
        dir.resolve(CONFIG_FILE), out -> out.write((head + yaml).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The command that resumes a run in {@code dir}: the same config, variant and {@code --set}
   * overrides (quoted for a POSIX shell where needed).
   *
   * @param variant the variant, or null for the base config
   */
  static String resumeCommand(String configFile, String variant, List<String> sets, Path dir) {
    StringBuilder cmd = new StringBuilder("gradguard train ").append(shellWord(configFile));
    if (variant != null) {
      cmd.append(" --variant ").append(shellWord(variant));
    }
    for (String set : sets) {
      cmd.append(" --set ").append(shellWord(set));
    }
    return cmd.append(" --resume ").append(shellWord(dir.toString())).toString();
  }

  /** {@code word} as one word of a POSIX shell command: as is when safe, else single-quoted. */
  static String shellWord(String word) {
    if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,+@%-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** What the provenance records about the command that started a run. */
  static Map<String, Object> provenance(String configFile, String variant, List<String> sets) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("config_file", configFile);
    p.put("variant", variant);
    p.put("set", List.copyOf(sets));
    return p;
  }
}
