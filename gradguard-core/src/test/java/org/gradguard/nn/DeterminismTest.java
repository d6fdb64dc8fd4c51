package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Same seed and thread count → bit-identical weights (Tribuo-style reproducibility). */
class DeterminismTest {
  /** Builds a model from {@code seed}, trains it for a few steps of SGD, returns its weights. */
  private static List<Tensor> train(long seed) {
    Rng rng = new Rng(seed);
    Sequential model =
        new Sequential(
            new Linear(8, 32, rng),
            Activation.tanh(),
            new Linear(32, 32, rng),
            Activation.relu(),
            new Linear(32, 3, rng));
    Rng dataRng = rng.split();
    for (int step = 0; step < 15; step++) {
      Tensor x = Tensor.randn(dataRng, 16, 8);
      int[] y = new int[16];
      for (int i = 0; i < y.length; i++) {
        y[i] = dataRng.nextInt(3);
      }
      model.zeroGrad();
      LossOps.crossEntropy(model.forward(Variable.constant(x)), y, 0.1).backward();
      try (NoGrad.Scope s = NoGrad.enter()) {
        for (Parameter p : model.parameters()) {
          p.value().addScaledInPlace(-0.1f, p.grad());
        }
      }
    }
    return model.parameters().stream().map(p -> p.value().copy()).toList();
  }

  @Test
  void sameSeedSameThreadsGivesBitIdenticalWeights() {
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setThreads(threads);
        List<Tensor> a = train(123);
        List<Tensor> b = train(123);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
          assertTrue(
              a.get(i).bitEquals(b.get(i)),
              "parameter " + i + " differs at " + threads + " threads");
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void anotherSeedGivesOtherWeights() {
    assertFalse(train(123).get(0).bitEquals(train(124).get(0)));
  }
}
