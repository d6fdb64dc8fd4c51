package org.gradguard.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.gradguard.config.ExperimentConfig;
import org.gradguard.config.Origin;
import org.gradguard.config.RunConfig;
import org.gradguard.config.RunFactory;
import org.gradguard.config.Variant;

/**
 * Builds the runs of a command (data, model, loss, update chain) and prints the plan of each: what
 * {@code train}, {@code diagnose} (text) and {@code lr-find} show before they start.
 */
final class Plans {
  private Plans() {}

  /** Builds each variant (sharing loaded data) and prints its plan; returns the built runs. */
  static List<RunFactory.BuiltRun> buildAndPrint(
      ExperimentConfig experiment, List<Variant> variants, PrintWriter out) {
    RunFactory.DataCache cache = new RunFactory.DataCache();
    List<RunFactory.BuiltRun> runs = new ArrayList<>();
    for (Variant v : variants) {
      RunFactory.BuiltRun run = RunFactory.build(v.config(), Origin.of(experiment, v), cache);
      runs.add(run);
      print(v, run, out);
    }
    return runs;
  }

  private static void print(Variant v, RunFactory.BuiltRun run, PrintWriter out) {
    RunConfig c = run.config();
    out.println("variant " + v.name() + (v.description().isEmpty() ? "" : " - " + v.description()));
    out.println("  data          " + Describe.data(run));
    out.println("  model         " + Describe.model(c.model(), run.model().parameterCount()));
    out.println(
        "  loss          "
            + c.lossKind().id()
            + (c.loss().labelSmoothing() > 0
                ? " (label_smoothing " + c.loss().labelSmoothing() + ")"
                : ""));
    out.println("  optimizer     " + Describe.named(c.optimizer().name(), (Record) c.optimizer()));
    out.println("  schedule      " + Describe.named(c.schedule().name(), (Record) c.schedule()));
    out.println("  clipping      " + Describe.named(c.clipping().kind(), (Record) c.clipping()));
    if (c.regularization().active()) {
      out.println("  regularization " + Describe.settings(c.regularization()));
    }
    out.println("  guards        " + Describe.settings(c.guards()));
    out.println("  monitor       " + Describe.settings(c.monitor()));
    out.println("  train         " + Describe.train(run));
  }
}
