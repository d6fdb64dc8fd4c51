package org.gradguard.config;

import java.util.List;
import java.util.Map;
import org.gradguard.train.EarlyStopping;

/**
 * How long and how to train. Exactly one of {@code epochs} and {@code steps} is set (epochs 10 when
 * neither is given).
 *
 * @param epochs passes over the training data, or null when {@code steps} is set
 * @param steps optimizer steps, or null when {@code epochs} is set
 * @param batchSize examples per step, {@code >= 1}
 * @param seed seeds the model's initialization, dropout and the batch order
 * @param threads worker threads for the kernels, 0 for the default ({@code GRADGUARD_THREADS} or
 *     all cores)
 * @param shuffle reshuffle the training data every epoch
 * @param dropLast drop the last, smaller batch of each epoch
 * @param logEvery steps between progress lines and metric records, {@code >= 1}
 * @param rng which random numbers the seed gives to the initial weights and the batch order
 * @param earlyStopping stop when the validation loss has not improved for {@code patience} epochs,
 *     or null for off
 */
public record TrainConfig(
    Integer epochs,
    Integer steps,
    int batchSize,
    long seed,
    int threads,
    boolean shuffle,
    boolean dropLast,
    int logEvery,
    RandomNumbers rng,
    EarlyStopping earlyStopping) {

  /**
   * {@code train.early_stopping: true}: Lightning's {@code EarlyStopping} defaults, patience 3
   * epochs and no minimum improvement.
   */
  public static final EarlyStopping EARLY_STOPPING_DEFAULTS = EarlyStopping.patience(3);

  /** The keys of {@code train.early_stopping}. */
  public static final List<String> EARLY_STOPPING_KEYS = RecordReader.keys(EarlyStopping.class);

  /** The values of {@code train.early_stopping.monitor}: Keras' names of the metrics. */
  public enum MonitorName implements Named {
    VAL_LOSS(EarlyStopping.Monitor.VAL_LOSS),
    VAL_ACCURACY(EarlyStopping.Monitor.VAL_ACCURACY);

    final EarlyStopping.Monitor monitor;

    MonitorName(EarlyStopping.Monitor monitor) {
      this.monitor = monitor;
    }

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /**
   * Which generator the seed drives for the initial weights and the batch order. Dropout masks and
   * synthetic datasets use GradGuard's streams under both.
   */
  public enum RandomNumbers implements Named {
    /** GradGuard's own streams ({@link org.gradguard.tensor.Rng}, xoshiro256**). */
    GRADGUARD,
    /**
     * PyTorch's: the initial weights as {@code torch.manual_seed(seed)} followed by building the
     * same layers in PyTorch, the batch order as {@code torch.randperm} once per epoch from {@code
     * torch.Generator().manual_seed(seed)} ({@link org.gradguard.tensor.MersenneTwister}).
     */
    PYTORCH;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** The keys of {@code train}. */
  public static final List<String> KEYS =
      List.of(
          "epochs",
          "steps",
          "batch_size",
          "seed",
          "threads",
          "shuffle",
          "drop_last",
          "log_every",
          "rng",
          "early_stopping");

  static TrainConfig parse(Node node) {
    Section s = node.asSection().keys(KEYS);
    Integer epochs = s.optionalInteger("epochs", 1);
    Integer steps = s.optionalInteger("steps", 1);
    if (epochs != null && steps != null) {
      throw s.error(
          "steps",
          "set either epochs or steps, not both (epochs is "
              + epochs
              + "; null removes a key: --set train.epochs=null)");
    }
    if (epochs == null && steps == null) {
      epochs = 10;
    }
    Node early = s.get("early_stopping");
    return new TrainConfig(
        epochs,
        steps,
        s.integer("batch_size", 32, 1),
        s.longValue("seed", 0),
        s.integer("threads", 0, 0),
        s.bool("shuffle", true),
        s.bool("drop_last", false),
        s.integer("log_every", 50, 1),
        s.choice("rng", RandomNumbers.values(), RandomNumbers.GRADGUARD, "random numbers"),
        early.isAbsent()
            ? null
            : RecordReader.read(
                early,
                EARLY_STOPPING_DEFAULTS,
                Map.of(
                    "monitor",
                    (n, dflt) ->
                        n.isAbsent()
                            ? dflt
                            : n.asChoice(MonitorName.values(), "early-stopping metric").monitor)));
  }
}
