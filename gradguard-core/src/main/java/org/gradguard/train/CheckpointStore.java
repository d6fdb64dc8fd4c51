package org.gradguard.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.gradguard.data.DataLoader;
import org.gradguard.health.DetectorState;
import org.gradguard.health.HealthLog;
import org.gradguard.health.RollbackState;
import org.gradguard.optim.StateSnapshot;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.AtomicFile;
import org.gradguard.tensor.io.Json;
import org.gradguard.tensor.io.Safetensors;
import org.gradguard.tensor.io.SafetensorsFile;

/**
 * A directory of checkpoints, written so that a crash at any moment leaves the last complete one
 * loadable.
 *
 * <p>Checkpoint {@code n} ({@link Checkpoint#stepsCompleted()}) is two files: {@code
 * ckpt-n.safetensors} (every tensor: {@code model/<state-dict name>} and {@code optim/<state key>})
 * and {@code ckpt-n.json} (everything else, plus the tensor file's size and CRC-32 and the names it
 * must hold). The file {@code latest} names the current checkpoint ({@code ckpt-n}). {@link #write}
 * writes, in this order, each through {@link AtomicFile} (temporary file, flush to disk, atomic
 * rename): the tensors, the JSON, then {@code latest}; only then are older checkpoints deleted,
 * keeping the new one and the one {@code latest} named before. Whatever moment a crash hits, {@code
 * latest} names a complete pair. {@link #readLatest()} and {@link #read(Path)} check everything
 * (format, types, the tensor file's size, CRC-32 and names) and name the file and key of any
 * problem.
 *
 * <p>Not thread-safe: one trainer writes a store.
 */
public final class CheckpointStore {
  /** The pointer file's name. */
  public static final String LATEST = "latest";

  /** The {@code format} value of a checkpoint's JSON. */
  public static final String FORMAT = "gradguard-checkpoint";

  /** The {@code formatVersion} this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The largest checkpoint JSON read, in bytes. */
  static final long MAX_JSON_BYTES = 64L << 20;

  /** The tensor-name prefixes of the roll-back snapshot's parameters, buffers and chain state. */
  private static final String ROLLBACK_MODEL = "rollback/model/";

  private static final String ROLLBACK_OPTIM = "rollback/optim/";

  /** Early stopping's copy of the best epoch's model in the tensor file. */
  private static final String BEST_MODEL = "best/model/";

  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{1,18})");
  private static final Pattern FILE =
      Pattern.compile("\\.?ckpt-\\d{1,18}\\.(safetensors|json)(\\..*\\.tmp)?");

  /** A test hook: wraps the stream each file of a checkpoint is written through. */
  @FunctionalInterface
  interface WriteHook {
    OutputStream wrap(String fileName, OutputStream out) throws IOException;
  }

  private final Path dir;
  private final WriteHook hook;

  private CheckpointStore(Path dir, WriteHook hook) {
    if (dir == null) {
      throw new IllegalArgumentException("CheckpointStore: dir must not be null");
    }
    this.dir = dir;
    this.hook = hook;
  }

  /** The store in {@code dir} (created on the first write). */
  public static CheckpointStore at(Path dir) {
    return new CheckpointStore(dir, (name, out) -> out);
  }

  /** A store whose writes go through {@code hook}, for tests that break a write midway. */
  static CheckpointStore at(Path dir, WriteHook hook) {
    return new CheckpointStore(dir, hook);
  }

  public Path dir() {
    return dir;
  }

  /** The base name of checkpoint {@code stepsCompleted}: {@code ckpt-<stepsCompleted>}. */
  public static String name(long stepsCompleted) {
    return "ckpt-" + stepsCompleted;
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes {@code c} as checkpoint {@code c.stepsCompleted()}, points {@code latest} at it, then
   * deletes all others except the previous latest, and leftover temporary files. Not modified:
   * {@code c}.
   *
   * @param reason recorded in the returned record ({@code "interval"}, {@code "epoch"}, …)
   * @throws IllegalStateException if this checkpoint is already the latest (rewriting it in place
   *     could leave a mismatched pair)
   * @throws IOException when a file cannot be written; {@code latest} still names the previous
   *     complete checkpoint
   */
  public CheckpointRecord write(Checkpoint c, String reason) throws IOException {
    long t0 = System.nanoTime();
    String name = name(c.stepsCompleted());
    Optional<String> previous = latestName();
    if (previous.isPresent() && previous.get().equals(name)) {
      throw new IllegalStateException(
          "CheckpointStore: " + name + " is already the latest checkpoint in " + dir);
    }
    Files.createDirectories(dir);

    Map<String, Tensor> tensors = new LinkedHashMap<>();
    c.model().forEach((k, t) -> tensors.put("model/" + k, t));
    c.optimizer().tensors().forEach((k, t) -> tensors.put("optim/" + k, t));
    RollbackState rb = c.rollback();
    if (rb != null) {
      rb.model().forEach((k, t) -> tensors.put(ROLLBACK_MODEL + k, t));
      rb.chain().tensors().forEach((k, t) -> tensors.put(ROLLBACK_OPTIM + k, t));
    }
    if (c.bestModel() != null) {
      c.bestModel().forEach((k, t) -> tensors.put(BEST_MODEL + k, t));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("stepsCompleted", Long.toString(c.stepsCompleted()));
    meta.put("provenance", Json.write(c.provenance()));

    Path st = dir.resolve(name + ".safetensors");
    CRC32 crc = new CRC32();
    long[] size = new long[1];
    AtomicFile.write(
        st,
        out -> {
          CountingStream counting = new CountingStream(new CheckedOutputStream(out, crc));
          Safetensors.write(hook.wrap(st.getFileName().toString(), counting), tensors, meta);
          size[0] = counting.count;
        });

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("formatVersion", FORMAT_VERSION);
    json.put("stepsCompleted", c.stepsCompleted());
    json.put("optimizerSteps", c.optimizerSteps());
    Map<String, Object> loader = new LinkedHashMap<>();
    loader.put("epoch", c.position().epoch());
    loader.put("batch", c.position().batch());
    json.put("loader", loader);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("file", st.getFileName().toString());
    files.put("bytes", size[0]);
    files.put("crc32", crc.getValue());
    files.put("model", new ArrayList<>(c.model().keySet()));
    files.put("optim", new ArrayList<>(c.optimizer().tensors().keySet()));
    if (rb != null) {
      files.put("rollbackModel", new ArrayList<>(rb.model().keySet()));
      files.put("rollbackOptim", new ArrayList<>(rb.chain().tensors().keySet()));
    }
    if (c.bestModel() != null) {
      files.put("bestModel", new ArrayList<>(c.bestModel().keySet()));
    }
    json.put("tensors", files);
    Map<String, Object> numbers = new LinkedHashMap<>();
    c.optimizer().numbers().forEach((k, v) -> numbers.put(k, JsonFields.number(v)));
    json.put("optimNumbers", numbers);
    Map<String, Object> rngs = new LinkedHashMap<>();
    c.rngs().forEach((k, v) -> rngs.put(k, v.clone()));
    json.put("rngs", rngs);
    if (rb != null) {
      json.put("rollback", rollbackJson(rb));
    }
    List<Object> detectors = new ArrayList<>();
    for (DetectorState d : c.detectors()) {
      Map<String, Object> values = new LinkedHashMap<>();
      d.values()
          .forEach(
              (k, v) -> {
                List<Object> array = new ArrayList<>(v.length);
                for (double x : v) {
                  array.add(JsonFields.number(x));
                }
                values.put(k, array);
              });
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("detector", d.detector());
      entry.put("values", values);
      detectors.add(entry);
    }
    json.put("detectors", detectors);
    if (c.healthLog() != null) {
      json.put("healthLog", HealthLogJson.write(c.healthLog()));
    }
    json.put("trainer", c.trainer());
    json.put("provenance", c.provenance());
    byte[] jsonBytes = (Json.writePretty(json) + "\n").getBytes(StandardCharsets.UTF_8);
    Path js = dir.resolve(name + ".json");
    AtomicFile.write(js, out -> hook.wrap(js.getFileName().toString(), out).write(jsonBytes));

    byte[] pointer = (name + "\n").getBytes(StandardCharsets.UTF_8);
    AtomicFile.write(dir.resolve(LATEST), out -> hook.wrap(LATEST, out).write(pointer));

    prune(name, previous.orElse(null));
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new CheckpointRecord(
        c.stepsCompleted(),
        c.position().epoch(),
        c.position().batch(),
        reason,
        st,
        js,
        size[0] + jsonBytes.length,
        seconds);
  }

  /** Deletes checkpoint files other than {@code keep} and {@code previous}, and temporaries. */
  private void prune(String keep, String previous) throws IOException {
    List<Path> doomed = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        boolean temp = f.startsWith(".") && f.endsWith(".tmp");
        if (temp && (f.startsWith("." + LATEST + ".") || FILE.matcher(f).matches())) {
          doomed.add(p);
        } else if (!temp && FILE.matcher(f).matches()) {
          String base = f.substring(0, f.lastIndexOf('.'));
          if (!base.equals(keep) && !base.equals(previous)) {
            doomed.add(p);
          }
        }
      }
    }
    for (Path p : doomed) {
      Files.deleteIfExists(p);
    }
  }

  // ------------------------------------------------------------------ reading

  /** The name {@code latest} points to ({@code ckpt-n}), or empty when there is no pointer. */
  public Optional<String> latestName() throws IOException {
    Path p = dir.resolve(LATEST);
    String text;
    try {
      if (Files.size(p) > 64) {
        throw new IllegalArgumentException(p + ": not a checkpoint pointer (over 64 bytes)");
      }
      text = Files.readString(p, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!NAME.matcher(text).matches()) {
      throw new IllegalArgumentException(
          p + ": expected a checkpoint name like ckpt-120, got '" + text + "'");
    }
    return Optional.of(text);
  }

  /** The JSON file of the latest checkpoint, or empty when there is none. */
  public Optional<Path> latest() throws IOException {
    return latestName().map(n -> dir.resolve(n + ".json"));
  }

  /** The checkpoints present (by their JSON files), oldest first. */
  public List<Path> list() throws IOException {
    TreeSet<Long> steps = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "ckpt-*.json")) {
        for (Path p : ds) {
          String f = p.getFileName().toString();
          Matcher m = NAME.matcher(f.substring(0, f.length() - ".json".length()));
          if (m.matches()) {
            steps.add(Long.parseLong(m.group(1)));
          }
        }
      }
    }
    List<Path> out = new ArrayList<>();
    for (long s : steps) {
      out.add(dir.resolve(name(s) + ".json"));
    }
    return out;
  }

  /**
   * Reads the latest checkpoint.
   *
   * @throws IllegalArgumentException when there is none (the message lists what the directory
   *     holds) or it is malformed (naming the file and key, and the other checkpoints present)
   */
  public Checkpoint readLatest() throws IOException {
    Optional<Path> p = latest();
    if (p.isEmpty()) {
      throw new IllegalArgumentException(
          dir
              + ": no checkpoint to resume from (no '"
              + LATEST
              + "' pointer; checkpoint files present: "
              + list()
              + ")");
    }
    try {
      return read(p.get());
    } catch (IllegalArgumentException e) {
      List<Path> others = list();
      others.remove(p.get());
      throw new IllegalArgumentException(
          e.getMessage()
              + (others.isEmpty()
                  ? ""
                  : "\nOther checkpoints here, which may be loadable: " + others),
          e);
    }
  }

  /**
   * Reads the checkpoint whose JSON file is {@code json}; the tensor file is the one it names, in
   * the same directory.
   *
   * @throws IllegalArgumentException naming the file and key of anything malformed or inconsistent
   */
  public static Checkpoint read(Path json) throws IOException {
    String src = json.toString();
    JsonFields f = new JsonFields(src, Json.readObject(json, MAX_JSON_BYTES));
    if (!FORMAT.equals(f.getString("format"))) {
      throw f.error("format", "must be \"" + FORMAT + "\", got \"" + f.getString("format") + "\"");
    }
    long version = f.getLong("formatVersion");
    if (version != FORMAT_VERSION) {
      throw f.error(
          "formatVersion", "is " + version + "; this GradGuard reads version " + FORMAT_VERSION);
    }
    long steps = f.getNonNegativeLong("stepsCompleted");
    long optSteps = f.getNonNegativeLong("optimizerSteps");
    if (optSteps > steps) {
      throw f.error("optimizerSteps", "is " + optSteps + ", more than stepsCompleted " + steps);
    }
    JsonFields loader = f.getObject("loader");
    DataLoader.Position pos =
        new DataLoader.Position(
            loader.getNonNegativeInt("epoch"), loader.getNonNegativeInt("batch"));

    JsonFields files = f.getObject("tensors");
    String file = files.getString("file");
    if (!file.equals(json.getFileName().toString().replaceFirst("\\.json$", ".safetensors"))) {
      throw files.error("file", "must name this checkpoint's tensor file, got '" + file + "'");
    }
    Path st = json.resolveSibling(file);
    long bytes = files.getNonNegativeLong("bytes");
    long crc = files.getNonNegativeLong("crc32");
    if (!Files.isRegularFile(st)) {
      throw files.error("file", "names " + st + ", which does not exist");
    }
    long actualSize = Files.size(st);
    if (actualSize != bytes) {
      throw files.error(
          "bytes", "is " + bytes + " but " + st + " has " + actualSize + " bytes (incomplete?)");
    }
    long actualCrc = crc32(st);
    if (actualCrc != crc) {
      throw files.error("crc32", "is " + crc + " but " + st + " has CRC-32 " + actualCrc);
    }
    List<String> modelNames = files.getStringList("model");
    List<String> optimNames = files.getStringList("optim");
    boolean hasRollback = f.has("rollback");
    for (String list : List.of("rollbackModel", "rollbackOptim")) {
      if (hasRollback != files.has(list)) {
        throw files.error(
            list,
            hasRollback
                ? "is missing (the checkpoint has 'rollback')"
                : "is present without 'rollback'");
      }
    }
    List<String> rbModelNames = hasRollback ? files.getStringList("rollbackModel") : List.of();
    List<String> rbOptimNames = hasRollback ? files.getStringList("rollbackOptim") : List.of();
    boolean hasBest = files.has("bestModel");
    List<String> bestNames = hasBest ? files.getStringList("bestModel") : List.of();
    SafetensorsFile sf = Safetensors.read(st);
    List<String> expected = new ArrayList<>();
    modelNames.forEach(n -> expected.add("model/" + n));
    optimNames.forEach(n -> expected.add("optim/" + n));
    rbModelNames.forEach(n -> expected.add(ROLLBACK_MODEL + n));
    rbOptimNames.forEach(n -> expected.add(ROLLBACK_OPTIM + n));
    bestNames.forEach(n -> expected.add(BEST_MODEL + n));
    if (!new ArrayList<>(sf.tensors().keySet()).equals(expected)) {
      throw files.error(
          "model",
          "and the other name lists of 'tensors' do not match the tensors in "
              + st
              + ": expected "
              + expected
              + ", file has "
              + sf.tensors().keySet());
    }
    Map<String, Tensor> model = new LinkedHashMap<>();
    modelNames.forEach(n -> model.put(n, sf.tensor("model/" + n)));
    Map<String, Tensor> optimTensors = new LinkedHashMap<>();
    optimNames.forEach(n -> optimTensors.put(n, sf.tensor("optim/" + n)));
    StateSnapshot optim = new StateSnapshot(optimTensors, f.getNumberMap("optimNumbers"));

    Map<String, long[]> rngs = rngWords(f.getObject("rngs"));
    RollbackState rollback = null;
    if (hasRollback) {
      Map<String, Tensor> rbModel = new LinkedHashMap<>();
      rbModelNames.forEach(n -> rbModel.put(n, sf.tensor(ROLLBACK_MODEL + n)));
      Map<String, Tensor> rbOptim = new LinkedHashMap<>();
      rbOptimNames.forEach(n -> rbOptim.put(n, sf.tensor(ROLLBACK_OPTIM + n)));
      rollback = rollbackFrom(f.getObject("rollback"), rbModel, rbOptim);
    }
    Map<String, Tensor> bestModel = null;
    if (hasBest) {
      bestModel = new LinkedHashMap<>();
      for (String n : bestNames) {
        bestModel.put(n, sf.tensor(BEST_MODEL + n));
      }
    }
    List<DetectorState> detectors = f.has("detectors") ? detectorStates(f) : List.of();
    HealthLog.State healthLog =
        f.has("healthLog") ? HealthLogJson.read(f.getObject("healthLog")) : null;
    Map<String, Object> trainer = f.getObject("trainer").map();
    Map<String, Object> provenance = f.getObject("provenance").map();
    return new Checkpoint(
        steps,
        optSteps,
        pos,
        model,
        optim,
        rollback,
        detectors,
        healthLog,
        bestModel,
        rngs,
        trainer,
        provenance);
  }

  /** The {@code detectors} list: {@code {detector, values: {key: [numbers]}}} each. */
  private static List<DetectorState> detectorStates(JsonFields f) {
    List<DetectorState> out = new ArrayList<>();
    for (JsonFields d : f.getObjectList("detectors")) {
      String name = d.getString("detector");
      if (name.isEmpty()) {
        throw d.error("detector", "must name the detector's class");
      }
      JsonFields values = d.getObject("values");
      Map<String, double[]> v = new LinkedHashMap<>();
      for (String k : values.map().keySet()) {
        v.put(k, values.getDoubleArray(k));
      }
      out.add(new DetectorState(name, v));
    }
    return out;
  }

  /** Random streams' state words by name: four each, not all zero. */
  private static Map<String, long[]> rngWords(JsonFields o) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (String k : o.map().keySet()) {
      long[] w = o.getLongArray(k);
      if (w.length != 4 || (w[0] | w[1] | w[2] | w[3]) == 0) {
        throw o.error(k, "must hold 4 state words, not all zero");
      }
      out.put(k, w);
    }
    return out;
  }

  /** The {@code rollback} object of a checkpoint's JSON (its tensors are in the tensor file). */
  private static Map<String, Object> rollbackJson(RollbackState rb) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshotStep", rb.snapshotStep());
    m.put("lrScale", JsonFields.number(rb.lrScale()));
    m.put("healthySinceSnapshot", rb.healthySinceSnapshot());
    m.put("retries", rb.retries());
    m.put("batchesToSkip", rb.batchesToSkip());
    List<Object> window = new ArrayList<>();
    for (float v : rb.lossWindow()) {
      window.add(JsonFields.number(v));
    }
    m.put("lossWindow", window);
    m.put("lossCount", rb.lossCount());
    m.put("lossNext", rb.lossNext());
    m.put("rngs", rb.rngs());
    Map<String, Object> numbers = new LinkedHashMap<>();
    rb.chain().numbers().forEach((k, v) -> numbers.put(k, JsonFields.number(v)));
    m.put("optimNumbers", numbers);
    return m;
  }

  /** The roll-back state from its JSON object and tensors, naming the key of anything wrong. */
  private static RollbackState rollbackFrom(
      JsonFields r, Map<String, Tensor> model, Map<String, Tensor> optim) {
    double[] window = r.getDoubleArray("lossWindow");
    float[] losses = new float[window.length];
    for (int i = 0; i < window.length; i++) {
      losses[i] = (float) window[i];
    }
    double lrScale = r.getDouble("lrScale");
    if (!(lrScale >= 0 && lrScale <= 1)) {
      throw r.error("lrScale", "must be in [0, 1], got " + lrScale);
    }
    if (losses.length == 0) {
      throw r.error("lossWindow", "must hold at least one entry");
    }
    int count = r.getNonNegativeInt("lossCount");
    if (count > losses.length) {
      throw r.error("lossCount", "is " + count + ", more than the window's " + losses.length);
    }
    int next = r.getNonNegativeInt("lossNext");
    if (next >= losses.length) {
      throw r.error("lossNext", "is " + next + ", must be below the window's " + losses.length);
    }
    return new RollbackState(
        r.getNonNegativeLong("snapshotStep"),
        model,
        new StateSnapshot(optim, r.getNumberMap("optimNumbers")),
        rngWords(r.getObject("rngs")),
        lrScale,
        r.getNonNegativeInt("healthySinceSnapshot"),
        r.getNonNegativeInt("retries"),
        r.getNonNegativeInt("batchesToSkip"),
        losses,
        count,
        next);
  }

  private static long crc32(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
    }
    return crc.getValue();
  }

  /** Counts the bytes written through it. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
