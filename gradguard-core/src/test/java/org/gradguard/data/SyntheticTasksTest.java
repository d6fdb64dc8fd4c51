package org.gradguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SyntheticTasksTest {

  private static int[] counts(TensorDataset ds) {
    int[] c = new int[ds.numClasses()];
    for (float y : ds.targets().data()) {
      c[(int) y]++;
    }
    return c;
  }

  @Test
  void addingTargetIsTheSumOfTheTwoMarkedValuesOneMarkerPerHalf() {
    for (int steps : new int[] {2, 7, 100}) {
      TensorDataset ds = AddingProblem.generate(200, steps, 11);
      assertArrayEquals(new int[] {200, steps, 2}, ds.inputs().shape());
      assertArrayEquals(new int[] {200, 1}, ds.targets().shape());
      assertEquals(0, ds.numClasses());
      Tensor x = ds.inputs();
      int half = steps / 2;
      for (int i = 0; i < 200; i++) {
        int first = 0;
        int second = 0;
        float sum = 0;
        for (int t = 0; t < steps; t++) {
          float v = x.get(i, t, 0);
          assertTrue(v >= 0 && v < 1, "value " + v);
          float m = x.get(i, t, 1);
          assertTrue(m == 0 || m == 1);
          if (m == 1) {
            sum += v;
            if (t < half) {
              first++;
            } else {
              second++;
            }
          }
        }
        assertEquals(1, first, "markers in the first half");
        assertEquals(1, second, "markers in the second half");
        assertEquals(sum, ds.targets().get(i, 0));
      }
    }
  }

  @Test
  void addingIsReproducibleAndPrefixStable() {
    TensorDataset a = AddingProblem.generate(50, 20, 3);
    TensorDataset b = AddingProblem.generate(80, 20, 3);
    assertTrue(a.inputs().bitEquals(b.inputs().slice(0, 0, 50)));
    assertFalse(a.inputs().bitEquals(AddingProblem.generate(50, 20, 4).inputs()));
    assertTrue(a.description().contains("seed 3") && a.description().contains("length 20"));
    Batch batch = a.batch(new int[] {0, 1, 2});
    assertArrayEquals(new int[] {20, 3, 2}, batch.sequenceMajorInputs().shape());
  }

  @Test
  void teacherLabelsAreReproducibleFromTheSeedAndDifferForAnother() {
    TensorDataset a = TeacherTask.teacher(500, 8, 4, 16, 5, TeacherTask.Activation.TANH, 1);
    TensorDataset b = TeacherTask.teacher(500, 8, 4, 16, 5, TeacherTask.Activation.TANH, 1);
    TensorDataset c = TeacherTask.teacher(500, 8, 4, 16, 5, TeacherTask.Activation.TANH, 2);
    assertTrue(a.inputs().bitEquals(b.inputs()) && a.targets().bitEquals(b.targets()));
    assertFalse(a.targets().bitEquals(c.targets()));
    assertArrayEquals(new int[] {500, 8}, a.inputs().shape());
    assertEquals(5, a.numClasses());
    int used = 0;
    for (int k : counts(a)) {
      used += k > 0 ? 1 : 0;
    }
    assertTrue(used >= 3, "a random teacher uses several classes");
    // The same teacher labels a longer pool whose prefix is the shorter one.
    TensorDataset longer = TeacherTask.teacher(900, 8, 4, 16, 5, TeacherTask.Activation.TANH, 1);
    assertTrue(a.targets().bitEquals(longer.targets().slice(0, 0, 500)));
    assertTrue(a.description().contains("seed 1") && a.description().contains("tanh"));
    TensorDataset relu = TeacherTask.teacher(300, 8, 3, 16, 4, TeacherTask.Activation.RELU, 1);
    assertEquals(300, relu.size());
  }

  @Test
  void deepNarrowIsTheW2Task() {
    TensorDataset ds = TeacherTask.deepNarrow(2048, 0);
    assertArrayEquals(new int[] {2048, 64}, ds.inputs().shape());
    assertEquals(10, ds.numClasses());
    for (int k : counts(ds)) {
      assertTrue(k > 50, "every class appears: " + k);
    }
    TensorDataset linear = TeacherTask.teacher(2048, 64, 0, 1, 10, TeacherTask.Activation.TANH, 0);
    assertTrue(ds.targets().bitEquals(linear.targets()));
    assertTrue(ds.description().contains("W2"));
    assertEquals(65_536, TeacherTask.DEEP_NARROW_POOL);
  }

  @Test
  void spiralsAreBalancedAndShaped() {
    TensorDataset ds = SyntheticTasks.spirals(301, 3, 0.05, 9);
    assertArrayEquals(new int[] {301, 2}, ds.inputs().shape());
    assertArrayEquals(new int[] {101, 100, 100}, counts(ds));
    TensorDataset clean = SyntheticTasks.spirals(300, 3, 0, 9);
    for (int i = 0; i < 300; i++) {
      double r = Math.hypot(clean.inputs().get(i, 0), clean.inputs().get(i, 1));
      assertTrue(r > 0 && r < 1.0001, "radius " + r);
    }
    assertTrue(ds.inputs().bitEquals(SyntheticTasks.spirals(301, 3, 0.05, 9).inputs()));
    assertTrue(ds.description().contains("3 arms") && ds.description().contains("seed 9"));
  }

  @Test
  void blobsAreBalancedShapedAndClustered() {
    TensorDataset ds = SyntheticTasks.blobs(400, 4, 3, 0.5, 5);
    assertArrayEquals(new int[] {400, 3}, ds.inputs().shape());
    assertArrayEquals(new int[] {100, 100, 100, 100}, counts(ds));
    // Points of one class lie within a few std of their class mean.
    double[][] mean = new double[4][3];
    for (int i = 0; i < 400; i++) {
      for (int k = 0; k < 3; k++) {
        mean[i % 4][k] += ds.inputs().get(i, k) / 100.0;
      }
    }
    for (int i = 0; i < 400; i++) {
      double d2 = 0;
      for (int k = 0; k < 3; k++) {
        double d = ds.inputs().get(i, k) - mean[i % 4][k];
        d2 += d * d;
      }
      assertTrue(Math.sqrt(d2) < 3.5, "distance " + Math.sqrt(d2));
    }
  }

  @Test
  void validatesParameters() {
    var e = assertThrows(IllegalArgumentException.class, () -> SyntheticTasks.spirals(10, 1, 0, 0));
    assertEquals("spirals: arms must be >= 2, got 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> AddingProblem.generate(1, 1, 0));
    assertEquals("AddingProblem: steps must be >= 2, got 1", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TeacherTask.teacher(10, 4, -1, 4, 3, TeacherTask.Activation.RELU, 0));
    assertEquals("TeacherTask: depth must be >= 0, got -1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SyntheticTasks.blobs(10, 2, 2, -1, 0));
  }
}
