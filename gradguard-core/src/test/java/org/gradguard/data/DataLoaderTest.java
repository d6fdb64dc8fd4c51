package org.gradguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

  /** Ten examples whose single feature and label both equal the index (label mod 3). */
  private static TensorDataset indexed(int n) {
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = i % 3;
    }
    return TensorDataset.classification(Tensor.wrap(x, n, 1), Tensor.wrap(y, n), 3, "indexed");
  }

  private static int[] ids(Batch b) {
    float[] d = b.inputs().data();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (int) d[i];
    }
    return out;
  }

  private static List<int[]> epoch(DataLoader loader) {
    List<int[]> out = new ArrayList<>();
    for (Batch b : loader.epoch()) {
      out.add(ids(b));
    }
    return out;
  }

  @Test
  void everyIndexExactlyOncePerEpoch() {
    DataLoader loader = new DataLoader(indexed(10), 3, 7);
    assertEquals(4, loader.batchesPerEpoch());
    for (int e = 0; e < 3; e++) {
      int[] seen = new int[10];
      List<int[]> batches = epoch(loader);
      assertEquals(4, batches.size());
      assertEquals(1, batches.get(3).length, "last short batch kept");
      for (int[] b : batches) {
        for (int i : b) {
          seen[i]++;
        }
      }
      int[] ones = new int[10];
      Arrays.fill(ones, 1);
      assertArrayEquals(ones, seen, "epoch " + e);
      assertEquals(new DataLoader.Position(e + 1, 0), loader.position());
    }
  }

  @Test
  void labelsTravelWithInputs() {
    DataLoader loader = new DataLoader(indexed(10), 4, 1);
    Batch b = loader.next();
    int[] x = ids(b);
    int[] y = b.labels();
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i] % 3, y[i]);
    }
  }

  @Test
  void dropLastLeavesOutTheShortBatch() {
    DataLoader loader = new DataLoader(indexed(10), 3, true, true, 7);
    assertEquals(3, loader.batchesPerEpoch());
    List<int[]> batches = epoch(loader);
    assertEquals(3, batches.size());
    batches.forEach(b -> assertEquals(3, b.length));
  }

  @Test
  void sameSeedSameOrderDifferentEpochsDiffer() {
    DataLoader a = new DataLoader(indexed(100), 10, 42);
    DataLoader b = new DataLoader(indexed(100), 10, 42);
    for (int e = 0; e < 3; e++) {
      assertArrayEquals(a.order(e), b.order(e));
    }
    assertFalse(Arrays.equals(a.order(0), a.order(1)));
    assertFalse(Arrays.equals(a.order(0), new DataLoader(indexed(100), 10, 43).order(0)));
  }

  @Test
  void noShuffleIsTheIdentity() {
    DataLoader loader = new DataLoader(indexed(5), 2, false, false, 0);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, loader.order(3));
    assertArrayEquals(new int[] {4}, loader.batchIndices(0, 2));
  }

  @Test
  void restoringThePositionReproducesTheRestOfTheEpoch() {
    DataLoader original = new DataLoader(indexed(50), 8, 5);
    original.next(); // epoch 0
    for (int i = 0; i < 7; i++) {
      original.next(); // through epoch 1, batch 0
    }
    original.next();
    DataLoader.Position saved = original.position();
    assertEquals(new DataLoader.Position(1, 2), saved);
    List<int[]> expected = epoch(original);
    List<int[]> next = epoch(original);

    DataLoader resumed = new DataLoader(indexed(50), 8, 5);
    resumed.seek(saved);
    List<int[]> got = epoch(resumed);
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < got.size(); i++) {
      assertArrayEquals(expected.get(i), got.get(i));
    }
    List<int[]> gotNext = epoch(resumed);
    for (int i = 0; i < gotNext.size(); i++) {
      assertArrayEquals(next.get(i), gotNext.get(i));
    }
  }

  @Test
  void nextCrossesEpochBoundaries() {
    DataLoader loader = new DataLoader(indexed(4), 2, 3);
    loader.next();
    loader.next();
    assertEquals(new DataLoader.Position(1, 0), loader.position());
    assertArrayEquals(loader.batchIndices(1, 0), ids(loader.next()));
  }

  @Test
  void seekToEndOfEpochMeansStartOfNext() {
    DataLoader loader = new DataLoader(indexed(4), 2, 3);
    loader.seek(new DataLoader.Position(2, 2));
    assertEquals(new DataLoader.Position(3, 0), loader.position());
  }

  @Test
  void validatesArgumentsNamingParameterAndValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(indexed(4), 0, 1));
    assertEquals("DataLoader: batchSize must be > 0, got 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new DataLoader(indexed(4), 5, true, true, 1));
    assertTrue(e.getMessage().contains("batchSize 5"), e.getMessage());
    DataLoader loader = new DataLoader(indexed(4), 2, 1);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> loader.seek(new DataLoader.Position(0, 3)));
    assertTrue(e.getMessage().contains("batch 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DataLoader.Position(-1, 0));
  }

  @Test
  void descriptionCarriesSettingsAndDataset() {
    String d = new DataLoader(indexed(4), 2, 9).description();
    assertTrue(d.contains("batchSize=2") && d.contains("seed=9") && d.contains("indexed"), d);
  }

  @Test
  void pytorchOrderIsTorchRandpermOncePerEpoch() {
    // g = torch.Generator().manual_seed(0); torch.randperm(10, generator=g) twice.
    DataLoader loader = new DataLoader(indexed(10), 4, false, EpochOrder.pytorch(0));
    assertArrayEquals(new int[] {4, 1, 7, 5, 3, 9, 0, 8, 6, 2}, loader.order(0));
    assertArrayEquals(new int[] {3, 9, 4, 2, 7, 8, 6, 0, 5, 1}, loader.order(1));
    // An earlier epoch after a later one replays from the seed; a fresh order gives the same.
    assertArrayEquals(new int[] {4, 1, 7, 5, 3, 9, 0, 8, 6, 2}, loader.order(0));
    assertArrayEquals(loader.order(1), EpochOrder.pytorch(0).order(10, 1));
    assertArrayEquals(new int[] {3, 9, 4, 2}, loader.batchIndices(1, 0));
    assertArrayEquals(new int[] {5, 1}, loader.batchIndices(1, 2));
  }

  @Test
  void theSeededConstructorKeepsItsOrderAndSequentialIsTheIdentity() {
    DataLoader seeded = new DataLoader(indexed(50), 8, true, false, 3);
    DataLoader explicit = new DataLoader(indexed(50), 8, false, EpochOrder.shuffled(3));
    assertArrayEquals(seeded.order(2), explicit.order(2));
    int[] identity = new DataLoader(indexed(5), 2, false, EpochOrder.sequential()).order(4);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, identity);
    assertThrows(IllegalArgumentException.class, () -> new DataLoader(indexed(5), 2, false, null));
  }
}
