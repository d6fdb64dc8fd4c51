package org.gradguard.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gradguard.tensor.io.Json;

/**
 * A run directory, as a {@link Trainer} writes it, and a reader for it (the command-line report
 * reads runs through this class). The layout, documented in {@code docs/run-directory.md}:
 *
 * <pre>
 * provenance.json        version, JDK, OS, threads, seed, config, data, model, start/end, resumes
 * metrics.jsonl          one JSON object per line; "type": step | epoch | validation | checkpoint
 *                        | event | guard
 * health.jsonl           per-layer statistics of each monitored step
 * diagnosis.json         the health diagnosis when fit() ended (schema gradguard.health/1)
 * checkpoints/latest     the name of the latest complete checkpoint, e.g. ckpt-1200
 * checkpoints/ckpt-N.safetensors, ckpt-N.json   the latest and the previous checkpoint
 * </pre>
 *
 * <p>The reader accepts a run that is still being written or was killed: a truncated last line of a
 * JSON Lines file is ignored; any other malformed line is an error naming the file and line.
 */
public final class RunDirectory {
  public static final String PROVENANCE = "provenance.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String HEALTH = "health.jsonl";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String DIAGNOSIS = "diagnosis.json";

  /** The largest {@code provenance.json} read, in bytes. */
  static final long MAX_PROVENANCE_BYTES = 16L << 20;

  /** The largest {@code diagnosis.json} read, in bytes. */
  static final long MAX_DIAGNOSIS_BYTES = 256L << 20;

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** The run directory at {@code dir}, without checking it (for writers). */
  static RunDirectory at(Path dir) {
    return new RunDirectory(dir);
  }

  /**
   * Opens an existing run directory for reading.
   *
   * @throws IllegalArgumentException if {@code dir} is not a directory holding {@value #PROVENANCE}
   */
  public static RunDirectory open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("RunDirectory: " + dir + " is not a directory");
    }
    if (!Files.isRegularFile(dir.resolve(PROVENANCE))) {
      throw new IllegalArgumentException(
          "RunDirectory: " + dir + " has no " + PROVENANCE + "; is it a GradGuard run directory?");
    }
    return new RunDirectory(dir);
  }

  public Path dir() {
    return dir;
  }

  public Path provenanceFile() {
    return dir.resolve(PROVENANCE);
  }

  public Path metricsFile() {
    return dir.resolve(METRICS);
  }

  public Path healthFile() {
    return dir.resolve(HEALTH);
  }

  public Path diagnosisFile() {
    return dir.resolve(DIAGNOSIS);
  }

  public Path checkpointDir() {
    return dir.resolve(CHECKPOINTS);
  }

  /** The store of this run's checkpoints. */
  public CheckpointStore checkpoints() {
    return CheckpointStore.at(checkpointDir());
  }

  /** The parsed {@code provenance.json}. */
  public Map<String, Object> provenance() throws IOException {
    return Json.readObject(provenanceFile(), MAX_PROVENANCE_BYTES);
  }

  /** Every line of {@code metrics.jsonl} as a JSON object, in order (empty if there is no file). */
  public List<Map<String, Object>> metrics() throws IOException {
    Path f = metricsFile();
    return Files.exists(f) ? JsonLines.read(f) : List.of();
  }

  /** Every line of {@code health.jsonl} as a JSON object, in order (empty if there is no file). */
  public List<Map<String, Object>> health() throws IOException {
    Path f = healthFile();
    return Files.exists(f) ? JsonLines.read(f) : List.of();
  }

  /**
   * The parsed {@code diagnosis.json} (the health package's schema {@code gradguard.health/1}), or
   * null when the run has not ended yet.
   */
  public Map<String, Object> diagnosis() throws IOException {
    Path f = diagnosisFile();
    return Files.exists(f) ? Json.readObject(f, MAX_DIAGNOSIS_BYTES) : null;
  }

  /** The {@code step} records, in order. */
  public List<StepRecord> steps() throws IOException {
    return typed(MetricsJson.STEP, MetricsJson::step);
  }

  /** The {@code epoch} records, in order. */
  public List<EpochRecord> epochs() throws IOException {
    return typed(MetricsJson.EPOCH, MetricsJson::epoch);
  }

  /** The {@code validation} records, in order. */
  public List<ValidationRecord> validations() throws IOException {
    return typed(MetricsJson.VALIDATION, MetricsJson::validation);
  }

  /** The {@code checkpoint} records, in order (their files may since have been pruned). */
  public List<CheckpointRecord> checkpointRecords() throws IOException {
    Path cd = checkpointDir();
    return typed(MetricsJson.CHECKPOINT, f -> MetricsJson.checkpoint(f, cd));
  }

  private <T> List<T> typed(String type, Function<JsonFields, T> parse) throws IOException {
    List<T> out = new ArrayList<>();
    List<Map<String, Object>> lines = metrics();
    for (int i = 0; i < lines.size(); i++) {
      Map<String, Object> m = lines.get(i);
      if (type.equals(m.get("type"))) {
        out.add(parse.apply(new JsonFields(metricsFile() + ": record " + (i + 1), m)));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "RunDirectory(" + dir + ")";
  }
}
