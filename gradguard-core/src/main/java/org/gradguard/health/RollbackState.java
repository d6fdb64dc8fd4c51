package org.gradguard.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.optim.StateSnapshot;
import org.gradguard.tensor.Tensor;

/**
 * The roll-back guard of a {@link TrainingStep} in a form a checkpoint can hold: the last good
 * state it would restore and the guard's own counters. {@link TrainingStep#rollbackState()} takes
 * it, {@link TrainingStep#resumeRollback} puts it back, so that a resumed run rolls back to the
 * same state, at the same learning-rate scale, as the run that was never interrupted.
 *
 * <p>The maps are unmodifiable copies; the tensors are the ones given ({@link
 * TrainingStep#rollbackState()} gives copies).
 *
 * @param snapshotStep the steps completed when the snapshot was taken, counted over the whole run
 *     (steps before a resume included); its roll-back events name this step
 * @param model the snapshot's parameters and buffers by state-dict name
 * @param chain the guarded chain's state in the snapshot ({@link
 *     org.gradguard.optim.TransformState#export()})
 * @param rngs the snapshot's RNG state words (four each), by the names the step knows its RNGs by;
 *     empty when it has none
 * @param lrScale the learning-rate multiplier after the roll-backs so far (1 before any)
 * @param healthySinceSnapshot healthy steps since the snapshot (a new one is taken at {@link
 *     RollbackConfig#every()})
 * @param retries roll-backs since the last snapshot (training stops after {@link
 *     RollbackConfig#maxRetries()})
 * @param batchesToSkip batches still to skip after the last roll-back
 * @param lossWindow the loss-spike rule's ring of recent losses, as stored (length = the rule's
 *     window; 1 and unused without a loss-spike rule)
 * @param lossCount how many entries of {@code lossWindow} hold losses
 * @param lossNext the ring index the next loss is written to
 */
public record RollbackState(
    long snapshotStep,
    Map<String, Tensor> model,
    StateSnapshot chain,
    Map<String, long[]> rngs,
    double lrScale,
    int healthySinceSnapshot,
    int retries,
    int batchesToSkip,
    float[] lossWindow,
    int lossCount,
    int lossNext) {

  public RollbackState {
    if (model == null || chain == null || rngs == null || lossWindow == null) {
      throw new IllegalArgumentException(
          "RollbackState: model, chain, rngs and lossWindow must not be null");
    }
    if (snapshotStep < 0 || healthySinceSnapshot < 0 || retries < 0 || batchesToSkip < 0) {
      throw new IllegalArgumentException(
          "RollbackState: step and counters must be >= 0, got snapshotStep "
              + snapshotStep
              + ", healthySinceSnapshot "
              + healthySinceSnapshot
              + ", retries "
              + retries
              + ", batchesToSkip "
              + batchesToSkip);
    }
    if (!(lrScale >= 0 && lrScale <= 1)) {
      throw new IllegalArgumentException(
          "RollbackState: lrScale must be in [0, 1], got " + lrScale);
    }
    if (lossWindow.length == 0
        || lossCount < 0
        || lossCount > lossWindow.length
        || lossNext < 0
        || lossNext >= lossWindow.length) {
      throw new IllegalArgumentException(
          "RollbackState: need 0 <= lossCount <= "
              + lossWindow.length
              + " and 0 <= lossNext < "
              + lossWindow.length
              + ", got "
              + lossCount
              + " and "
              + lossNext);
    }
    Map<String, long[]> words = new LinkedHashMap<>();
    rngs.forEach(
        (k, w) -> {
          if (w == null || w.length != 4) {
            throw new IllegalArgumentException(
                "RollbackState: RNG '" + k + "' must have 4 state words");
          }
          words.put(k, w.clone());
        });
    model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
    rngs = Collections.unmodifiableMap(words);
    lossWindow = lossWindow.clone();
  }

  /** The RNG state words by name (copies). */
  @Override
  public Map<String, long[]> rngs() {
    Map<String, long[]> out = new LinkedHashMap<>();
    rngs.forEach((k, w) -> out.put(k, w.clone()));
    return out;
  }

  /** The ring of recent losses (a copy). */
  @Override
  public float[] lossWindow() {
    return lossWindow.clone();
  }
}
