package org.gradguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gradguard.data.NamedDatasets.Split;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedDatasetsTest {
  @TempDir Path tmp;

  /** Writes a tiny test split (two 2×2 images) into {@code dir}, gzipped or plain. */
  private static Path split(Path dir, boolean gz) throws IOException {
    Files.createDirectories(dir);
    byte[] x = IdxReaderTest.idx(0x803, new int[] {2, 2, 2}, new byte[8]);
    byte[] y = IdxReaderTest.idx(0x801, new int[] {2}, new byte[] {3, 4});
    String s = gz ? ".gz" : "";
    Files.write(dir.resolve("t10k-images-idx3-ubyte" + s), gz ? IdxReaderTest.gzip(x) : x);
    Files.write(dir.resolve("t10k-labels-idx1-ubyte" + s), gz ? IdxReaderTest.gzip(y) : y);
    return dir;
  }

  private Path[] locate(Path explicit, Map<String, String> env) {
    return NamedDatasets.locate(
        "mnist", Split.TEST, explicit, env, tmp.resolve("home"), tmp.resolve("system"));
  }

  @Test
  void searchOrderExplicitThenEnvThenHomeThenSystem() throws IOException {
    Path system = split(tmp.resolve("system/mnist"), true);
    assertEquals(system.resolve("t10k-images-idx3-ubyte.gz"), locate(null, Map.of())[0]);
    Path home = split(tmp.resolve("home/.gradguard/datasets/mnist"), false);
    assertEquals(home.resolve("t10k-labels-idx1-ubyte"), locate(null, Map.of())[1]);
    Path envRoot = split(tmp.resolve("env"), true);
    Map<String, String> env = Map.of(NamedDatasets.ENV, envRoot.toString());
    assertEquals(envRoot.resolve("t10k-images-idx3-ubyte.gz"), locate(null, env)[0]);
    Path envNamed = split(tmp.resolve("env/mnist"), true);
    assertEquals(envNamed.resolve("t10k-images-idx3-ubyte.gz"), locate(null, env)[0]);
    Path explicit = split(tmp.resolve("mine"), false);
    assertEquals(explicit.resolve("t10k-images-idx3-ubyte"), locate(explicit, env)[0]);
    // A directory with only one of the two files does not count.
    Path half = Files.createDirectories(tmp.resolve("half"));
    Files.write(half.resolve("t10k-images-idx3-ubyte"), new byte[0]);
    assertEquals(envNamed.resolve("t10k-images-idx3-ubyte.gz"), locate(half, env)[0]);
  }

  @Test
  void missingFilesListEveryPlaceAndHowToGetThem() {
    Map<String, String> env = Map.of(NamedDatasets.ENV, tmp.resolve("data").toString());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NamedDatasets.locate(
                    "fashion-mnist",
                    Split.TRAIN,
                    tmp.resolve("x"),
                    env,
                    tmp.resolve("home"),
                    tmp.resolve("system")));
    String m = e.getMessage();
    for (String place :
        new String[] {
          tmp.resolve("x").toString(),
          tmp.resolve("data/fashion-mnist").toString(),
          tmp.resolve("data") + " ($GRADGUARD_DATA)",
          tmp.resolve("home/.gradguard/datasets/fashion-mnist").toString(),
          tmp.resolve("system/fashion-mnist").toString(),
          "apt-get install dataset-fashion-mnist",
          "train-images-idx3-ubyte"
        }) {
      assertTrue(m.contains(place), place + " missing from: " + m);
    }
    e =
        assertThrows(
            IllegalArgumentException.class, () -> NamedDatasets.locate("cifar", Split.TEST, null));
    assertTrue(e.getMessage().contains("cifar"), e.getMessage());
  }

  @Test
  void loadsFromAnExplicitDirectory() throws IOException {
    Path dir = split(tmp.resolve("mnist"), true);
    TensorDataset ds = NamedDatasets.load("mnist", Split.TEST, dir, IdxReader.Layout.FLAT);
    assertArrayEquals(new int[] {4}, ds.featureShape());
    assertEquals(10, ds.numClasses());
    assertTrue(ds.description().startsWith("mnist test: 2 examples"), ds.description());
  }

  @Test
  void fashionMnistTestSplitIfInstalled() throws IOException {
    try {
      NamedDatasets.locate("fashion-mnist", Split.TEST, null);
    } catch (IllegalArgumentException e) {
      Assumptions.abort(
          "Fashion-MNIST not installed; on Debian `apt-get install dataset-fashion-mnist`, or"
              + " put the four IDX files in ~/.gradguard/datasets/fashion-mnist. "
              + e.getMessage());
    }
    TensorDataset ds = NamedDatasets.load("fashion-mnist", Split.TEST, IdxReader.Layout.NCHW);
    assertEquals(10_000, ds.size());
    assertArrayEquals(new int[] {1, 28, 28}, ds.featureShape());
    assertEquals(10, ds.numClasses());
    assertEquals("Ankle boot", ds.classNames().get(9));
    Tensor x = ds.inputs();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : x.data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
    int[] counts = new int[10];
    for (float y : ds.targets().data()) {
      counts[(int) y]++;
    }
    assertArrayEquals(
        new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, counts);
  }
}
