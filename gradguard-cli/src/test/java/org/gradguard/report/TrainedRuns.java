package org.gradguard.report;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.data.DataLoader;
import org.gradguard.data.SyntheticTasks;
import org.gradguard.data.TensorDataset;
import org.gradguard.health.Monitor;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.Sequential;
import org.gradguard.optim.Optimizers;
import org.gradguard.train.BatchLoss;
import org.gradguard.train.FitResult;
import org.gradguard.train.RngStreams;
import org.gradguard.train.Trainer;

/**
 * Real run directories written by the {@link Trainer}, for the report's adapter and command: a
 * comparison {@code DIR/{baseline,high-lr}} of 5-layer MLPs on Gaussian blobs, 24 steps, monitored
 * every step. The baseline (sigmoid) trains with lr 0.5 and its gradients vanish toward the input;
 * high-lr (ReLU) uses lr 1e8, so its loss overflows, the non-finite guard skips steps and the run
 * ends as diverged.
 */
public final class TrainedRuns {
  private TrainedRuns() {}

  /** Trains both variants into {@code dir}/baseline and {@code dir}/high-lr. */
  public static List<FitResult> write(Path dir) {
    List<FitResult> out = new ArrayList<>();
    out.add(train(dir.resolve("baseline"), "sigmoid", 0.5));
    out.add(train(dir.resolve("high-lr"), "relu", 1e8));
    return out;
  }

  private static FitResult train(Path runDir, String activation, double lr) {
    RngStreams rngs = RngStreams.of(3);
    TensorDataset data = SyntheticTasks.blobs(96, 3, 6, 1.5, 5);
    List<Module> layers = new ArrayList<>();
    int width = 6;
    for (int i = 0; i < 4; i++) {
      layers.add(new Linear(width, 12, rngs.get("init")));
      layers.add(activation.equals("relu") ? Activation.relu() : Activation.sigmoid());
      width = 12;
    }
    layers.add(new Linear(width, 3, rngs.get("init")));
    Module model = new Sequential(layers.toArray(new Module[0]));
    return Trainer.builder()
        .model(model)
        .loss(BatchLoss.crossEntropy())
        .data(new DataLoader(data, 16, rngs.seedFor("data")))
        .validation(data)
        .optimizer(Optimizers.sgd(lr))
        .rngs(rngs)
        .epochs(4)
        .monitor(Monitor.builder(model).every(1))
        .runDirectory(runDir)
        .config(
            Map.of(
                "model", Map.of("layers", 5, "width", 12, "activation", activation),
                "optimizer", Map.of("name", "sgd", "lr", lr)))
        .messages(new PrintStream(OutputStream.nullOutputStream()))
        .build()
        .fit();
  }
}
