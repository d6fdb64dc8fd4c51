package org.gradguard.config;

import java.util.HashMap;
import java.util.Map;
import org.gradguard.data.IdxReader;
import org.gradguard.nn.Module;
import org.gradguard.nn.init.Init;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.gradguard.train.EarlyStopping;

/**
 * Turns a validated {@link RunConfig} into the objects a run needs — data, model, loss — and checks
 * what can only be checked with the data in hand: the model against the data's shape, the batch
 * size against the number of examples, schedule lengths against the number of steps.
 *
 * <p>The guards and monitor sections already hold the health package's settings records ({@link
 * GuardsConfig}, {@link MonitorConfig#detectors()}); passing them, with this run's objects, to
 * {@code org.gradguard.train.Trainer.builder()} is left to the commands.
 */
public final class RunFactory {
  /**
   * The objects of one run.
   *
   * @param config the run's config
   * @param origin where the config came from, for errors
   * @param data training and validation data
   * @param model the freshly initialized model
   * @param loss the loss on a batch
   * @param optim the update chain (clipping, regularization, optimizer, schedule)
   * @param stepsPerEpoch optimizer steps in one pass over the training data
   * @param totalSteps optimizer steps of the whole run
   */
  public record BuiltRun(
      RunConfig config,
      Origin origin,
      DataBuilder.LoadedData data,
      Module model,
      org.gradguard.train.BatchLoss loss,
      OptimBuilder.BuiltOptim optim,
      int stepsPerEpoch,
      long totalSteps) {}

  /** Loaded datasets shared by the variants of an experiment that use the same data. */
  public static final class DataCache {
    private final Map<String, DataBuilder.LoadedData> loaded = new HashMap<>();

    DataBuilder.LoadedData get(DataConfig d, ModelConfig model, Origin origin) {
      String layout = d instanceof DataConfig.Idx i ? DataBuilder.layout(i, model).name() : "";
      return loaded.computeIfAbsent(d + "|" + layout, k -> DataBuilder.load(d, model, origin));
    }
  }

  private RunFactory() {}

  /**
   * Loads the data (through {@code cache}), builds the model with the seed {@code train.seed}, and
   * checks the run against the data.
   *
   * @throws ConfigException for anything the user must fix
   */
  public static BuiltRun build(RunConfig run, Origin origin, DataCache cache) {
    DataBuilder.LoadedData data = cache.get(run.data(), run.model(), origin);
    Rng rng = new Rng(run.train().seed());
    Module model = ModelBuilder.build(run, data.shape(), rng, origin);
    if (run.model().init().kind() == InitConfig.Kind.LSUV) {
      lsuv(model, data, rng, origin);
      ModelBuilder.reapplyZeroInit(model);
    }
    int n = data.train().size();
    TrainConfig t = run.train();
    if (t.dropLast() && t.batchSize() > n) {
      throw origin.error(
          "train.batch_size",
          "is "
              + t.batchSize()
              + " but there are only "
              + n
              + " training examples, and drop_last leaves no batch");
    }
    int perEpoch = t.dropLast() ? n / t.batchSize() : (n + t.batchSize() - 1) / t.batchSize();
    long total = t.steps() != null ? t.steps() : (long) t.epochs() * perEpoch;
    checkSchedule(run.schedule(), total, origin, "schedule");
    checkValidation(run, data, origin);
    OptimBuilder.BuiltOptim optim;
    try {
      optim = OptimBuilder.build(run, model, total);
    } catch (IllegalArgumentException e) {
      // The configs are validated as the optimizers are; this names the key if one slips through.
      throw origin.error("optimizer", ConfigException.oneLine(e.getMessage()), e);
    }
    return new BuiltRun(run, origin, data, model, LossBuilder.of(run), optim, perEpoch, total);
  }

  /**
   * Checks the model against the data's shape without loading the data, where the config alone
   * tells the shape (every dataset but CSV). Returns false when it cannot tell.
   *
   * @throws ConfigException if the model does not fit
   */
  public static boolean checkShapes(RunConfig run, Origin origin) {
    DataShape shape = DataBuilder.describe(run.data(), run.model());
    if (shape == null) {
      return false;
    }
    ModelBuilder.build(run, shape, new Rng(run.train().seed()), origin);
    return true;
  }

  /** The examples LSUV scales the layers on: the first {@value} training examples (or all). */
  static final int LSUV_BATCH = 256;

  /**
   * LSUV (Mishkin and Matas 2016) on the first {@link #LSUV_BATCH} training inputs, with the
   * paper's tolerance and iteration limit.
   */
  private static void lsuv(Module model, DataBuilder.LoadedData data, Rng rng, Origin origin) {
    int n = Math.min(LSUV_BATCH, data.train().size());
    int[] first = new int[n];
    for (int i = 0; i < n; i++) {
      first[i] = i;
    }
    Tensor batch = data.train().batch(first).inputs();
    try {
      Init.lsuv(model, batch, rng);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw origin.error(
          "model.init", "lsuv failed: " + ConfigException.oneLine(e.getMessage()), e);
    }
  }

  /** The image layout the run reads IDX data in, or null for other data. */
  public static IdxReader.Layout layout(RunConfig run) {
    return run.data() instanceof DataConfig.Idx i ? DataBuilder.layout(i, run.model()) : null;
  }

  /**
   * Early stopping and the plateau schedule judge epochs by the validation loss; without validation
   * data they would silently do nothing.
   */
  private static void checkValidation(RunConfig run, DataBuilder.LoadedData data, Origin origin) {
    if (data.validation() != null && data.validation().size() > 0) {
      EarlyStopping es = run.train().earlyStopping();
      if (es != null
          && es.monitor() == EarlyStopping.Monitor.VAL_ACCURACY
          && data.validation().numClasses() == 0) {
        throw origin.error(
            "train.early_stopping.monitor",
            "is val_accuracy, but this data has no classes to be accurate about (a regression);"
                + " use val_loss");
      }
      return;
    }
    String why =
        "needs validation data, and this data has none (data.validation_split is 0 or leaves no"
            + " examples)";
    if (run.train().earlyStopping() != null) {
      throw origin.error("train.early_stopping", why);
    }
    if (run.schedule() instanceof ScheduleConfig.Plateau) { // never inside sequential
      throw origin.error("schedule", "plateau " + why);
    }
  }

  private static void checkSchedule(ScheduleConfig s, long total, Origin origin, String key) {
    if (s instanceof ScheduleConfig.OneCycle o
        && o.totalSteps() != null
        && o.totalSteps() < total) {
      throw origin.error(
          key + ".total_steps",
          "is "
              + o.totalSteps()
              + " but training runs "
              + total
              + " steps (one_cycle cannot run past its end)");
    }
    if (s instanceof ScheduleConfig.Sequential q) {
      for (int i = 0; i < q.schedules().size(); i++) {
        checkSchedule(q.schedules().get(i), total, origin, key + ".schedules[" + i + "]");
      }
    }
  }
}
