package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.gradguard.data.DataLoader;
import org.gradguard.data.IdxReader;
import org.gradguard.data.NamedDatasets;
import org.gradguard.data.TensorDataset;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Sequential;
import org.gradguard.optim.Optimizers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Workload W1 of {@code shared/bench/README.md}: Linear 784→256, ReLU, Linear 256→256, ReLU, Linear
 * 256→10 (PyTorch default init) on Fashion-MNIST (pixels / 255), one epoch of shuffled batches of
 * 128, SGD lr 0.05 momentum 0.9, test accuracy on the 10,000 test images.
 *
 * <p>One epoch's accuracy depends on the seed by about ±1.5 points, for PyTorch as for us (PyTorch
 * 1.13 on this machine, {@code torch_workloads.py --epoch --seed s}: 0.8179, 0.8379, 0.8255,
 * 0.8327, 0.8391, 0.8291 for seeds 0–5, mean 0.830), so a single seed cannot separate "as good as
 * PyTorch" from luck. The test trains seeds 0, 1 and 2 and requires a mean of at least 0.82, and
 * each at least 0.80.
 *
 * <p>It takes about 5–10 s per seed on the vector kernels (about 35 s on the reference kernels), 2
 * vCPUs, and runs in the default suite. It needs the dataset ({@link NamedDatasets}, e.g. Debian's
 * {@code dataset-fashion-mnist} in {@code /usr/share/datasets/fashion-mnist}) and says so when it
 * is absent.
 */
@Tag("slow")
@Tag("w1")
class W1FashionMnistTest {
  private static final long[] SEEDS = {0, 1, 2};

  private static TensorDataset load(NamedDatasets.Split split) {
    try {
      return NamedDatasets.load("fashion-mnist", split, IdxReader.Layout.FLAT);
    } catch (Exception e) {
      assumeTrue(false, "W1 skipped: the Fashion-MNIST dataset is absent. " + e.getMessage());
      throw new AssertionError(e);
    }
  }

  static double trainOneEpoch(TensorDataset train, TensorDataset test, long seed) {
    RngStreams rngs = RngStreams.of(seed);
    Sequential model =
        new Sequential(
            new Linear(784, 256, rngs.get("init")),
            Activation.relu(),
            new Linear(256, 256, rngs.get("init")),
            Activation.relu(),
            new Linear(256, 10, rngs.get("init")));
    long t0 = System.nanoTime();
    FitResult r =
        Trainer.builder()
            .model(model)
            .loss(BatchLoss.crossEntropy())
            .data(new DataLoader(train, 128, rngs.seedFor("data")))
            .validation(test, 1000)
            .optimizer(Optimizers.sgd(0.05, 0.9, 0, 0, false))
            .rngs(rngs)
            .epochs(1)
            .build()
            .fit();
    ValidationRecord v = r.lastValidation();
    System.out.printf(
        Locale.ROOT,
        "W1 seed %d: %d steps, test accuracy %.4f, test loss %.4f, %.1f s%n",
        seed,
        r.steps(),
        v.accuracy(),
        v.loss(),
        (System.nanoTime() - t0) / 1e9);
    assertEquals(FitResult.StopReason.COMPLETED, r.reason());
    assertEquals(469, r.steps());
    assertEquals(10_000, v.examples());
    return v.accuracy();
  }

  @Test
  void oneEpochReachesPyTorchAccuracy() {
    TensorDataset train = load(NamedDatasets.Split.TRAIN);
    TensorDataset test = load(NamedDatasets.Split.TEST);
    double sum = 0;
    for (long seed : SEEDS) {
      double acc = trainOneEpoch(train, test, seed);
      assertTrue(acc >= 0.80, "W1 seed " + seed + ": test accuracy " + acc + " < 0.80");
      sum += acc;
    }
    double mean = sum / SEEDS.length;
    System.out.printf(Locale.ROOT, "W1 mean test accuracy over seeds 0-2: %.4f%n", mean);
    assertTrue(mean >= 0.82, "W1 mean test accuracy " + mean + " < 0.82");
  }
}
