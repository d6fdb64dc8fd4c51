package org.gradguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ByteImageDatasetTest {
  private static final byte[] PIXELS = {0, 1, (byte) 128, (byte) 255, 7, 51};

  private static ByteImageDataset dataset() {
    return new ByteImageDataset(
        PIXELS, new int[] {1, 1, 2}, Tensor.wrap(new float[] {2, 0, 1}, 3), 3, null, "toy");
  }

  @Test
  void batchConvertsTheChosenImagesByHand() {
    Batch b = dataset().batch(new int[] {1, 0, 1});
    assertArrayEquals(new int[] {3, 1, 1, 2}, b.inputs().shape());
    assertArrayEquals(
        new float[] {128 / 255f, 1f, 0f, 1 / 255f, 128 / 255f, 1f}, b.inputs().data());
    assertArrayEquals(new int[] {0, 2, 0}, b.labels());
  }

  @Test
  void describesItself() {
    ByteImageDataset ds = dataset();
    assertEquals(3, ds.size());
    assertArrayEquals(new int[] {1, 1, 2}, ds.featureShape());
    assertArrayEquals(new int[0], ds.targetShape());
    assertEquals(List.of("0", "1", "2"), ds.classNames());
    assertEquals("toy", ds.description());
    ds.featureShape()[0] = 9; // a copy
    assertArrayEquals(new int[] {1, 1, 2}, ds.featureShape());
  }

  @Test
  void rejectsBadArgumentsNamingThem() {
    Tensor labels = Tensor.wrap(new float[] {2, 0, 1}, 3);
    var count =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ByteImageDataset(PIXELS, new int[] {3}, labels, 3, null, "toy"));
    assertTrue(
        count.getMessage().startsWith("ByteImageDataset: pixels holds 6"), count.getMessage());
    var shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ByteImageDataset(PIXELS, new int[] {0, 2}, labels, 3, null, "toy"));
    assertTrue(shape.getMessage().contains("featureShape"), shape.getMessage());
    var label =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ByteImageDataset(PIXELS, new int[] {2}, labels, 2, null, "toy"));
    assertTrue(
        label.getMessage().startsWith("ByteImageDataset: label 0 is 2.0"), label.getMessage());
    var names =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ByteImageDataset(PIXELS, new int[] {2}, labels, 3, List.of("a"), "toy"));
    assertTrue(names.getMessage().contains("1 class names"), names.getMessage());
    ByteImageDataset ds = dataset();
    var index = assertThrows(IllegalArgumentException.class, () -> ds.batch(new int[] {3}));
    assertTrue(index.getMessage().contains("index 3 out of range [0, 3)"), index.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ds.batch(new int[0]));
  }

  @Test
  void firstKeepsAPrefixAsItsOwnCopy() {
    ByteImageDataset two = dataset().first(2, "toy; first 2");
    assertEquals(2, two.size());
    assertEquals("toy; first 2", two.description());
    assertEquals(3, two.numClasses());
    Batch b = two.batch(new int[] {1, 0});
    assertArrayEquals(new float[] {128 / 255f, 1f, 0f, 1 / 255f}, b.inputs().data());
    assertArrayEquals(new int[] {0, 2}, b.labels());
    assertThrows(IllegalArgumentException.class, () -> two.batch(new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> dataset().first(0, "none"));
    assertThrows(IllegalArgumentException.class, () -> dataset().first(4, "too many"));
  }

  @Test
  void selectKeepsTheChosenImagesInOrderAsItsOwnCopy() {
    ByteImageDataset picked = dataset().select(new int[] {2, 0}, "toy; 2 and 0");
    assertEquals(2, picked.size());
    assertEquals("toy; 2 and 0", picked.description());
    Batch b = picked.batch(new int[] {0, 1});
    assertArrayEquals(new float[] {7 / 255f, 51 / 255f, 0f, 1 / 255f}, b.inputs().data());
    assertArrayEquals(new int[] {1, 2}, b.labels());
    assertThrows(IllegalArgumentException.class, () -> dataset().select(new int[0], "none"));
    assertThrows(IllegalArgumentException.class, () -> dataset().select(new int[] {3}, "past"));
    assertThrows(IllegalArgumentException.class, () -> dataset().select(new int[] {-1}, "neg"));
  }
}
