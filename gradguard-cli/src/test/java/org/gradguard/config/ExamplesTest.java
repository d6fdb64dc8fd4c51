package org.gradguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The configs in {@code examples/} parse, validate, and their models fit their data. */
class ExamplesTest {
  static final Path DIR = Path.of("../examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void theIssuesExamplesExist() throws IOException {
    List<String> names = examples().map(p -> p.getFileName().toString()).toList();
    assertTrue(
        names.containsAll(
            List.of(
                "five-remedies.yaml",
                "fashion-mlp.yaml",
                "fashion-resmlp-bn.yaml",
                "fashion-cnn.yaml",
                "rnn-adding.yaml",
                "exploding-relu.yaml",
                "linear-regression.yaml")),
        names.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validatesAndEveryModelFitsItsData(Path file) {
    ExperimentConfig e = ConfigLoader.load(file, file.toString(), List.of());
    assertTrue(!e.description().isEmpty(), "every example says what it shows");
    RunFactory.checkShapes(e.base(), new Origin(e.source(), ""));
    for (Variant v : e.variants()) {
      assertTrue(RunFactory.checkShapes(v.config(), Origin.of(e, v)), v.name());
    }
  }

  @Test
  void fiveRemediesIsADeepSigmoidNetWithOneVariantPerRemedy() {
    Path file = DIR.resolve("five-remedies.yaml");
    ExperimentConfig e = ConfigLoader.load(file, file.toString(), List.of());
    ModelConfig.Mlp base = assertInstanceOf(ModelConfig.Mlp.class, e.base().model());
    assertTrue(base.depth() >= 12 && base.depth() <= 20, "12 to 20 layers");
    assertEquals(ActivationName.SIGMOID, base.activation());
    assertInstanceOf(DataConfig.Teacher.class, e.base().data());
    assertEquals(
        List.of(
            "baseline",
            "smaller-lr",
            "clipping",
            "l2",
            "residual",
            "batch-norm",
            "he-relu",
            "adam"),
        e.variants().stream().map(Variant::name).toList());
    RunConfig he = e.variant("he-relu").orElseThrow().config();
    assertEquals(ActivationName.RELU, ((ModelConfig.Mlp) he.model()).activation());
    assertEquals(InitConfig.Kind.KAIMING_NORMAL, he.model().init().kind());
    assertTrue(((ModelConfig.Mlp) e.variant("residual").orElseThrow().config().model()).residual());
    assertEquals(
        ModelConfig.Norm.BATCH,
        ((ModelConfig.Mlp) e.variant("batch-norm").orElseThrow().config().model()).norm());
    assertTrue(e.variant("l2").orElseThrow().config().regularization().l2() > 0);
    assertInstanceOf(
        ClippingConfig.Norm.class, e.variant("clipping").orElseThrow().config().clipping());
    assertInstanceOf(
        OptimizerConfig.Adam.class, e.variant("adam").orElseThrow().config().optimizer());
    assertTrue(
        e.variant("smaller-lr").orElseThrow().config().optimizer().lr()
            < e.base().optimizer().lr());
  }
}
