package org.gradguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one training run needs: the base config of an experiment, or one variant merged into
 * it. Immutable; each section has documented defaults (docs/config.md).
 *
 * @param tree the YAML tree the run was parsed from, after {@code --set} and the variant's merge
 *     (without {@code name}, {@code description} and {@code variants}); keys left out take their
 *     defaults. A copy: the run's own record of what the user asked for
 */
public record RunConfig(
    ModelConfig model,
    DataConfig data,
    LossConfig loss,
    OptimizerConfig optimizer,
    ScheduleConfig schedule,
    ClippingConfig clipping,
    RegularizationConfig regularization,
    GuardsConfig guards,
    MonitorConfig monitor,
    TrainConfig train,
    JsonNode tree) {

  /** The sections of a run, in the order they are documented. */
  public static final List<String> SECTIONS =
      List.of(
          "model",
          "data",
          "loss",
          "optimizer",
          "schedule",
          "clipping",
          "regularization",
          "guards",
          "monitor",
          "train");

  /**
   * Parses and validates the sections of the map at {@code node} (whose keys the caller has
   * checked), including the checks that involve two sections.
   *
   * @param baseDir the directory relative data paths are resolved against
   */
  static RunConfig parse(Node node, Path baseDir) {
    RunConfig r =
        new RunConfig(
            ModelConfig.parse(node.child("model")),
            DataConfig.parse(node.child("data"), baseDir),
            LossConfig.parse(node.child("loss")),
            OptimizerConfig.parse(node.child("optimizer")),
            ScheduleConfig.parse(node.child("schedule")),
            ClippingConfig.parse(node.child("clipping")),
            RegularizationConfig.parse(node.child("regularization")),
            node.child("guards").isAbsent()
                ? GuardsConfig.DEFAULT
                : GuardsConfig.parse(node.child("guards")),
            node.child("monitor").isAbsent()
                ? MonitorConfig.DEFAULT
                : MonitorConfig.parse(node.child("monitor")),
            TrainConfig.parse(node.child("train")),
            node.json().deepCopy());
    r.crossCheck(node);
    return r;
  }

  /** The loss {@code auto} resolves to for this data. */
  public LossConfig.Kind lossKind() {
    if (loss.kind() != LossConfig.Kind.AUTO) {
      return loss.kind();
    }
    return data.classification() ? LossConfig.Kind.CROSS_ENTROPY : LossConfig.Kind.MSE;
  }

  private void crossCheck(Node node) {
    LossConfig.Kind k = loss.kind();
    if (k == LossConfig.Kind.CROSS_ENTROPY && !data.classification()) {
      throw node.child("loss")
          .error(
              "cross_entropy needs class labels, but data '"
                  + data.name()
                  + "' has regression targets (use mse)");
    }
    if (k == LossConfig.Kind.MSE && data.classification()) {
      throw node.child("loss")
          .error(
              "mse needs regression targets, but data '"
                  + data.name()
                  + "' has class labels (use cross_entropy)");
    }
    if (optimizer.weightDecay() > 0 && regularization.active()) {
      throw node.child("regularization")
          .error(
              "weight decay is set twice: optimizer.weight_decay is "
                  + Numbers.format(optimizer.weightDecay())
                  + "; set it in one place");
    }
  }
}
