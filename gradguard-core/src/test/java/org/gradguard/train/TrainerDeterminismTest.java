package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.gradguard.nn.StateDict;
import org.gradguard.optim.Clip;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.Transforms;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Same configuration, seed and thread count → bit-identical weights, optimizer state and losses
 * (Tribuo-style): the whole run — initialization, shuffling, dropout, batch norm, Adam, clipping,
 * validation — is built from the seed through {@link RngStreams}.
 */
class TrainerDeterminismTest {

  /** A fresh run from {@code seed}: weights and the trainer (for its state and records). */
  private static Trainer run(long seed) {
    Fixtures.Setup s = Fixtures.setup(seed);
    Trainer t =
        Fixtures.builder(s, Transforms.chain(Clip.byGlobalNorm(1.0), Optimizers.adamw(3e-3, 1e-2)))
            .epochs(3)
            .build();
    FitResult r = t.fit();
    assertEquals(21, r.steps());
    return t;
  }

  @Test
  void sameSeedAndThreadCountGiveBitIdenticalRuns() {
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setThreads(threads);
        Trainer a = run(42);
        Trainer b = run(42);
        Fixtures.assertSameWeights(a.model(), b.model());
        assertTrue(a.optimizerState().bitEquals(b.optimizerState()), threads + " threads");
        assertEquals(a.monitor().log().stats(), b.monitor().log().stats(), threads + " threads");
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void anotherSeedGivesOtherWeights() {
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      Map<String, Tensor> a = StateDict.of(run(42).model());
      Map<String, Tensor> b = StateDict.of(run(43).model());
      assertFalse(a.get("0.weight").bitEquals(b.get("0.weight")));
    } finally {
      Parallel.setThreads(before);
    }
  }
}
