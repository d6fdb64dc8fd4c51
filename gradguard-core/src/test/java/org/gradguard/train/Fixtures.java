package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.gradguard.data.DataLoader;
import org.gradguard.data.SyntheticTasks;
import org.gradguard.data.TensorDataset;
import org.gradguard.nn.Activation;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.Dropout;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.Sequential;
import org.gradguard.nn.StateDict;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.tensor.Tensor;

/**
 * A small classification run whose every piece of state matters for exact resumption: shuffled
 * batches with a short last batch, dropout (a random stream), batch norm (buffers), and whatever
 * chain the test passes.
 */
final class Fixtures {
  private Fixtures() {}

  /**
   * Examples {@code [from, to)} of 148 points of 3 overlapping Gaussian blobs in 6-D: the first 100
   * train (7 batches of 16, the last of 4), the other 48 validate.
   */
  static TensorDataset split(int from, int to) {
    TensorDataset all = SyntheticTasks.blobs(148, 3, 6, 6.0, 11);
    return TensorDataset.classification(
        all.inputs().slice(0, from, to),
        all.targets().slice(0, from, to),
        3,
        "blobs[" + from + ", " + to + ")");
  }

  /** The batch size of the fixtures' loaders. */
  static final int BATCH = 16;

  record Setup(RngStreams rngs, Module model, DataLoader loader, TensorDataset validation) {}

  /** Builds everything from {@code seed}, as a command-line run would. */
  static Setup setup(long seed) {
    RngStreams rngs = RngStreams.of(seed);
    Module model =
        new Sequential(
            new Linear(6, 16, rngs.get("init")),
            new BatchNorm1d(16),
            Activation.relu(),
            new Dropout(0.2, rngs.get("dropout")),
            new Linear(16, 3, rngs.get("init")));
    DataLoader loader = new DataLoader(split(0, 100), BATCH, rngs.seedFor("data"));
    return new Setup(rngs, model, loader, split(100, 148));
  }

  /** A linear classifier on the same data: no buffers, no dropout, so lr 0 changes nothing. */
  static Setup plain(long seed) {
    RngStreams rngs = RngStreams.of(seed);
    Module model = new Sequential(new Linear(6, 3, rngs.get("init")));
    return new Setup(
        rngs, model, new DataLoader(split(0, 100), BATCH, rngs.seedFor("data")), split(100, 148));
  }

  static Trainer.Builder builder(Setup s, GradientTransformation chain) {
    return Trainer.builder()
        .model(s.model())
        .loss(BatchLoss.crossEntropy())
        .data(s.loader())
        .validation(s.validation())
        .optimizer(chain)
        .rngs(s.rngs())
        .messages(new PrintStream(OutputStream.nullOutputStream()));
  }

  /** Asserts that two models have bit-identical parameters and buffers. */
  static void assertSameWeights(Module expected, Module actual) {
    Map<String, Tensor> a = StateDict.of(expected);
    Map<String, Tensor> b = StateDict.of(actual);
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertTrue(a.get(k).bitEquals(b.get(k)), k + " differs");
    }
  }

  /** A listener that asks its trainer to stop once step {@code index} has run. */
  static final class StopAt implements TrainingListener {
    private final long index;
    Trainer trainer;

    StopAt(long index) {
      this.index = index;
    }

    @Override
    public void onStep(StepRecord step) {
      if (step.step() == index) {
        trainer.requestStop();
      }
    }
  }
}
