package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gradguard.data.DataLoader;
import org.gradguard.health.DetectorState;
import org.gradguard.health.EventType;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;
import org.gradguard.health.HealthLog;
import org.gradguard.health.RollbackState;
import org.gradguard.health.Severity;
import org.gradguard.optim.StateSnapshot;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash-safe checkpoint protocol and the validation of what is read back. */
class CheckpointStoreTest {
  @TempDir Path tmp;

  /** A checkpoint with {@code numel} model floats whose values depend on {@code step}. */
  static Checkpoint sample(long step, int numel) {
    Rng rng = new Rng(step);
    Map<String, Tensor> model = new LinkedHashMap<>();
    model.put("fc.weight", Tensor.randn(rng, numel / 4, 4));
    model.put("bn.running_mean", Tensor.randn(rng, 4));
    Map<String, Tensor> optT = new LinkedHashMap<>();
    optT.put("1/mu.0", Tensor.randn(rng, numel / 4, 4));
    Map<String, Double> optN = new LinkedHashMap<>();
    optN.put("0/last_norm", Double.NaN);
    optN.put("0/threshold", Double.POSITIVE_INFINITY);
    optN.put("1/count", (double) step);
    optN.put("2/lr", 0.1 * Math.PI);
    Map<String, Object> trainer = new LinkedHashMap<>();
    trainer.put("epochLossSum", JsonFields.number(-0.0));
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("seed", 5L);
    prov.put("config", Map.of("lr", 0.1));
    return new Checkpoint(
        step,
        step - 1,
        new DataLoader.Position(2, 3),
        model,
        new StateSnapshot(optT, optN),
        null,
        List.of(),
        null,
        null,
        Map.of("dropout", new Rng(step + 100).state()),
        trainer,
        prov);
  }

  /** {@code c} with a roll-back state whose every field differs from its default. */
  static Checkpoint withRollback(Checkpoint c) {
    Rng rng = new Rng(c.stepsCompleted() + 7);
    Map<String, Tensor> model = new LinkedHashMap<>();
    c.model().forEach((k, t) -> model.put(k, Tensor.randn(rng, t.shape())));
    Map<String, Tensor> optT = new LinkedHashMap<>();
    c.optimizer().tensors().forEach((k, t) -> optT.put(k, Tensor.randn(rng, t.shape())));
    Map<String, Double> optN = new LinkedHashMap<>(c.optimizer().numbers());
    optN.put("2/lr_scale", 0.25);
    RollbackState rb =
        new RollbackState(
            c.stepsCompleted() - 3,
            model,
            new StateSnapshot(optT, optN),
            Map.of("dropout", new Rng(99).state()),
            0.25,
            2,
            1,
            1,
            new float[] {0.1f, 2.5f, -0f, 0},
            3,
            3);
    return new Checkpoint(
        c.stepsCompleted(),
        c.optimizerSteps(),
        c.position(),
        c.model(),
        c.optimizer(),
        rb,
        List.of(
            new DetectorState("NonFiniteDetector", Map.of()),
            new DetectorState(
                "ExplodingDetector",
                Map.of(
                    "window/values",
                    new double[] {0.1, Double.NaN, 3e-300},
                    "sustained/depth",
                    new double[] {2}))),
        sampleLog(c.stepsCompleted()),
        c.bestModel(),
        c.rngs(),
        c.trainer(),
        c.provenance());
  }

  /** A health log's state with a summary, events (one number NaN) and actions. */
  static HealthLog.State sampleLog(long step) {
    HealthEvent e1 =
        new HealthEvent(
            EventType.EXPLODING,
            "spike",
            Severity.WARNING,
            2,
            List.of(),
            "norm 1e3",
            Map.of("z", 7.5));
    HealthEvent e2 =
        new HealthEvent(
            EventType.EXPLODING,
            "spike",
            Severity.CRITICAL,
            step - 1,
            List.of("fc"),
            "norm 1e9",
            Map.of("z", Double.NaN));
    GuardAction a =
        new GuardAction(step - 1, "rollback", GuardAction.Action.ROLLBACK, "spike", Map.of());
    return new HealthLog.State(
        step,
        0,
        step - 1,
        Map.of(GuardAction.Action.ROLLBACK, 1L),
        List.of(
            new HealthLog.EventSummary(
                EventType.EXPLODING,
                "spike",
                2,
                2,
                step - 1,
                Severity.CRITICAL,
                List.of("fc"),
                e1,
                e2)),
        List.of(e1, e2),
        List.of(a));
  }

  static void assertSame(Checkpoint expected, Checkpoint actual) {
    assertEquals(expected.stepsCompleted(), actual.stepsCompleted());
    assertEquals(expected.optimizerSteps(), actual.optimizerSteps());
    assertEquals(expected.position(), actual.position());
    assertEquals(expected.model().keySet(), actual.model().keySet());
    expected.model().forEach((k, t) -> assertTrue(t.bitEquals(actual.model().get(k)), k));
    assertEquals(expected.optimizer().tensors().keySet(), actual.optimizer().tensors().keySet());
    expected
        .optimizer()
        .tensors()
        .forEach((k, t) -> assertTrue(t.bitEquals(actual.optimizer().tensors().get(k)), k));
    assertEquals(expected.optimizer().numbers().keySet(), actual.optimizer().numbers().keySet());
    expected
        .optimizer()
        .numbers()
        .forEach(
            (k, v) ->
                assertEquals(
                    Double.doubleToLongBits(v),
                    Double.doubleToLongBits(actual.optimizer().numbers().get(k)),
                    k));
    assertEquals(expected.rngs().keySet(), actual.rngs().keySet());
    expected.rngs().forEach((k, v) -> assertArrayEquals(v, actual.rngs().get(k)));
    assertEquals(expected.detectors().size(), actual.detectors().size());
    for (int i = 0; i < expected.detectors().size(); i++) {
      DetectorState e = expected.detectors().get(i);
      DetectorState g = actual.detectors().get(i);
      assertEquals(e.detector(), g.detector());
      assertEquals(e.values().keySet(), g.values().keySet());
      e.values().forEach((k, v) -> assertArrayEquals(v, g.values().get(k), e.detector() + " " + k));
    }
    assertEquals(expected.healthLog() == null, actual.healthLog() == null, "health log present");
    if (expected.healthLog() != null) {
      assertEquals(
          HealthLogJson.write(expected.healthLog()), HealthLogJson.write(actual.healthLog()));
    }
    assertEquals(expected.bestModel() == null, actual.bestModel() == null, "best model present");
    if (expected.bestModel() != null) {
      assertEquals(expected.bestModel().keySet(), actual.bestModel().keySet());
      expected
          .bestModel()
          .forEach((k, t) -> assertTrue(t.bitEquals(actual.bestModel().get(k)), "best " + k));
    }
    RollbackState a = expected.rollback();
    RollbackState b = actual.rollback();
    assertEquals(a == null, b == null, "roll-back state present");
    if (a != null) {
      assertEquals(a.snapshotStep(), b.snapshotStep());
      assertEquals(a.model().keySet(), b.model().keySet());
      a.model().forEach((k, t) -> assertTrue(t.bitEquals(b.model().get(k)), "rollback " + k));
      assertEquals(a.chain().tensors().keySet(), b.chain().tensors().keySet());
      a.chain()
          .tensors()
          .forEach((k, t) -> assertTrue(t.bitEquals(b.chain().tensors().get(k)), "rollback " + k));
      assertEquals(a.chain().numbers(), b.chain().numbers());
      assertEquals(a.rngs().keySet(), b.rngs().keySet());
      a.rngs().forEach((k, w) -> assertArrayEquals(w, b.rngs().get(k), "rollback rng " + k));
      assertEquals(a.lrScale(), b.lrScale(), 0.0);
      assertEquals(a.healthySinceSnapshot(), b.healthySinceSnapshot());
      assertEquals(a.retries(), b.retries());
      assertEquals(a.batchesToSkip(), b.batchesToSkip());
      assertEquals(Arrays.toString(a.lossWindow()), Arrays.toString(b.lossWindow()));
      assertEquals(a.lossCount(), b.lossCount());
      assertEquals(a.lossNext(), b.lossNext());
    }
  }

  @Test
  void aRollbackStateRoundTripsExactlyAndIsChecked() throws IOException {
    CheckpointStore store = CheckpointStore.at(tmp);
    Checkpoint c = withRollback(sample(9, 32));
    store.write(c, "interval");
    assertSame(c, store.readLatest());
    Path json = tmp.resolve("ckpt-9.json");
    String original = Files.readString(json);
    assertTrue(original.contains("\"rollbackModel\""), original);
    Files.writeString(json, original.replace("\"lossCount\": 3", "\"lossCount\": 5"));
    assertMessage(json, "'rollback.lossCount' is 5, more than the window's 4");
    Files.writeString(json, original.replace("\"lrScale\": 0.25", "\"lrScale\": 2.0"));
    assertMessage(json, "'rollback.lrScale' must be in [0, 1], got 2.0");
    Files.writeString(json, original.replace("\"lossWindow\": [", "\"lossWindow\": [\"x\","));
    assertMessage(json, "'rollback.lossWindow[0]' must be a number, got a string");
    Files.writeString(json, original.replaceFirst("\"rollback\": \\{", "\"rollbackGone\": {"));
    assertMessage(json, "'tensors.rollbackModel' is present without 'rollback'");
    Files.writeString(json, original.replace("\"worst\": \"CRITICAL\"", "\"worst\": \"DIRE\""));
    assertMessage(json, "'healthLog.summaries.0.worst' is 'DIRE', not a Severity");
    Files.writeString(json, original.replace("\"detectors\": [", "\"detectors\": [7,"));
    assertMessage(json, "'detectors' element 0 must be an object, got an integer");
  }

  @Test
  void earlyStoppingsBestModelRoundTripsExactlyAndIsChecked() throws IOException {
    CheckpointStore store = CheckpointStore.at(tmp);
    Checkpoint c = sample(11, 32);
    Rng rng = new Rng(3);
    Map<String, Tensor> best = new LinkedHashMap<>();
    c.model().forEach((k, t) -> best.put(k, Tensor.randn(rng, t.shape())));
    Checkpoint withBest =
        new Checkpoint(
            c.stepsCompleted(),
            c.optimizerSteps(),
            c.position(),
            c.model(),
            c.optimizer(),
            c.rollback(),
            c.detectors(),
            c.healthLog(),
            best,
            c.rngs(),
            c.trainer(),
            c.provenance());
    store.write(withBest, "epoch");
    Checkpoint back = store.readLatest();
    assertSame(withBest, back);
    assertTrue(back.bestModel() != null && !back.bestModel().isEmpty());
    Path json = tmp.resolve("ckpt-11.json");
    String original = Files.readString(json);
    assertTrue(original.contains("\"bestModel\""), original);
    Files.writeString(json, original.replace("\"bestModel\"", "\"bestModels\""));
    assertMessage(json, "do not match the tensors");
  }

  @Test
  void roundTripIsExactIncludingNonFiniteNumbers() throws IOException {
    CheckpointStore store = CheckpointStore.at(tmp);
    Checkpoint c = sample(12, 64);
    CheckpointRecord rec = store.write(c, "epoch");
    assertEquals(tmp.resolve("ckpt-12.safetensors"), rec.tensors());
    assertEquals(tmp.resolve("ckpt-12.json"), rec.metadata());
    assertEquals("ckpt-12", store.latestName().orElseThrow());
    Checkpoint back = store.readLatest();
    assertSame(c, back);
    assertEquals(-0.0, new JsonFields("t", back.trainer()).getDouble("epochLossSum"));
    assertEquals(5L, back.provenance().get("seed"));
  }

  @Test
  void keepsTheLatestAndThePreviousOnly() throws IOException {
    CheckpointStore store = CheckpointStore.at(tmp);
    for (long s = 1; s <= 4; s++) {
      store.write(sample(s, 16), "interval");
    }
    assertEquals(List.of(tmp.resolve("ckpt-3.json"), tmp.resolve("ckpt-4.json")), store.list());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(5, files.count()); // two pairs and the pointer
    }
    assertThrows(IllegalStateException.class, () -> store.write(sample(4, 16), "final"));
  }

  /** Throws once {@code limit} bytes have gone through: a writer dying midway. */
  static final class DieAfter extends FilterOutputStream {
    private long left;

    DieAfter(OutputStream out, long limit) {
      super(out);
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) {
        out.write(b, off, (int) left);
        left = 0;
        throw new IOException("injected failure midway through the write");
      }
      out.write(b, off, len);
      left -= len;
    }
  }

  @Test
  void aWriterThatDiesMidwayLeavesThePreviousCheckpointIntactAndLoadable() throws IOException {
    Checkpoint good = sample(10, 4096);
    CheckpointStore.at(tmp).write(good, "interval");
    Map<String, Long> cutAt = new LinkedHashMap<>();
    cutAt.put("ckpt-20.safetensors", 20_000L); // mid-way through the tensor data
    cutAt.put("ckpt-20.json", 200L);
    cutAt.put("latest", 4L);
    for (String target : cutAt.keySet()) {
      CheckpointStore dying =
          CheckpointStore.at(
              tmp, (name, out) -> name.equals(target) ? new DieAfter(out, cutAt.get(target)) : out);
      IOException e = assertThrows(IOException.class, () -> dying.write(sample(20, 4096), "x"));
      assertTrue(e.getMessage().contains("injected"), e.getMessage());
      CheckpointStore store = CheckpointStore.at(tmp);
      assertEquals("ckpt-10", store.latestName().orElseThrow(), "after dying in " + target);
      assertSame(good, store.readLatest());
      try (Stream<Path> files = Files.list(tmp)) {
        assertFalse(
            files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary left");
      }
    }
    // A later successful write replaces the debris and keeps ckpt-10 as the previous.
    CheckpointStore.at(tmp).write(sample(30, 4096), "interval");
    assertEquals(
        List.of(tmp.resolve("ckpt-10.json"), tmp.resolve("ckpt-30.json")),
        CheckpointStore.at(tmp).list());
  }

  /** Run in a child JVM: writes ckpt-1, then starts ckpt-2 and stalls halfway, to be killed. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    CheckpointStore.at(dir).write(sample(1, 1 << 16), "interval");
    CheckpointStore stalling =
        CheckpointStore.at(
            dir,
            (name, out) ->
                !name.endsWith(".safetensors")
                    ? out
                    : new FilterOutputStream(out) {
                      long written;

                      @Override
                      public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        written += len;
                        if (written > 100_000) {
                          out.flush();
                          System.out.println("MIDWAY");
                          System.out.flush();
                          try {
                            Thread.sleep(60_000);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }
                      }
                    });
    stalling.write(sample(2, 1 << 16), "interval");
  }

  @Test
  void aWriterKilledMidwayLeavesThePreviousCheckpointIntactAndLoadable() throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", cp));
    cmd.addAll(List.of(CheckpointStoreTest.class.getName(), tmp.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = r.readLine()) != null && !line.equals("MIDWAY")) {
        seen.append(line).append('\n');
      }
      assertEquals("MIDWAY", line, "child did not reach the middle of the write:\n" + seen);
      p.destroyForcibly(); // SIGKILL: no finally block, no cleanup
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(tmp)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    assertTrue(
        names.stream().anyMatch(n -> n.startsWith(".ckpt-2.safetensors.") && n.endsWith(".tmp")),
        "the killed write left its temporary file: " + names);
    assertFalse(names.contains("ckpt-2.safetensors"), names.toString());
    CheckpointStore store = CheckpointStore.at(tmp);
    assertEquals("ckpt-1", store.latestName().orElseThrow());
    assertSame(sample(1, 1 << 16), store.readLatest());
    store.write(sample(3, 16), "interval"); // cleans up the debris
    try (Stream<Path> files = Files.list(tmp)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
    }
  }

  @Test
  void corruptOrInconsistentFilesAreRejectedNamingTheFileAndKey() throws IOException {
    CheckpointStore store = CheckpointStore.at(tmp);
    store.write(sample(7, 64), "interval");
    Path json = tmp.resolve("ckpt-7.json");
    Path st = tmp.resolve("ckpt-7.safetensors");
    String original = Files.readString(json);

    byte[] bytes = Files.readAllBytes(st);
    bytes[bytes.length - 3] ^= 1;
    Files.write(st, bytes);
    assertMessage(json, "'tensors.crc32'", "ckpt-7.json");
    bytes[bytes.length - 3] ^= 1;
    Files.write(st, Arrays.copyOf(bytes, bytes.length - 4));
    assertMessage(json, "'tensors.bytes'", "incomplete");
    Files.write(st, bytes);
    assertSame(sample(7, 64), CheckpointStore.read(json));

    Files.writeString(json, original.replace("\"stepsCompleted\": 7", "\"stepsCompleted\": \"7\""));
    assertMessage(json, "'stepsCompleted' must be an integer, got a string");
    Files.writeString(json, original.replace("\"batch\": 3", "\"batch\": -3"));
    assertMessage(json, "'loader.batch' must be >= 0, got -3");
    Files.writeString(json, original.replace("\"1/count\": 7.0", "\"1/count\": \"seven\""));
    assertMessage(json, "'optimNumbers.1/count' must be a number, got a string");
    Files.writeString(json, original.replace("\"formatVersion\": 1", "\"formatVersion\": 9"));
    assertMessage(json, "'formatVersion' is 9");
    Files.writeString(json, original.replace("\"fc.weight\",", "\"fc.other\","));
    assertMessage(json, "do not match the tensors");
    Files.writeString(json, original.replace("\"rngs\": {", "\"rngs\": {\"x\": [1, 2],"));
    assertMessage(json, "'rngs.x' must hold 4 state words");
    Files.writeString(json, original.substring(0, original.length() / 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, store::readLatest);
    assertTrue(e.getMessage().contains("ckpt-7.json"), e.getMessage());

    Files.writeString(tmp.resolve("latest"), "../../etc/passwd\n");
    assertThrows(IllegalArgumentException.class, store::latestName);
    Files.delete(tmp.resolve("latest"));
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, store::readLatest);
    assertTrue(none.getMessage().contains("no checkpoint to resume from"), none.getMessage());
  }

  private static void assertMessage(Path json, String... parts) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CheckpointStore.read(json));
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
    assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
  }
}
