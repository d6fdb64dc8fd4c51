package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BatchNormTest {
  private static Tensor randn(long seed, int... shape) {
    return Tensor.randn(new Rng(seed), shape);
  }

  /** Random γ, β and running statistics, so that checks do not pass by symmetry. */
  private static <B extends BatchNorm> B randomised(B bn, long seed) {
    Rng rng = new Rng(seed);
    int c = bn.numFeatures();
    bn.weight().value().copyFromInPlace(Tensor.randn(rng, c));
    bn.bias().value().copyFromInPlace(Tensor.randn(rng, c));
    bn.runningMean().copyFromInPlace(Tensor.randn(rng, c));
    bn.runningVar().copyFromInPlace(Tensor.uniform(rng, 0.5, 2, c));
    return bn;
  }

  @Test
  void defaultsAndStateDictNamesInsideASequential() {
    Sequential model = new Sequential(new Linear(3, 4, new Rng(1)), new BatchNorm1d(4));
    assertEquals(
        List.of("0.weight", "0.bias", "1.weight", "1.bias"),
        List.copyOf(model.namedParameters().keySet()));
    assertEquals(
        List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"),
        List.copyOf(model.namedBuffers().keySet()));
    BatchNorm1d bn = (BatchNorm1d) model.get(1);
    assertArrayEquals(new float[] {1, 1, 1, 1}, bn.weight().value().data());
    assertArrayEquals(new float[] {0, 0, 0, 0}, bn.bias().value().data());
    assertArrayEquals(new float[] {0, 0, 0, 0}, bn.runningMean().data());
    assertArrayEquals(new float[] {1, 1, 1, 1}, bn.runningVar().data());
    assertArrayEquals(new int[0], model.namedBuffers().get("1.num_batches_tracked").shape());
    assertEquals(1e-5, bn.eps());
    assertEquals(0.1, bn.momentum());
  }

  @Test
  void runningStatisticsFollowTheHandComputationOverSeveralSteps() {
    double momentum = 0.3;
    BatchNorm1d bn = new BatchNorm1d(2, 1e-5, momentum, true, true);
    double[] rm = {0, 0};
    double[] rv = {1, 1};
    for (int step = 0; step < 3; step++) {
      Tensor x = randn(10 + step, 5, 2).mul(step + 1f).add((float) step);
      bn.forward(Variable.constant(x));
      float[] d = x.data();
      for (int c = 0; c < 2; c++) {
        double mean = 0;
        for (int n = 0; n < 5; n++) {
          mean += d[n * 2 + c] / 5.0;
        }
        double ss = 0;
        for (int n = 0; n < 5; n++) {
          ss += (d[n * 2 + c] - mean) * (d[n * 2 + c] - mean);
        }
        rm[c] = (1 - momentum) * rm[c] + momentum * mean;
        rv[c] = (1 - momentum) * rv[c] + momentum * ss / 4; // unbiased: M − 1 = 4
      }
      for (int c = 0; c < 2; c++) {
        assertEquals(rm[c], bn.runningMean().data()[c], 1e-5, "running_mean step " + step);
        assertEquals(rv[c], bn.runningVar().data()[c], 1e-5 * rv[c], "running_var step " + step);
      }
      assertEquals(step + 1, bn.numBatchesTracked());
    }
  }

  @Test
  void trainAndEvalUseDifferentStatistics() {
    BatchNorm2d bn = randomised(new BatchNorm2d(3), 1);
    Tensor x = randn(2, 4, 3, 2, 2).mul(3f).add(1f);
    Tensor before = bn.runningMean().copy();
    // train: the output is normalised per channel by the batch (mean 0, biased var 1 before affine)
    bn.weight().value().fillInPlace(1f);
    bn.bias().value().fillInPlace(0f);
    Tensor y = bn.forward(Variable.constant(x)).value();
    for (float m : y.mean(false, 0, 2, 3).data()) {
      assertEquals(0, m, 1e-5);
    }
    for (float v : y.variance(0, false, 0, 2, 3).data()) {
      assertEquals(1, v, 1e-3);
    }
    assertFalse(bn.runningMean().bitEquals(before), "training updates running_mean");
    // eval: running statistics, nothing updated, batch of one allowed
    bn.eval();
    assertFalse(bn.isTraining());
    Tensor rm = bn.runningMean().copy();
    Tensor rv = bn.runningVar().copy();
    Tensor one = x.slice(0, 0, 1);
    Tensor ye = bn.forward(Variable.constant(one)).value();
    Tensor expected = one.sub(rm.reshape(1, 3, 1, 1)).div(rv.add(1e-5f).sqrt().reshape(1, 3, 1, 1));
    for (int i = 0; i < expected.numel(); i++) {
      assertEquals(expected.data()[i], ye.data()[i], 1e-5);
    }
    assertTrue(bn.runningMean().bitEquals(rm) && bn.runningVar().bitEquals(rv));
    assertEquals(1, bn.numBatchesTracked());
    bn.train();
    bn.forward(Variable.constant(x));
    assertEquals(2, bn.numBatchesTracked());
  }

  @Test
  void noGradForwardInTrainingStillUpdatesRunningStatistics() {
    BatchNorm1d bn = new BatchNorm1d(2);
    try (NoGrad.Scope s = NoGrad.enter()) {
      bn.forward(Variable.constant(randn(1, 4, 2).add(5f)));
    }
    assertTrue(bn.runningMean().data()[0] > 0.3f, "as in PyTorch, no_grad does not stop updates");
  }

  @Test
  void withoutRunningStatisticsBatchStatisticsAreUsedInBothModes() {
    BatchNorm1d bn = new BatchNorm1d(3, 1e-5, 0.1, false, false);
    assertTrue(bn.namedBuffers().isEmpty());
    assertTrue(bn.namedParameters().isEmpty());
    assertNull(bn.runningMean());
    Tensor x = randn(1, 4, 3, 5);
    Tensor train = bn.forward(Variable.constant(x)).value();
    bn.eval();
    assertTrue(train.bitEquals(bn.forward(Variable.constant(x)).value()));
  }

  @Test
  void oneValuePerChannelInTrainingIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BatchNorm1d(3).forward(Variable.constant(randn(1, 1, 3))));
    assertEquals(
        "BatchNorm1d: Expected more than 1 value per channel when training, got input size [1, 3]",
        e.getMessage());
    // [1, C, L] with L > 1 and [1, C, H, W] are fine
    new BatchNorm1d(3).forward(Variable.constant(randn(1, 1, 3, 2)));
    new BatchNorm2d(3).forward(Variable.constant(randn(1, 1, 3, 2, 2)));
  }

  @Test
  void validatesHyperParametersAndShapes() {
    assertEquals(
        "BatchNorm1d: eps must be > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3, 0, 0.1, true, true))
            .getMessage());
    assertEquals(
        "BatchNorm2d: momentum must be in [0, 1], got 1.5",
        assertThrows(
                IllegalArgumentException.class, () -> new BatchNorm2d(3, 1e-5, 1.5, true, true))
            .getMessage());
    assertEquals(
        "BatchNorm1d: numFeatures must be > 0, got 0",
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(0)).getMessage());
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> new BatchNorm1d(3).forward(Variable.constant(randn(1, 4, 5))))
            .getMessage();
    assertTrue(msg.contains("expected 3 channels") && msg.contains("[4, 5]"), msg);
    assertThrows(
        IllegalArgumentException.class,
        () -> new BatchNorm2d(3).forward(Variable.constant(randn(1, 4, 3))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BatchNorm1d(3).forward(Variable.constant(randn(1, 4, 3, 2, 2))));
  }

  @Test
  void layerGradientsInTrainAndEvalMode() {
    LayerGradCheck.assertGradients(randomised(new BatchNorm1d(3), 1), randn(2, 4, 3), true);
    LayerGradCheck.assertGradients(randomised(new BatchNorm1d(2), 3), randn(4, 3, 2, 3), true);
    LayerGradCheck.assertGradients(randomised(new BatchNorm2d(2), 5), randn(6, 2, 2, 2, 3), true);
    LayerGradCheck.assertGradients(randomised(new BatchNorm1d(3), 7).eval(), randn(8, 2, 3), true);
    LayerGradCheck.assertGradients(
        randomised(new BatchNorm2d(2), 9).eval(), randn(10, 1, 2, 3, 2), true);
  }

  @Test
  void toStringShowsTheConfiguration() {
    assertEquals("BatchNorm2d(4, eps=1.0E-5, momentum=0.1)", new BatchNorm2d(4).toString());
  }
}
