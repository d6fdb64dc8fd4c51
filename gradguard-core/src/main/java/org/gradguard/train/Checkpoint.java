package org.gradguard.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.data.DataLoader;
import org.gradguard.health.DetectorState;
import org.gradguard.health.HealthLog;
import org.gradguard.health.RollbackState;
import org.gradguard.optim.StateSnapshot;
import org.gradguard.tensor.Tensor;

/**
 * Everything needed to continue a run exactly where it stopped, as written by {@link
 * CheckpointStore}: the model's state dict, the whole optimizer chain's state, the roll-back
 * guard's, the step counts, the data loader's position, the random streams, the trainer's own state
 * and the provenance.
 *
 * <p>The maps are unmodifiable copies; the tensors are the ones given (the trainer passes copies
 * taken at the checkpoint).
 *
 * @param stepsCompleted training steps done; the next step has this index
 * @param optimizerSteps updates applied (fewer than {@code stepsCompleted} when steps were skipped)
 * @param position where the data loader stands: the next batch to train on
 * @param model the model's parameters and buffers by state-dict name ({@link
 *     org.gradguard.nn.StateDict#of})
 * @param optimizer the chain's state ({@link org.gradguard.optim.TransformState#export()})
 * @param rollback the roll-back guard's snapshot and counters ({@link
 *     org.gradguard.health.TrainingStep#rollbackState()}), or null when the run has no roll-back
 * @param detectors the health monitor's detectors' states ({@link
 *     org.gradguard.health.Monitor#detectorStates()}); empty when not recorded
 * @param healthLog the health monitor's log: counts, event summaries, kept events and actions
 *     ({@link org.gradguard.health.HealthLog#state()}); null when not recorded
 * @param bestModel early stopping's copy of the best epoch's parameters and buffers by state-dict
 *     name ({@link EarlyStopping#restoreBestWeights()}), or null when it keeps none
 * @param rngs the random streams' state words, by name ({@link RngStreams#states()})
 * @param trainer the trainer's own state as a JSON object (early stopping, plateau schedule, the
 *     current epoch's running loss, the validation history); see {@code docs/run-directory.md}
 * @param provenance the run's provenance ({@link Provenance})
 */
public record Checkpoint(
    long stepsCompleted,
    long optimizerSteps,
    DataLoader.Position position,
    Map<String, Tensor> model,
    StateSnapshot optimizer,
    RollbackState rollback,
    List<DetectorState> detectors,
    HealthLog.State healthLog,
    Map<String, Tensor> bestModel,
    Map<String, long[]> rngs,
    Map<String, Object> trainer,
    Map<String, Object> provenance) {

  public Checkpoint {
    if (stepsCompleted < 0 || optimizerSteps < 0 || optimizerSteps > stepsCompleted) {
      throw new IllegalArgumentException(
          "Checkpoint: need 0 <= optimizerSteps <= stepsCompleted, got "
              + optimizerSteps
              + " and "
              + stepsCompleted);
    }
    if (position == null || model == null || optimizer == null || rngs == null) {
      throw new IllegalArgumentException(
          "Checkpoint: position, model, optimizer and rngs must not be null");
    }
    model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
    bestModel =
        bestModel == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(bestModel));
    detectors = detectors == null ? List.of() : List.copyOf(detectors);
    Map<String, long[]> r = new LinkedHashMap<>();
    rngs.forEach((k, v) -> r.put(k, v.clone()));
    rngs = Collections.unmodifiableMap(r);
    trainer =
        Collections.unmodifiableMap(new LinkedHashMap<>(trainer == null ? Map.of() : trainer));
    provenance =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(provenance == null ? Map.of() : provenance));
  }
}
