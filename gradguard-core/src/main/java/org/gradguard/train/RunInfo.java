package org.gradguard.train;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run is about to do, handed to {@link TrainingListener#onStart}.
 *
 * @param startStep the index of the first step this call of {@code fit()} runs (0, or the resumed
 *     checkpoint's {@code stepsCompleted})
 * @param startEpoch the epoch of the first batch
 * @param epochs the number of epochs to train, or 0 when only {@code maxSteps} limits the run
 * @param maxSteps the most steps to run in total, or 0 when only {@code epochs} limits it
 * @param batchesPerEpoch the data loader's batches per epoch
 * @param resumedFrom the checkpoint resumed from, or null
 * @param runDirectory the run directory, or null when the run writes no files
 * @param provenance the run's provenance (see {@link Provenance})
 */
public record RunInfo(
    long startStep,
    int startEpoch,
    int epochs,
    long maxSteps,
    int batchesPerEpoch,
    Path resumedFrom,
    Path runDirectory,
    Map<String, Object> provenance) {

  public RunInfo {
    provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
  }

  /** The provenance's {@code resumes[].detectors} when the detectors' state was put back. */
  public static final String DETECTORS_RESTORED = "restored";

  /** The start of {@code resumes[].detectors} when the detectors started afresh; then why. */
  public static final String DETECTORS_AFRESH = "started afresh: ";

  /**
   * For a resumed run whose health detectors could not take the checkpoint's state (other detectors
   * or settings), what the provenance says, e.g. {@code "started afresh: …"}; else null.
   */
  public String detectorsNote() {
    if (resumedFrom == null || !(provenance.get("resumes") instanceof List<?> resumes)) {
      return null;
    }
    if (resumes.isEmpty() || !(resumes.get(resumes.size() - 1) instanceof Map<?, ?> last)) {
      return null;
    }
    return last.get("detectors") instanceof String d && d.startsWith(DETECTORS_AFRESH) ? d : null;
  }

  /**
   * The total number of steps the run will take if nothing stops it early: {@code maxSteps} or
   * {@code epochs × batchesPerEpoch}, whichever is smaller and set.
   */
  public long plannedSteps() {
    long byEpochs = epochs == 0 ? Long.MAX_VALUE : (long) epochs * batchesPerEpoch;
    long bySteps = maxSteps == 0 ? Long.MAX_VALUE : maxSteps;
    return Math.min(byEpochs, bySteps);
  }
}
