package org.gradguard.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gradguard.data.Batch;
import org.gradguard.data.Dataset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataBuilderTest {
  private static final Origin ORIGIN = new Origin(Source.of("t.yaml"), "");

  @TempDir Path tmp;

  private static DataBuilder.LoadedData load(String data) {
    RunConfig r = Configs.parse("data: " + data + "\nmodel: {depth: 1}\n").base();
    return DataBuilder.load(r.data(), r.model(), ORIGIN);
  }

  @Test
  void validationSplitHoldsOutASeededSubset() {
    DataBuilder.LoadedData d =
        load("{name: blobs, n: 200, dim: 3, validation_split: 0.25, seed: 4}");
    assertEquals(150, d.train().size());
    assertEquals(50, d.validation().size());
    assertArrayEquals(new int[] {3}, d.shape().featureShape());
    assertEquals(3, d.shape().numClasses());
    // The two parts partition the examples: no input row appears in both.
    Set<Float> firstCoords = new HashSet<>();
    for (int i = 0; i < 150; i++) {
      firstCoords.add(all(d.train()).inputs().data()[3 * i]);
    }
    for (int i = 0; i < 50; i++) {
      assertTrue(!firstCoords.contains(all(d.validation()).inputs().data()[3 * i]));
    }
    // The same seed gives the same split; another seed another.
    assertArrayEquals(
        all(d.validation()).inputs().data(),
        load("{name: blobs, n: 200, dim: 3, validation_split: 0.25, seed: 4}")
            .validation()
            .batch(indices(50))
            .inputs()
            .data());
  }

  @Test
  void noValidationWhenTheSplitIsZero() {
    DataBuilder.LoadedData d = load("{name: spirals, n: 30, validation_split: 0}");
    assertEquals(30, d.train().size());
    assertNull(d.validation());
  }

  @Test
  void aSplitThatLeavesNothingIsAnError() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> load("{name: spirals, n: 3, validation_split: 0.9}"));
    assertEquals(
        "t.yaml: data.validation_split: holding out 0.9 of 3 examples leaves none for training",
        e.getMessage());
  }

  @Test
  void linearRegressionHasTheRequestedFeatureScales() {
    DataBuilder.LoadedData d =
        load("{name: linear-regression, n: 2000, scales: [1, 100], noise: 0, validation_split: 0}");
    Batch t = all(d.train());
    assertArrayEquals(new int[] {1}, d.train().targetShape());
    double[] ss = new double[2];
    for (int i = 0; i < 2000; i++) {
      for (int j = 0; j < 2; j++) {
        double v = t.inputs().data()[2 * i + j];
        ss[j] += v * v;
      }
    }
    assertEquals(1.0, Math.sqrt(ss[0] / 2000), 0.1);
    assertEquals(100.0, Math.sqrt(ss[1] / 2000), 10);
  }

  @Test
  void adddingProblemGivesSequences() {
    DataBuilder.LoadedData d = load("{name: adding, n: 16, steps: 7, validation_split: 0.25}");
    assertArrayEquals(new int[] {7, 2}, d.shape().featureShape());
    assertEquals(0, d.shape().numClasses());
    assertEquals(12, d.train().size());
  }

  @Test
  void csvWithATestFileAlignsNamedClasses() throws IOException {
    Files.writeString(tmp.resolve("train.csv"), "a,b,y\n1,2,cat\n3,4,dog\n5,6,cat\n");
    Files.writeString(tmp.resolve("test.csv"), "a,b,y\n7,8,dog\n9,10,cat\n");
    RunConfig r =
        ConfigLoader.parse(
                (com.fasterxml.jackson.databind.node.ObjectNode)
                    Yaml.readValue(
                        "data: {name: csv, path: train.csv, test_path: test.csv, label: y}\n"
                            + "model: {depth: 1}\n",
                        "t.yaml"),
                Source.of("t.yaml"),
                tmp,
                "t")
            .base();
    DataBuilder.LoadedData d = DataBuilder.load(r.data(), r.model(), ORIGIN);
    assertEquals(3, d.train().size());
    assertEquals(2, d.validation().size());
    // Training: cat = 0, dog = 1; the test file's first row (dog) must be class 1 too.
    assertEquals(1f, all(d.validation()).targets().data()[0]);
    assertEquals(0f, all(d.validation()).targets().data()[1]);
  }

  @Test
  void csvErrorsNameTheKeyTheFileAndTheLine() throws IOException {
    Files.writeString(tmp.resolve("bad.csv"), "a,b,y\n1,2,0\n3,x,1\n");
    RunConfig r =
        ConfigLoader.parse(
                (com.fasterxml.jackson.databind.node.ObjectNode)
                    Yaml.readValue(
                        "data: {name: csv, path: bad.csv, label: y}\nmodel: {depth: 1}\n",
                        "t.yaml"),
                Source.of("t.yaml"),
                tmp,
                "t")
            .base();
    ConfigException e =
        assertThrows(ConfigException.class, () -> DataBuilder.load(r.data(), r.model(), ORIGIN));
    assertTrue(e.getMessage().startsWith("t.yaml: data.path: CSV file "), e.getMessage());
    assertTrue(e.getMessage().contains("bad.csv, line 3"), e.getMessage());
  }

  @Test
  void fashionMnistHoldsOutValidationDataAndKeepsItsTestSplitForTheEnd() {
    Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
        "Fashion-MNIST is not installed (dataset-fashion-mnist)");
    RunConfig plain =
        Configs.parse("data: {name: fashion-mnist, subset: 1000}\nmodel: {depth: 1}\n").base();
    DataBuilder.LoadedData onTest = DataBuilder.load(plain.data(), plain.model(), ORIGIN);
    assertEquals(1000, onTest.train().size());
    assertEquals(10000, onTest.validation().size());
    assertNull(onTest.test());

    RunConfig held =
        Configs.parse(
                "data: {name: fashion-mnist, subset: 1000, validation_split: 0.1, seed: 3}\n"
                    + "model: {depth: 1}\n")
            .base();
    DataBuilder.LoadedData d = DataBuilder.load(held.data(), held.model(), ORIGIN);
    assertEquals(900, d.train().size());
    assertEquals(100, d.validation().size());
    assertEquals(10000, d.test().size());
    // the two parts together are the 1,000 training images: their label counts add up
    int[] counts = new int[10];
    for (Dataset part : List.of(d.train(), d.validation())) {
      for (int label : all(part).labels()) {
        counts[label]++;
      }
    }
    int[] expected = new int[10];
    for (int label : all(onTest.train()).labels()) {
      expected[label]++;
    }
    assertArrayEquals(expected, counts);
  }

  @Test
  void describeKnowsShapesWithoutLoading() {
    RunConfig cnn = Configs.parse("data: {name: fashion-mnist}\nmodel: {type: cnn}\n").base();
    assertArrayEquals(
        new int[] {1, 28, 28}, DataBuilder.describe(cnn.data(), cnn.model()).featureShape());
    RunConfig mlp = Configs.parse("data: {name: mnist}\nmodel: {depth: 1}\n").base();
    assertArrayEquals(
        new int[] {784}, DataBuilder.describe(mlp.data(), mlp.model()).featureShape());
    RunConfig csv =
        Configs.parse("data: {name: csv, path: x.csv, label: y}\nmodel: {depth: 1}\n").base();
    assertNull(DataBuilder.describe(csv.data(), csv.model()));
  }

  /** Every example of {@code d}, in order, as one batch. */
  private static Batch all(Dataset d) {
    return d.batch(indices(d.size()));
  }

  private static int[] indices(int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    return idx;
  }
}
