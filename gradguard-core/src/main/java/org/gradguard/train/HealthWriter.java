package org.gradguard.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.gradguard.health.StepStats;

/**
 * A listener that appends the health monitor's statistics of every monitored step to a JSON Lines
 * file (a run directory's {@code health.jsonl}): the loss, the global gradient norm, and per layer
 * (in depth order) and per activation layer the statistics, with the field names of the health
 * package's diagnosis schema. See {@code docs/run-directory.md}.
 */
public final class HealthWriter implements TrainingListener, AutoCloseable {
  private final JsonLines out;

  /**
   * Opens {@code file} for appending (creating it).
   *
   * @throws UncheckedIOException when it cannot be opened
   */
  public HealthWriter(Path file) {
    try {
      this.out = JsonLines.append(file);
    } catch (IOException e) {
      throw new UncheckedIOException("HealthWriter: cannot open " + file, e);
    }
  }

  @Override
  public void onStats(StepStats stats) {
    out.write(HealthJson.stats(stats));
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
