package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.autograd.Variable;
import org.gradguard.data.TensorDataset;
import org.gradguard.nn.Module;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  /** Returns its input as the output: the dataset's inputs are the logits. */
  static final class IdentityModel extends Module {
    boolean sawTraining;

    @Override
    protected Variable compute(Variable x) {
      sawTraining |= isTraining();
      return x;
    }
  }

  @Test
  void accuracyAndLossMatchAHandComputation() {
    // logits of 5 examples over 3 classes; predictions 2, 0, 1, 1, 0; labels 2, 0, 0, 1, 2
    Tensor logits = Tensor.of(new float[] {0, 1, 3, 2, 1, 0, 0, 5, 1, 1, 2, 0, 4, 0, 0}, 5, 3);
    TensorDataset d =
        TensorDataset.classification(logits, Tensor.of(new float[] {2, 0, 0, 1, 2}, 5), 3, "t");
    IdentityModel m = new IdentityModel();
    // batch size 2 leaves a short last batch: the mean must weight batches by their size
    Evaluation.Result r = Evaluation.evaluate(m, d, BatchLoss.crossEntropy(), 2);
    assertEquals(3.0 / 5, r.accuracy(), 0.0);
    double expected = 0;
    float[] z = logits.data();
    int[] y = {2, 0, 0, 1, 2};
    for (int i = 0; i < 5; i++) {
      double lse = Math.log(Math.exp(z[3 * i]) + Math.exp(z[3 * i + 1]) + Math.exp(z[3 * i + 2]));
      expected += (lse - z[3 * i + y[i]]) / 5;
    }
    assertEquals(expected, r.loss(), 1e-6);
    assertEquals(5, r.examples());
    assertTrue(!m.sawTraining, "evaluation must run in eval mode");
    assertTrue(m.isTraining(), "the training mode is restored");
  }

  @Test
  void regressionHasNoAccuracyAndASingleLogitIsThresholdedAtZero() {
    TensorDataset reg =
        TensorDataset.regression(
            Tensor.of(new float[] {1, 2}, 2, 1), Tensor.of(new float[] {1, 4}, 2, 1), "r");
    Evaluation.Result r = Evaluation.evaluate(new IdentityModel(), reg, BatchLoss.mse(), 8);
    assertTrue(Double.isNaN(r.accuracy()));
    assertEquals(2.0, r.loss(), 1e-6); // ((1-1)^2 + (2-4)^2) / 2
    assertEquals(
        2, Evaluation.correct(Tensor.of(new float[] {-1, 3, 0.5f}, 3, 1), new int[] {0, 1, 0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Evaluation.evaluate(new IdentityModel(), reg, BatchLoss.mse(), 0));
  }
}
