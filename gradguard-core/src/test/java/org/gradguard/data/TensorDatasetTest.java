package org.gradguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TensorDatasetTest {
  private final TensorDataset ds =
      TensorDataset.classification(
          Tensor.arange(12).reshape(3, 2, 2),
          Tensor.vector(2, 0, 1),
          3,
          List.of("a", "b", "c"),
          "tiny");

  @Test
  void batchGathersInputsAndTargetsInIndexOrder() {
    Batch b = ds.batch(new int[] {2, 0, 2});
    assertArrayEquals(new int[] {3, 2, 2}, b.inputs().shape());
    assertArrayEquals(new int[] {1, 2, 1}, b.labels());
    assertEquals(8f, b.inputs().get(0, 0, 0));
    assertEquals(0f, b.inputs().get(1, 0, 0));
    assertArrayEquals(new int[] {2, 2}, ds.featureShape());
    assertArrayEquals(new int[0], ds.targetShape());
    assertEquals(List.of("a", "b", "c"), ds.classNames());
  }

  @Test
  void rejectsBadLabelsAndIndices() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TensorDataset.classification(Tensor.zeros(2, 1), Tensor.vector(0, 1.5f), 2, "bad"));
    assertTrue(e.getMessage().contains("label 1 is 1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ds.batch(new int[] {3}));
    assertTrue(e.getMessage().contains("index 3"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TensorDataset.regression(Tensor.zeros(2, 1), Tensor.zeros(3, 1), "bad"));
  }

  @Test
  void sequenceMajorTransposesBatchAndTime() {
    Batch b = new Batch(Tensor.arange(12).reshape(2, 3, 2), Tensor.zeros(2, 1));
    Tensor s = b.sequenceMajorInputs();
    assertArrayEquals(new int[] {3, 2, 2}, s.shape());
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < 2; i++) {
        for (int f = 0; f < 2; f++) {
          assertEquals(b.inputs().get(i, t, f), s.get(t, i, f));
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> b.labels());
  }
}
