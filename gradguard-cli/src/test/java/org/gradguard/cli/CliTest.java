package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradguard.config.ConfigLoader;
import org.gradguard.config.ExperimentConfig;
import org.gradguard.train.CheckpointRecord;
import org.gradguard.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path tmp;

  private Path config(String yaml) throws IOException {
    Path p = tmp.resolve("exp.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private static final String SMALL =
      String.join(
          "\n",
          "name: small",
          "data: {name: spirals, n: 60}",
          "model: {type: mlp, depth: 2, width: 8}",
          "optimizer: {name: sgd, lr: 0.1}",
          "train: {epochs: 2, batch_size: 16}",
          "variants:",
          "  baseline: {}",
          "  clip: {clipping: {kind: norm, max_norm: 1.0}}",
          "");

  @Test
  void versionPrintsGradGuardAndJava() {
    CliRun r = CliRun.of("--version");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("gradguard "), r.out());
    assertTrue(r.out().contains("Java " + System.getProperty("java.version")), r.out());
  }

  @Test
  void helpOfEverySubcommandHasExamples() {
    for (String cmd : new String[] {"train", "diagnose", "compare", "lr-find", "report"}) {
      CliRun r = CliRun.of(cmd, "--help");
      assertEquals(0, r.code(), cmd + ": " + r);
      assertTrue(r.out().contains("Examples:"), cmd + ": " + r.out());
      assertTrue(r.out().contains("gradguard " + cmd), cmd + ": " + r.out());
    }
  }

  @Test
  void helpListsEveryExitCode() {
    CliRun r = CliRun.of("--help");
    for (int code :
        new int[] {
          ExitCodes.OK,
          ExitCodes.FAILED,
          ExitCodes.BAD_INPUT,
          ExitCodes.INTERNAL,
          ExitCodes.INTERRUPTED
        }) {
      assertTrue(r.out().contains("\n  " + code + "  "), code + ": " + r.out());
    }
  }

  @Test
  void noArgumentsShowsUsage() {
    CliRun r = CliRun.of();
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Usage: gradguard"), r.out());
  }

  @Test
  void unknownOptionIsBadInput() {
    CliRun r = CliRun.of("train", "x.yaml", "--lr", "3");
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
    assertTrue(
        r.errLines().get(0).startsWith("gradguard: Unknown options: '--lr', '3'"), r.toString());
    assertEquals(2, r.errLines().size(), r.toString());
  }

  @Test
  void missingConfigFileIsBadInput() {
    CliRun r = CliRun.of("train", tmp.resolve("nope.yaml").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err().contains("nope.yaml: file not found"), r.toString());
  }

  @Test
  void trainWritesARunDirectoryAndResumes() throws IOException {
    Path p = config(SMALL);
    Path dir = tmp.resolve("run");
    CliRun r = CliRun.of("train", p.toString(), "--variant", "clip", "--out", dir.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("epoch 2 done"), r.out());
    assertTrue(r.out().contains("run directory: " + dir), r.out());
    assertTrue(Files.exists(dir.resolve("metrics.jsonl")), r.out());
    assertTrue(Files.isDirectory(dir.resolve("checkpoints")), r.out());
    // The single-run report of `gradguard report DIR`, named in the last line.
    Path report = dir.resolve("report.html");
    assertTrue(Files.readString(report).contains("<h2 id=\"summary\">"), r.out());
    assertTrue(r.out().endsWith("report: " + report + System.lineSeparator()), r.out());
    // config.yaml: the variant's merged config, which loads back to the same run.
    ExperimentConfig written =
        ConfigLoader.load(dir.resolve("config.yaml"), "config.yaml", List.of());
    assertEquals(
        ConfigLoader.load(p, p.toString(), List.of()).variant("clip").orElseThrow().config(),
        written.base());
    assertTrue(
        Files.readString(dir.resolve("config.yaml"))
            .startsWith("# The configuration of this run: "),
        Files.readString(dir.resolve("config.yaml")));

    CliRun more =
        CliRun.of(
            "train",
            p.toString(),
            "--variant",
            "clip",
            "--set",
            "train.epochs=3",
            "--resume",
            dir.toString());
    assertEquals(0, more.code(), more.toString());
    assertTrue(more.out().contains("resuming at step 8"), more.out());
    assertTrue(more.out().contains("epoch 3 done"), more.out());
  }

  /** PyTorch's batch order replays from the seed: a resumed run ends as the uninterrupted one. */
  @Test
  void pytorchRandomNumbersResumeToTheSameNumbers() throws IOException {
    Path p =
        config(
            "data: {name: spirals, n: 64}\nmodel: {depth: 2, width: 8}\n"
                + "optimizer: {name: sgd, lr: 0.1}\ntrain: {epochs: 3, batch_size: 16, rng: pytorch}\n");
    CliRun whole = CliRun.of("train", p.toString(), "--out", tmp.resolve("whole").toString());
    assertEquals(0, whole.code(), whole.toString());
    Path part = tmp.resolve("part");
    assertEquals(
        0,
        CliRun.of("train", p.toString(), "--set", "train.epochs=1", "--out", part.toString())
            .code());
    CliRun resumed = CliRun.of("train", p.toString(), "--resume", part.toString());
    assertEquals(0, resumed.code(), resumed.toString());
    String last = lastEpochLine(whole.out());
    assertTrue(last.startsWith("epoch 3 done: train loss "), whole.out());
    assertEquals(last, lastEpochLine(resumed.out()), resumed.out());
  }

  /** The loss part of the last "epoch N done" line (its time varies). */
  private static String lastEpochLine(String out) {
    String found = "";
    for (String line : out.split("\\R")) {
      if (line.startsWith("epoch ") && line.contains(" done: ")) {
        found = line.replaceAll(", [0-9.]+ s\\)$", ")");
      }
    }
    return found;
  }

  /**
   * A run with the roll-back guard resumes with it (its snapshot and counters are in the
   * checkpoint) and ends on the uninterrupted run's numbers. TrainerResumeTest rolls back after a
   * resume.
   */
  @Test
  void aRunWithRollbackResumesWithTheGuard() throws IOException {
    Path p =
        config(
            "data: {name: spirals, n: 60}\nmodel: {depth: 2, width: 8}\n"
                + "guards: {rollback: {every: 5}}\noptimizer: {name: sgd, lr: 0.1}\n"
                + "train: {epochs: 30, batch_size: 30}\n");
    CliRun whole = CliRun.of("train", p.toString(), "--out", tmp.resolve("whole").toString());
    assertEquals(0, whole.code(), whole.toString());
    Path dir = tmp.resolve("rb");
    assertEquals(
        0,
        CliRun.of("train", p.toString(), "--set", "train.epochs=12", "--out", dir.toString())
            .code());
    CliRun resumed = CliRun.of("train", p.toString(), "--resume", dir.toString());
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.out().contains("resuming at step 24"), resumed.out());
    String last = lastEpochLine(whole.out());
    assertTrue(last.startsWith("epoch 30 done: train loss "), whole.out());
    assertEquals(last, lastEpochLine(resumed.out()), resumed.out());
  }

  /** A --set the chosen variant undoes is named, with the override that reaches the variant. */
  @Test
  void aSetThatTheVariantUndoesIsWarnedAboutWithTheWayIn() throws IOException {
    Path p =
        config(
            "data: {name: spirals, n: 60}\nmodel: {depth: 1, width: 8}\n"
                + "train: {steps: 2, batch_size: 30}\n"
                + "variants: {guarded: {guards: {rollback: true}}, plain: {}}\n");
    CliRun undone =
        CliRun.of(
            "train",
            p.toString(),
            "--variant",
            "guarded",
            "--set",
            "guards.rollback.backoff=0.1",
            "--out",
            tmp.resolve("u").toString());
    assertEquals(0, undone.code(), undone.toString());
    assertTrue(
        undone
            .err()
            .contains(
                "warning: --set guards.rollback.backoff=0.1 does not reach variant 'guarded'"),
        undone.err());
    assertTrue(
        undone.err().contains("--set 'variants.guarded.guards.rollback={backoff: 0.1}'"),
        undone.err());
    CliRun reached =
        CliRun.of(
            "train",
            p.toString(),
            "--variant",
            "guarded",
            "--set",
            "variants.guarded.guards.rollback={backoff: 0.1}",
            "--out",
            tmp.resolve("r").toString());
    assertEquals(0, reached.code(), reached.toString());
    assertFalse(reached.err().contains("warning: --set"), reached.err());
    assertTrue(
        Files.readString(tmp.resolve("r/config.yaml")).contains("backoff: 0.1"),
        Files.readString(tmp.resolve("r/config.yaml")));
    // a variant that leaves the key alone inherits the override: no warning
    CliRun inherited =
        CliRun.of(
            "train",
            p.toString(),
            "--variant",
            "plain",
            "--set",
            "optimizer.lr=0.05",
            "--out",
            tmp.resolve("p").toString());
    assertEquals(0, inherited.code(), inherited.toString());
    assertFalse(inherited.err().contains("warning: --set"), inherited.err());
  }

  @Test
  void resumeCommandsRepeatTheOverridesQuotedForTheShell() throws IOException {
    assertEquals(
        "gradguard train c.yaml --variant bn --set train.epochs=2 --set 'optimizer.betas=[0.9, 0.99]'"
            + " --resume 'runs/a b'",
        Runs.resumeCommand(
            "c.yaml",
            "bn",
            List.of("train.epochs=2", "optimizer.betas=[0.9, 0.99]"),
            Path.of("runs/a b")));
    assertEquals("'it'\\''s'", Runs.shellWord("it's"));
    assertEquals("''", Runs.shellWord(""));
  }

  /** Full-batch data: a checkpoint every 100 steps and at the end, not one per step (epoch). */
  @Test
  void earlyStoppingEndsTheRunAndSaysWhy() throws IOException {
    // min_delta above any loss: only the first epoch improves (on +∞), so patience 2 stops the
    // run at the end of epoch 3 of 10
    Path p = config(SMALL.replace("epochs: 2", "epochs: 10"));
    Path dir = tmp.resolve("early");
    CliRun r =
        CliRun.of(
            "train",
            p.toString(),
            "--set",
            "train.early_stopping={patience: 2, min_delta: 1.0e9}",
            "--out",
            dir.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(
        r.out()
            .contains(
                "Early stopping after 12 steps (3 epochs): validation loss did not improve on its"
                    + " best, "),
        r.out());
    assertTrue(r.out().contains(" by more than 1.00e+09, for 2 epochs."), r.out());
    assertEquals(12, RunDirectory.open(dir).checkpointRecords().get(0).stepsCompleted(), r.out());

    CliRun defaults =
        CliRun.of(
            "train", p.toString(), "--set", "train.early_stopping=true", "--set", "train.epochs=2");
    assertEquals(0, defaults.code(), defaults.toString());
    assertTrue(defaults.out().contains("Training completed after 8 steps"), defaults.out());

    CliRun accuracyOnRegression =
        CliRun.of(
            "train",
            p.toString(),
            "--set",
            "data={name: linear-regression, n: 64}",
            "--set",
            "loss=mse",
            "--set",
            "train.early_stopping={monitor: val_accuracy}");
    assertEquals(2, accuracyOnRegression.code(), accuracyOnRegression.toString());
    assertTrue(
        accuracyOnRegression.err().contains("train.early_stopping.monitor: is val_accuracy, but"),
        accuracyOnRegression.err());

    CliRun noValidation =
        CliRun.of(
            "train",
            p.toString(),
            "--set",
            "train.early_stopping=true",
            "--set",
            "data.validation_split=0");
    assertEquals(2, noValidation.code(), noValidation.toString());
    assertTrue(
        noValidation.err().contains("train.early_stopping: needs validation data"),
        noValidation.err());
  }

  /** A CSV text with columns x1, x2 and a two-class label y, and {@code rows} rows. */
  private static String twoFeatureCsv(int rows) {
    StringBuilder b = new StringBuilder("x1,x2,y\n");
    for (int i = 0; i < rows; i++) {
      b.append(i % 7).append(',').append(i % 5).append(',').append(i % 2).append('\n');
    }
    return b.toString();
  }

  @Test
  void earlyStoppingOnATestFileIsWarnedAbout() throws IOException {
    Files.writeString(tmp.resolve("train.csv"), twoFeatureCsv(40));
    Files.writeString(tmp.resolve("test.csv"), twoFeatureCsv(40));
    Path p =
        config(
            String.join(
                "\n",
                "name: csv",
                "data: {name: csv, path: train.csv, test_path: test.csv, label: y}",
                "model: {type: mlp, depth: 1, width: 4}",
                "train: {epochs: 2, batch_size: 8, early_stopping: true}",
                ""));
    CliRun onTest = CliRun.of("train", p.toString(), "--out", tmp.resolve("a").toString());
    assertEquals(0, onTest.code(), onTest.toString());
    assertTrue(
        onTest
            .err()
            .contains(
                "warning: train.early_stopping judges epochs on the validation set, which is"
                    + " data.test_path ("),
        onTest.err());
    assertTrue(
        onTest.err().contains("test.csv): the epoch it stops at is chosen on test data"),
        onTest.err());

    CliRun heldOut =
        CliRun.of(
            "train",
            p.toString(),
            "--set",
            "data.test_path=null",
            "--set",
            "data.validation_split=0.25",
            "--out",
            tmp.resolve("b").toString());
    assertEquals(0, heldOut.code(), heldOut.toString());
    assertFalse(heldOut.err().contains("warning"), heldOut.err());
  }

  @Test
  void aTestFileBesideAValidationSplitIsScoredAfterTraining() throws IOException {
    Files.writeString(tmp.resolve("train.csv"), twoFeatureCsv(60));
    Files.writeString(tmp.resolve("test.csv"), twoFeatureCsv(30));
    Path p =
        config(
            String.join(
                "\n",
                "name: csv-test",
                "data: {name: csv, path: train.csv, test_path: test.csv, label: y,"
                    + " validation_split: 0.25}",
                "model: {type: mlp, depth: 1, width: 4}",
                "train: {epochs: 2, batch_size: 8, early_stopping: true}",
                "variants:",
                "  a: {}",
                "  b: {optimizer: {name: sgd, lr: 0.01}}",
                ""));
    Path dir = tmp.resolve("t");
    CliRun r = CliRun.of("train", p.toString(), "--out", dir.toString());
    assertEquals(0, r.code(), r.toString());
    assertFalse(r.err().contains("warning"), r.err());
    assertTrue(r.out().contains("(15 examples)"), r.out()); // validation: a quarter of 60
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "test after training: loss [0-9.]+  accuracy ([0-9.]+) \\((\\d+) examples\\)")
            .matcher(r.out());
    assertTrue(m.find(), r.out());
    int testRows = Integer.parseInt(m.group(2));
    assertTrue(testRows > 0 && testRows < 60, r.out());
    Map<?, ?> result = (Map<?, ?>) RunDirectory.open(dir).provenance().get("result");
    assertEquals(
        Double.parseDouble(m.group(1)),
        ((Number) ((Map<?, ?>) result.get("test")).get("accuracy")).doubleValue(),
        5e-5);

    Path cmp = tmp.resolve("cmp");
    CliRun c = CliRun.of("compare", p.toString(), "--out", cmp.toString());
    assertEquals(0, c.code(), c.toString());
    String header = c.out().lines().filter(l -> l.startsWith("variant")).findFirst().orElse("");
    assertTrue(header.contains("accuracy  test acc"), c.out());
    assertTrue(Files.readString(cmp.resolve("report.html")).contains("test accuracy"));
  }

  @Test
  void aPlateauScheduleNeedsValidationData() throws IOException {
    Path p = config(SMALL);
    CliRun r =
        CliRun.of(
            "train", p.toString(), "--set", "schedule=plateau", "--set", "data.validation_split=0");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("schedule: plateau needs validation data"), r.err());
  }

  @Test
  void fullBatchTrainingCheckpointsEveryHundredSteps() throws IOException {
    Path p =
        config(
            String.join(
                "\n",
                "name: full-batch",
                "data: {name: linear-regression, n: 200, scales: [1, 10, 100]}",
                "model: {type: mlp, depth: 0}",
                "loss: mse",
                "optimizer: {name: sgd, lr: 1.0e-5}",
                "train: {steps: 250, batch_size: 200, shuffle: false}",
                ""));
    Path dir = tmp.resolve("fb");
    CliRun r = CliRun.of("train", p.toString(), "--out", dir.toString());
    assertEquals(0, r.code(), r.toString());
    List<CheckpointRecord> written = RunDirectory.open(dir).checkpointRecords();
    assertEquals(
        List.of("100 interval", "200 interval", "250 final"),
        written.stream().map(c -> c.stepsCompleted() + " " + c.reason()).toList(),
        r.out());

    CliRun more =
        CliRun.of("train", p.toString(), "--set", "train.steps=260", "--resume", dir.toString());
    assertEquals(0, more.code(), more.toString());
    assertTrue(more.out().contains("resuming at step 250"), more.out());
  }

  @Test
  void trainExitsOneWhenTrainingDiverges() throws IOException {
    Path p =
        config(
            String.join(
                "\n",
                "name: blowup",
                "data: {name: linear-regression, n: 200, scales: [1, 10, 100]}",
                "model: {type: mlp, depth: 0}",
                "loss: mse",
                "optimizer: {name: sgd, lr: 0.01}",
                "guards: {skip_non_finite: 1}",
                "monitor: {every: 1000}",
                "train: {steps: 300, batch_size: 200, shuffle: false}",
                ""));
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream savedErr = System.err;
    CliRun r;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      r = CliRun.of("train", p.toString(), "--out", tmp.resolve("b").toString());
    } finally {
      System.setErr(savedErr);
    }
    assertEquals(ExitCodes.FAILED, r.code(), r.toString());
    // The monitor measured step 0 only; the diagnosis must still say that training diverged.
    assertDivergedDiagnosis(r, "; a guard stopped training at step ");
    // Said once each, on stdout: nothing of it repeated on the JVM's stderr.
    String all = r.out() + r.err() + stderr.toString(StandardCharsets.UTF_8);
    assertEquals(1, count(all, "Training diverged at step "), all);
    assertEquals(1, count(all, "GradGuard diagnosis:"), all);
    assertEquals(1, count(all, "measures every 1000 steps"), all);
    assertFalse(all.contains("Stopped by the guards"), all);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void trainWithoutGuardsExitsOneWhenTheLossEndsNonFinite() throws IOException {
    Path p =
        config(
            String.join(
                "\n",
                "name: blowup-unguarded",
                "data: {name: linear-regression, n: 200, scales: [1, 10, 100]}",
                "model: {type: mlp, depth: 0}",
                "loss: mse",
                "optimizer: {name: sgd, lr: 0.01}",
                "guards: {skip_non_finite: 0}",
                "monitor: {every: 1000}",
                "train: {steps: 60, batch_size: 200, shuffle: false}",
                ""));
    CliRun r = CliRun.of("train", p.toString(), "--out", tmp.resolve("u").toString());
    assertEquals(ExitCodes.FAILED, r.code(), r.toString());
    assertDivergedDiagnosis(r, "; the last finite loss was ");
  }

  /**
   * The diagnosis opens with the divergence (NON_FINITE, the step and the loss), says what to try,
   * and never reads "no problems found".
   */
  private static void assertDivergedDiagnosis(CliRun r, String detail) {
    String out = r.out();
    int at = out.indexOf("GradGuard diagnosis: training diverged (NON_FINITE) at step ");
    assertTrue(at >= 0, out);
    String line = out.substring(at, out.indexOf('\n', at));
    assertTrue(line.matches(".* at step \\d+: loss (NaN|[+-]Inf|\\S+).*"), line);
    assertTrue(line.contains(detail), line);
    assertTrue(out.contains("measures every 1000 steps and did not see the bad step"), out);
    assertTrue(out.contains("Try:"), out);
    assertFalse(out.contains("no problems found"), out);
  }

  @Test
  void setOverridesBeforeValidation() throws IOException {
    Path p = config(SMALL);
    CliRun ok = CliRun.of("diagnose", p.toString(), "--set", "optimizer.lr=0.5");
    assertEquals(0, ok.code(), ok.toString());
    assertTrue(ok.out().contains("sgd (lr 0.5,"), ok.out());

    CliRun bad = CliRun.of("diagnose", p.toString(), "--set", "optimizer.lr=-1");
    assertEquals(ExitCodes.BAD_INPUT, bad.code());
    assertEquals(
        "gradguard: " + p + ": optimizer.lr: must be > 0, got -1 (from --set optimizer.lr=-1)",
        bad.errLines().get(0));

    CliRun malformed = CliRun.of("diagnose", p.toString(), "--set", "optimizer.lr");
    assertEquals(ExitCodes.BAD_INPUT, malformed.code());
    assertTrue(
        malformed.err().startsWith("gradguard: --set: optimizer.lr: expected key.path=value"));
  }

  @Test
  void unknownVariantSuggestsTheClosest() throws IOException {
    Path p = config(SMALL);
    CliRun r = CliRun.of("train", p.toString(), "--variant", "clp");
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(
        r.err().contains("--variant: unknown variant \"clp\"; did you mean 'clip'?"), r.toString());
  }

  @Test
  void compareRunsEveryVariantAndNeedsSome() throws IOException {
    Path p = config(SMALL);
    Path dir = tmp.resolve("cmp");
    CliRun r = CliRun.of("compare", p.toString(), "--out", dir.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("[baseline] epoch 2 done"), r.out());
    assertTrue(r.out().contains("[clip] epoch 2 done"), r.out());
    assertTrue(r.out().contains("grad first/last"), r.out());
    assertTrue(Files.exists(dir.resolve("baseline").resolve("metrics.jsonl")), r.out());
    assertTrue(Files.exists(dir.resolve("clip").resolve("metrics.jsonl")), r.out());
    assertTrue(Files.exists(dir.resolve("clip").resolve("config.yaml")), r.out());
    assertTrue(Files.exists(dir.resolve("report.html")), r.out());

    Path none = config("data: {name: spirals, n: 60}\nmodel: {depth: 1}\n");
    CliRun r2 = CliRun.of("compare", none.toString());
    assertEquals(ExitCodes.BAD_INPUT, r2.code());
    assertTrue(r2.err().contains("variants: compare needs variants"), r2.toString());
  }

  /** `report DIR` lists a comparison's runs in the order compare ran them, not by name. */
  @Test
  void reportOfACompareKeepsItsOrder() throws IOException {
    Path p = config(SMALL);
    Path dir = tmp.resolve("cmp-order");
    CliRun r =
        CliRun.of("compare", p.toString(), "--variants", "clip,baseline", "--out", dir.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().indexOf("\nclip ") < r.out().indexOf("\nbaseline "), r.out());
    CliRun rep = CliRun.of("report", dir.toString(), "--out", tmp.resolve("r.html").toString());
    assertEquals(0, rep.code(), rep.toString());
    int clip = rep.out().indexOf("\nclip ");
    assertTrue(clip > 0 && clip < rep.out().indexOf("\nbaseline "), rep.out());
  }

  @Test
  void failOnRejectsUnknownProblems() throws IOException {
    Path p = config(SMALL);
    assertEquals(0, CliRun.of("diagnose", p.toString(), "--fail-on", "vanishing,exploding").code());
    CliRun r = CliRun.of("diagnose", p.toString(), "--fail-on", "explodng");
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().contains("did you mean 'exploding'?"), r.toString());
  }

  @Test
  void lrFindValidatesItsRange() throws IOException {
    Path p = config(SMALL);
    assertEquals(0, CliRun.of("lr-find", p.toString()).code());
    CliRun r = CliRun.of("lr-find", p.toString(), "--min-lr", "1", "--max-lr", "0.1");
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().contains("--max-lr: must be above --min-lr 1, got 0.1"), r.toString());
  }

  @Test
  void reportNeedsExistingRunDirectories() {
    assertEquals(ExitCodes.BAD_INPUT, CliRun.of("report", tmp.toString()).code());
    CliRun r = CliRun.of("report", tmp.resolve("missing").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().endsWith("missing: run directory not found\n"), r.toString());
  }

  @Test
  void aPlainCommandLineMapsErrorsTheSameWay() throws IOException {
    Path p = config("data: {name: spirals}\nmodel: {depth: 1}\noptimizer: {lr: 0}\n");
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new GradGuardCommand());
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    assertEquals(ExitCodes.BAD_INPUT, cl.execute("diagnose", p.toString()));
    assertEquals("gradguard: " + p + ": optimizer.lr: must be > 0, got 0", err.toString().strip());
  }

  @Test
  void internalErrorsExitWithThreeAndHintAtDebug() {
    StringWriter err = new StringWriter();
    int code =
        Errors.run(
            () -> {
              throw new IllegalStateException("boom");
            },
            new PrintWriter(err),
            false);
    assertEquals(ExitCodes.INTERNAL, code);
    assertEquals(
        "gradguard: internal error: IllegalStateException: boom (rerun with --debug for the stack"
            + " trace)",
        err.toString().strip());
  }
}
