package org.gradguard.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gradguard.config.ConfigException;
import org.gradguard.config.Origin;
import org.gradguard.config.RunFactory;
import org.gradguard.config.Variant;
import org.gradguard.health.Diagnosis;
import org.gradguard.health.Finding;
import org.gradguard.report.ComparisonTable;
import org.gradguard.report.HtmlReport;
import org.gradguard.report.ReportModel;
import org.gradguard.report.RunDirectories;
import org.gradguard.tensor.Parallel;
import org.gradguard.train.FitResult;
import org.gradguard.train.Trainer;
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
      "  gradguard compare examples/five-remedies.yaml --variants baseline,residual,batch-norm"
          + " --out runs/five-remedies",
      "  gradguard compare examples/linear-regression.yaml --set train.steps=200 --out runs/lr"
    })
final class CompareCommand extends ExperimentCommand {
  @Option(
      names = {"--variants", "--only"},
      paramLabel = "NAME",
      split = ",",
      description = "Run only these variants, in this order.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = {
        "Compare directory (default: runs/<config name>-<timestamp>): one run directory per"
            + " variant, and DIR/report.html."
      })
  Path out;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = {
        "Variants trained at once (default: min(variants, cores)). Each run's kernels use one"
            + " thread, so every variant's result is the same whatever N is."
      })
  Integer workers;

  @Option(names = "--no-progress", description = "No per-epoch lines; only the results.")
  boolean noProgress;

  /** What one variant's training left behind. */
  record Outcome(
      Variant variant, Path dir, FitResult result, Diagnosis diagnosis, Divergence divergence) {}

  @Override
  int execute() throws Exception {
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
        selected.add(
            experiment.variant(name).orElseThrow(() -> unknownVariant("--variants", name)));
      }
    }
    selected.forEach(this::warnUndoneSets);
    selected.forEach(this::warnEarlyStoppingOnTestData);
    if (workers != null && workers < 1) {
      throw new ConfigException(null, "--workers", "must be >= 1, got " + workers);
    }
    Path dir = out != null ? out : Runs.defaultDirectory(experiment.name());
    // Build every run first (sequentially: the data cache is shared), so config errors surface
    // before anything trains.
    RunFactory.DataCache cache = new RunFactory.DataCache();
    List<Trainer> trainers = new ArrayList<>();
    List<Divergence> watches = new ArrayList<>();
    for (Variant v : selected) {
      RunFactory.BuiltRun run = RunFactory.build(v.config(), Origin.of(experiment, v), cache);
      Map<String, Object> provenance = Runs.provenance(configFile, v.name(), sets);
      // The variant's place in this comparison, so that `report DIR` lists them in this order.
      provenance.put(RunDirectories.COMPARE_INDEX, trainers.size());
      Trainer.Builder b =
          Runs.trainer(run, 0, provenance)
              .runDirectory(dir.resolve(v.name()))
              .messages(new PrintStream(OutputStream.nullOutputStream()));
      Runs.checkpointCadence(b, run);
      b.resumeHint(Runs.resumeCommand(configFile, v.name(), sets, dir.resolve(v.name())));
      if (!noProgress) {
        b.listener(new Progress(out(), false, run.config().train().logEvery(), v.name()));
      }
      Divergence watch = new Divergence();
      b.listener(watch);
      watches.add(watch);
      trainers.add(b.build());
      Runs.writeConfig(dir.resolve(v.name()), v.config(), configFile, v.name(), sets);
    }
    int n =
        workers != null
            ? workers
            : Math.min(selected.size(), Runtime.getRuntime().availableProcessors());
    out()
        .println(
            "Training "
                + selected.size()
                + " variants, "
                + n
                + " at a time (one kernel thread each), into "
                + dir);
    out().flush();
    // Ctrl-C stops every variant after its current step (one not yet started does not start); the
    // table and the comparison report are written before the JVM exits.
    try (GracefulStop stop = GracefulStop.install()) {
      trainers.forEach(stop::add);
      return compare(selected, trainers, watches, dir, n, stop);
    }
  }

  /** Trains the variants {@code n} at a time, then prints the table and writes the report. */
  private int compare(
      List<Variant> selected,
      List<Trainer> trainers,
      List<Divergence> watches,
      Path dir,
      int n,
      GracefulStop stop)
      throws Exception {
    int savedThreads = Parallel.threads();
    Parallel.setThreads(1);
    List<Outcome> outcomes = new ArrayList<>();
    List<String> notStarted = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    long t0 = System.nanoTime();
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < selected.size(); i++) {
        Variant v = selected.get(i);
        Trainer t = trainers.get(i);
        Divergence watch = watches.get(i);
        futures.add(
            pool.submit(
                () -> {
                  if (stop.signalled()) {
                    return null; // Ctrl-C came before this variant's turn: it does not start
                  }
                  FitResult r = t.fit();
                  return new Outcome(v, dir.resolve(v.name()), r, Diagnosis.of(t.monitor()), watch);
                }));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          Outcome oc = futures.get(i).get();
          if (oc != null) {
            outcomes.add(oc);
          } else {
            notStarted.add(selected.get(i).name());
          }
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception x ? x : e;
        }
      }
    } finally {
      pool.shutdownNow();
      Parallel.setThreads(savedThreads);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    PrintWriter o = out();
    o.println();
    if (outcomes.isEmpty()) {
      o.println("Interrupted before any variant started; nothing to compare.");
      o.flush();
      return ExitCodes.INTERRUPTED;
    }
    ReportModel model =
        RunDirectories.load(outcomes.stream().map(Outcome::dir).toArray(Path[]::new));
    String title =
        experiment.description().isEmpty()
            ? experiment.name()
            : experiment.name() + ": " + experiment.description();
    model = new ReportModel(title, model.runs());
    o.print(ComparisonTable.format(model));
    o.println();
    o.println("Findings by variant:");
    for (Outcome oc : outcomes) {
      o.println("  " + oc.variant().name() + ": " + findings(oc));
    }
    Path report = dir.resolve("report.html");
    HtmlReport.write(model, report, null);
    o.println();
    o.println(
        String.format(
            Locale.ROOT,
            "Trained %d variants in %.1f s. Report: %s",
            outcomes.size(),
            seconds,
            report));
    o.flush();
    if (stop.signalled()) {
      o.println(
          "Interrupted: the variants above stopped where they were (Incomplete in the table)"
              + (notStarted.isEmpty() ? "." : "; not started: " + String.join(", ", notStarted)));
      o.flush();
      return ExitCodes.INTERRUPTED;
    }
    boolean allDiverged = outcomes.stream().allMatch(oc -> Divergence.diverged(oc.result()));
    return allDiverged ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /**
   * The finding kinds and severities of a variant, e.g. {@code VANISHING (warning)}, after how it
   * diverged when it did (which the monitor, measuring every k-th step, may not have seen).
   */
  static String findings(Outcome oc) {
    String f = findings(oc.diagnosis());
    if (!Divergence.diverged(oc.result())) {
      return f;
    }
    String how = oc.divergence().headline(oc.result());
    return oc.diagnosis().findings().isEmpty() ? how : how + "; " + f;
  }

  /** The finding kinds and severities of {@code d}, e.g. {@code VANISHING (warning)}. */
  static String findings(Diagnosis d) {
    if (d.findings().isEmpty()) {
      return "healthy";
    }
    List<String> parts = new ArrayList<>();
    for (Finding f : d.findings()) {
      parts.add(f.type() + " (" + f.severity().name().toLowerCase(Locale.ROOT) + ")");
    }
    return String.join(", ", parts);
  }
}
