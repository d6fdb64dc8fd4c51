package org.gradguard.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradguard.config.ConfigException;
import org.gradguard.config.Origin;
import org.gradguard.config.RunFactory;
import org.gradguard.config.Variant;
import org.gradguard.health.Diagnosis;
import org.gradguard.report.HtmlReport;
import org.gradguard.report.RunDirectories;
import org.gradguard.train.FitResult;
import org.gradguard.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gradguard train}: trains one variant of a config. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the model of CONFIG (its base settings, or one variant), monitoring the gradient"
          + " health of every layer; writes metrics, events, checkpoints and an HTML report to"
          + " the run directory. Exits with 1 when training diverges (a guard stops it, or the loss"
          + " ends NaN or infinite)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  gradguard train examples/fashion-mlp.yaml",
      "  gradguard train examples/five-remedies.yaml --variant batch-norm --out runs/bn",
      "  gradguard train examples/fashion-mlp.yaml --set optimizer.lr=0.01 --set train.epochs=2",
      "  gradguard train examples/fashion-mlp.yaml --resume runs/fashion-mlp-20261129-120000"
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
      description = "Run directory (default: runs/<config name>-<timestamp>).")
  Path out;

  @Option(
      names = "--resume",
      paramLabel = "RUN_DIR",
      description = "Continue the run in RUN_DIR from its latest checkpoint.")
  Path resume;

  @Option(names = "--no-progress", description = "No progress bar; log lines only.")
  boolean noProgress;

  @Override
  int execute() throws IOException {
    Variant v = variant(variant);
    warnUndoneSets(v);
    warnEarlyStoppingOnTestData(v);
    RunFactory.BuiltRun run =
        RunFactory.build(v.config(), Origin.of(experiment, v), new RunFactory.DataCache());
    Runs.applyThreads(run);
    // The trainer's own end message (Ctrl-C, divergence) is printed once, by Progress#onEnd.
    Trainer.Builder b =
        Runs.trainer(run, 0, Runs.provenance(configFile, v.name(), sets))
            .messages(new PrintStream(OutputStream.nullOutputStream()));
    Path dir;
    if (resume != null) {
      if (!Files.isDirectory(resume)) {
        throw new ConfigException(
            configFile, "--resume", "no run directory " + resume + " (it does not exist)");
      }
      b.resume(resume);
      dir = out != null ? out : resume;
      if (out != null) {
        b.runDirectory(out);
      }
    } else {
      dir = out != null ? out : Runs.defaultDirectory(experiment.name());
      b.runDirectory(dir);
    }
    Runs.checkpointCadence(b, run);
    b.resumeHint(
        Runs.resumeCommand(
            configFile, variant == null || variant.equals("base") ? null : v.name(), sets, dir));
    boolean terminal = System.console() != null && !noProgress;
    b.listener(new Progress(out(), terminal, run.config().train().logEvery()));
    Divergence divergence = new Divergence();
    b.listener(divergence);
    Trainer trainer;
    try {
      trainer = b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(configFile, "train", ConfigException.oneLine(e.getMessage()));
    }
    // On resume too: a resume may change the config (--set train.epochs=…); the file says what ran
    // last, the provenance's resumes say when.
    Runs.writeConfig(dir, v.config(), configFile, v.name(), sets);
    // Ctrl-C stops after the current step; the checkpoint and the report are written before exit.
    try (GracefulStop stop = GracefulStop.install()) {
      stop.add(trainer);
      FitResult result = trainer.fit();
      out().println();
      out()
          .println(
              divergence.render(
                  Diagnosis.of(trainer.monitor()), result, trainer.monitor().every(), v.config()));
      // The single-run report, as `gradguard report DIR` writes it.
      Path report = dir.resolve("report.html");
      HtmlReport.write(RunDirectories.load(dir), report, null);
      out().println("run directory: " + dir);
      out().println("report: " + report);
      out().flush();
      if (result.reason() == FitResult.StopReason.INTERRUPTED) {
        return ExitCodes.INTERRUPTED;
      }
      return Divergence.diverged(result) ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }
}
