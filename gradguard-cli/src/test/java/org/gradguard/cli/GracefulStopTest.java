package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gradguard.data.DataLoader;
import org.gradguard.data.SyntheticTasks;
import org.gradguard.data.TensorDataset;
import org.gradguard.nn.Linear;
import org.gradguard.optim.Optimizers;
import org.gradguard.tensor.Rng;
import org.gradguard.train.BatchLoss;
import org.gradguard.train.Trainer;
import org.junit.jupiter.api.Test;

/** {@link GracefulStop} without signals: the hook's body is played directly. */
class GracefulStopTest {
  /** A trainer that is built and never run. */
  private static Trainer tiny() {
    TensorDataset data = SyntheticTasks.blobs(16, 2, 3, 1.0, 1);
    return Trainer.builder()
        .model(new Linear(3, 2, new Rng(1)))
        .loss(BatchLoss.crossEntropy())
        .data(new DataLoader(data, 8, 1))
        .optimizer(Optimizers.sgd(0.1))
        .epochs(1)
        .messages(new PrintStream(OutputStream.nullOutputStream()))
        .build();
  }

  @Test
  void theSignalStopsTrainersAddedBeforeAndAfterItAndWaitsForClose() throws Exception {
    GracefulStop stop = GracefulStop.detached();
    Trainer before = tiny();
    stop.add(before);
    assertFalse(before.stopRequested());
    CountDownLatch hookReturned = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.onSignal();
              hookReturned.countDown();
            });
    hook.start();
    // the hook asks at once, then waits for close()
    while (!before.stopRequested()) {
      Thread.onSpinWait();
    }
    assertTrue(stop.signalled());
    Trainer after = tiny();
    stop.add(after);
    assertTrue(after.stopRequested(), "a trainer added after the signal stops before it starts");
    assertFalse(hookReturned.await(200, TimeUnit.MILLISECONDS), "the hook must wait for close()");
    stop.close();
    assertTrue(hookReturned.await(10, TimeUnit.SECONDS));
  }

  @Test
  void withoutASignalNothingIsStopped() {
    Trainer t = tiny();
    try (GracefulStop stop = GracefulStop.install()) {
      stop.add(t);
      assertFalse(stop.signalled());
    }
    assertFalse(t.stopRequested());
  }
}
