package org.gradguard.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.health.StepOutcome;

/**
 * The JSON form of the training records, one object per {@code metrics.jsonl} line: a {@code type}
 * and the record's components under their own names. Every line has a {@code step} (the index of
 * the latest step it covers), which is how a resume drops the lines of steps it will redo. See
 * {@code docs/run-directory.md}.
 */
final class MetricsJson {
  static final String STEP = "step";
  static final String EPOCH = "epoch";
  static final String VALIDATION = "validation";
  static final String CHECKPOINT = "checkpoint";
  static final String EVENT = "event";
  static final String GUARD = "guard";

  private MetricsJson() {}

  static Map<String, Object> of(StepRecord r) {
    Map<String, Object> m = head(STEP, r.step());
    m.put("epoch", r.epoch());
    m.put("batch", r.batch());
    m.put("examples", r.examples());
    m.put("loss", JsonFields.number(r.loss()));
    m.put("lr", JsonFields.number(r.lr()));
    m.put("gradNorm", JsonFields.number(r.gradNorm()));
    m.put("preClipNorm", JsonFields.number(r.preClipNorm()));
    m.put("status", r.status().name());
    m.put("seconds", r.seconds());
    return m;
  }

  static Map<String, Object> of(EpochRecord r) {
    Map<String, Object> m = head(EPOCH, r.step());
    m.put("epoch", r.epoch());
    m.put("trainLoss", JsonFields.number(r.trainLoss()));
    m.put("batches", r.batches());
    m.put("seconds", r.seconds());
    return m;
  }

  static Map<String, Object> of(ValidationRecord r) {
    Map<String, Object> m = head(VALIDATION, r.step());
    m.put("epoch", r.epoch());
    m.put("loss", JsonFields.number(r.loss()));
    m.put("accuracy", JsonFields.number(r.accuracy()));
    m.put("examples", r.examples());
    m.put("seconds", r.seconds());
    return m;
  }

  static Map<String, Object> of(CheckpointRecord r) {
    Map<String, Object> m = head(CHECKPOINT, r.stepsCompleted() - 1);
    m.put("stepsCompleted", r.stepsCompleted());
    m.put("epoch", r.epoch());
    m.put("batch", r.batch());
    m.put("reason", r.reason());
    m.put("tensors", r.tensors().getFileName().toString());
    m.put("metadata", r.metadata().getFileName().toString());
    m.put("bytes", r.bytes());
    m.put("seconds", r.seconds());
    return m;
  }

  private static Map<String, Object> head(String type, long step) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("step", step);
    return m;
  }

  static StepRecord step(JsonFields f) {
    return new StepRecord(
        f.getLong("step"),
        f.getInt("epoch"),
        f.getInt("batch"),
        f.getInt("examples"),
        f.getDouble("loss"),
        f.getDouble("lr"),
        f.getDouble("gradNorm"),
        f.getDouble("preClipNorm"),
        status(f),
        f.getDouble("seconds"));
  }

  private static StepOutcome.Status status(JsonFields f) {
    String s = f.getString("status");
    try {
      return StepOutcome.Status.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw f.error(
          "status",
          "must be one of " + Arrays.toString(StepOutcome.Status.values()) + ", got \"" + s + "\"");
    }
  }

  static EpochRecord epoch(JsonFields f) {
    return new EpochRecord(
        f.getInt("epoch"),
        f.getLong("step"),
        f.getDouble("trainLoss"),
        f.getInt("batches"),
        f.getDouble("seconds"));
  }

  static ValidationRecord validation(JsonFields f) {
    return new ValidationRecord(
        f.getInt("epoch"),
        f.getLong("step"),
        f.getDouble("loss"),
        f.getDouble("accuracy"),
        f.getInt("examples"),
        f.getDouble("seconds"));
  }

  /** A checkpoint record; its paths are resolved in {@code checkpointDir}. */
  static CheckpointRecord checkpoint(JsonFields f, Path checkpointDir) {
    return new CheckpointRecord(
        f.getLong("stepsCompleted"),
        f.getInt("epoch"),
        f.getInt("batch"),
        f.getString("reason"),
        checkpointDir.resolve(f.getString("tensors")),
        checkpointDir.resolve(f.getString("metadata")),
        f.getLong("bytes"),
        f.getDouble("seconds"));
  }
}
