package org.gradguard.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.gradguard.health.GuardAction;
import org.gradguard.health.HealthEvent;

/**
 * A listener that appends every record to a JSON Lines file (a run directory's {@code
 * metrics.jsonl}): one line per step, epoch, validation and checkpoint, and one per health event
 * and guard action, each flushed as it is written. The line format is documented in {@code
 * docs/run-directory.md}; {@link RunDirectory} reads it back.
 */
public final class MetricsWriter implements TrainingListener, AutoCloseable {
  private final JsonLines out;
  private final Path file;

  /**
   * Opens {@code file} for appending (creating it).
   *
   * @throws UncheckedIOException when it cannot be opened
   */
  public MetricsWriter(Path file) {
    this.file = file;
    try {
      this.out = JsonLines.append(file);
    } catch (IOException e) {
      throw new UncheckedIOException("MetricsWriter: cannot open " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void onStep(StepRecord step) {
    out.write(MetricsJson.of(step));
  }

  @Override
  public void onEpoch(EpochRecord epoch) {
    out.write(MetricsJson.of(epoch));
  }

  @Override
  public void onValidation(ValidationRecord validation) {
    out.write(MetricsJson.of(validation));
  }

  @Override
  public void onCheckpoint(CheckpointRecord checkpoint) {
    out.write(MetricsJson.of(checkpoint));
  }

  @Override
  public void onEvent(HealthEvent event) {
    out.write(HealthJson.event(event));
  }

  @Override
  public void onAction(GuardAction action) {
    out.write(HealthJson.action(action));
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
