package org.gradguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.gradguard.nn.Parameter;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadsTest {
  private static final Workloads.FashionSource STAND_IN = StandIn.fashion(4, 24);

  /** Batch size and parameter count of the PyTorch model (sum of numel over parameters()). */
  @ParameterizedTest
  @CsvSource({
    "mlp, 128, 269322",
    "deep-narrow, 32, 204490",
    "resmlp-bn, 128, 1529610",
    "rnn-adding, 64, 17025",
    "cnn, 64, 421642"
  })
  void buildsTheModelOfTheReadmeAndTrainsOneStep(String name, int batch, long parameters)
      throws IOException {
    Workload w = Workloads.create(name, 0, STAND_IN, StandIn.SIZES);
    assertEquals(name, w.name());
    assertEquals(batch, w.batchSize());
    assertEquals(parameters, w.model().parameterCount());
    assertTrue(w.model().isTraining());
    List<Tensor> before = copies(w.model().parameters());
    double loss = w.step();
    assertTrue(Double.isFinite(loss) && loss > 0, name + ": loss " + loss);
    assertEquals(1, w.optimizer().stepCount());
    assertEquals(0, w.skippedSteps());
    List<Parameter> after = w.model().parameters();
    int changed = 0;
    for (int i = 0; i < before.size(); i++) {
      if (!Arrays.equals(before.get(i).data(), after.get(i).value().data())) {
        changed++;
      }
    }
    assertTrue(changed > before.size() / 2, name + ": only " + changed + " tensors changed");
  }

  /**
   * W2 and W4 clip the global gradient norm at 1 before SGD with lr 0.01, so each step moves the
   * weights by exactly {@code 0.01·min(‖g‖, 1)} (up to PyTorch's 1e-6 in the clip coefficient). The
   * optimizer leaves the raw gradients in place, so {@code ‖g‖} can be read after the step.
   */
  @ParameterizedTest
  @CsvSource({"deep-narrow, false", "rnn-adding, true"})
  void clippedSgdMovesTheWeightsByLrTimesTheClippedNorm(String name, boolean clips)
      throws IOException {
    Workload w = Workloads.create(name, 3, STAND_IN, StandIn.SIZES);
    double largest = 0;
    for (int step = 0; step < 3; step++) {
      List<Tensor> before = copies(w.model().parameters());
      w.step();
      double moved = 0;
      double grad = 0;
      List<Parameter> after = w.model().parameters();
      for (int i = 0; i < before.size(); i++) {
        float[] a = before.get(i).data();
        float[] b = after.get(i).value().data();
        float[] g = after.get(i).grad().data();
        for (int j = 0; j < a.length; j++) {
          moved += (double) (b[j] - a[j]) * (b[j] - a[j]);
          grad += (double) g[j] * g[j];
        }
      }
      moved = Math.sqrt(moved);
      grad = Math.sqrt(grad);
      largest = Math.max(largest, grad);
      double expected = 0.01 * grad * Math.min(1, 1 / (grad + 1e-6));
      assertEquals(expected, moved, expected * 2e-3, name + ": step " + step + ", |g| " + grad);
    }
    // Both regimes are covered: W4's gradients exceed the clip at this seed, W2's do not.
    assertEquals(clips, largest > 1, name + ": largest gradient norm " + largest);
  }

  @Test
  void sameSeedSameLosses() throws IOException {
    Workload a = Workloads.create("deep-narrow", 7, STAND_IN, StandIn.SIZES);
    Workload b = Workloads.create("deep-narrow", 7, STAND_IN, StandIn.SIZES);
    Workload c = Workloads.create("deep-narrow", 8, STAND_IN, StandIn.SIZES);
    double la = 0;
    double lb = 0;
    for (int i = 0; i < 3; i++) {
      la = a.step();
      lb = b.step();
    }
    assertEquals(la, lb, 0.0);
    c.step();
    c.step();
    assertFalse(la == c.step());
  }

  @Test
  void fashionWorkloadsReportTestAccuracyAndTheOthersSayWhyNot() throws IOException {
    Workload mlp = Workloads.create("mlp", 0, STAND_IN);
    assertTrue(mlp.hasTestSplit());
    assertEquals(1, mlp.stepsPerEpoch()); // 4 stand-in examples, one short batch
    double acc = mlp.testAccuracy();
    assertTrue(acc >= 0 && acc <= 1 && acc * 24 == Math.rint(acc * 24), "accuracy " + acc);
    assertTrue(mlp.model().isTraining());
    Workload rnn = Workloads.create("rnn-adding", 0, STAND_IN, StandIn.SIZES);
    assertFalse(rnn.hasTestSplit());
    assertEquals(StandIn.SIZES.addingBatches(), rnn.stepsPerEpoch());
    IllegalStateException e = assertThrows(IllegalStateException.class, rnn::testAccuracy);
    assertTrue(e.getMessage().contains("rnn-adding"), e.getMessage());
  }

  /** The FLOP formulas of torch_workloads.py, evaluated by hand for W1, W2 and W4. */
  @Test
  void flopsPerStepMatchThePytorchScript() throws IOException {
    assertEquals(155_058_176L, Workloads.create("mlp", 0, STAND_IN).flopPerStep());
    // deep-narrow: s = 49·4096 + 640 = 201344; 4·32·s + 2·32·(s − 4096)
    assertEquals(
        4L * 32 * 201_344 + 2L * 32 * (201_344 - 4096),
        Workloads.create("deep-narrow", 0, STAND_IN, StandIn.SIZES).flopPerStep());
    assertEquals(639_025_152L, Workloads.create("rnn-adding", 0, STAND_IN).flopPerStep());
  }

  @Test
  void unknownWorkloadIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Workloads.create("vgg", 0, STAND_IN));
    assertTrue(e.getMessage().contains("\"vgg\"") && e.getMessage().contains("rnn-adding"));
  }

  private static List<Tensor> copies(List<Parameter> params) {
    return params.stream().map(p -> p.value().copy()).toList();
  }
}
