package org.gradguard.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Tests of the golden harness itself, with a fake "identity" kind registered only here. */
class GoldenHarnessTest {
  @TempDir Path dir;

  /** out = x; grad x = upstream out. */
  private static final GoldenKind IDENTITY =
      c -> GoldenResult.builder().output("out", c.input("x")).grad("x", c.upstream("out")).build();

  private static Map<String, Object> tensor(int[] shape, double... data) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("shape", shape);
    t.put("dtype", "float64");
    t.put("data", data);
    return t;
  }

  /** An identity case whose expected output is {@code expectedOut}. */
  private static Map<String, Object> identityCase(String name, double[] expectedOut) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", 1);
    m.put("kind", "identity");
    m.put("name", name);
    m.put("description", "out = x");
    m.put("params", Map.of());
    m.put("inputs", Map.of("x", tensor(new int[] {2, 2}, 0.25, -1.5, 3.0, 0.0)));
    m.put("upstream", Map.of("out", tensor(new int[] {2, 2}, 1, 2, 3, 4)));
    m.put("outputs", Map.of("out", tensor(new int[] {2, 2}, expectedOut)));
    m.put("grads", Map.of("x", tensor(new int[] {2, 2}, 1, 2, 3, 4)));
    m.put("tolerance", Map.of("rtol", 1e-4, "atol", 1e-6));
    return m;
  }

  private Path write(Map<String, Object> golden) throws IOException {
    Path f = dir.resolve(golden.get("kind") + "__" + golden.get("name") + ".json");
    Files.writeString(f, Json.writePretty(golden));
    return f;
  }

  private static GoldenCase parse(Map<String, Object> golden) {
    return GoldenCase.parse(
        golden.get("kind") + "__" + golden.get("name") + ".json", Json.write(golden));
  }

  private List<DynamicTest> tests(GoldenKinds kinds, ByteArrayOutputStream log) throws IOException {
    return GoldenSuite.tests(dir, kinds, new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  private static AssertionFailedError failure(GoldenCase c, GoldenResult r) {
    return assertThrows(AssertionFailedError.class, () -> GoldenCheck.assertMatches(c, r));
  }

  // ---------------------------------------------------------------- the suite

  @Test
  void runsRegisteredKindsAndSkipsOthersByName() throws Throwable {
    write(identityCase("ok", new double[] {0.25, -1.5, 3.0, 0.0}));
    write(identityCase("wrong", new double[] {0.25, -1.5, 3.1, 0.0}));
    Map<String, Object> lstm = identityCase("basic", new double[] {0.25, -1.5, 3.0, 0.0});
    lstm.put("kind", "lstm");
    write(lstm);
    Files.writeString(dir.resolve("README.md"), "not a case");

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<DynamicTest> tests = tests(new GoldenKinds().register("identity", IDENTITY), log);

    assertEquals(
        List.of("identity__ok", "identity__wrong", "lstm__basic"),
        tests.stream().map(DynamicTest::getDisplayName).toList());
    tests.get(0).getExecutable().execute();
    AssertionFailedError wrong =
        assertThrows(AssertionFailedError.class, () -> tests.get(1).getExecutable().execute());
    assertTrue(wrong.getMessage().startsWith("identity__wrong.json (rtol 1.0E-4, atol 1.0E-6):"));
    TestAbortedException aborted =
        assertThrows(TestAbortedException.class, () -> tests.get(2).getExecutable().execute());
    assertEquals("golden kind 'lstm' is not implemented yet", aborted.getMessage());
    String printed = log.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains("golden: skipped kind 'lstm' (1 case): not implemented yet"), printed);
    assertTrue(printed.contains("2 cases of 1 registered kinds run, 1 not"), printed);
  }

  @Test
  void anInvalidFileIsAFailingTestNotACrash() throws IOException {
    Map<String, Object> bad = identityCase("bad", new double[] {1, 2, 3});
    write(bad);
    List<DynamicTest> tests = tests(new GoldenKinds(), new ByteArrayOutputStream());
    AssertionError e =
        assertThrows(AssertionError.class, () -> tests.get(0).getExecutable().execute());
    assertEquals(
        "invalid golden file: identity__bad.json: outputs.out: data has 3 numbers but shape [2, 2]"
            + " needs 4",
        e.getMessage());
  }

  @Test
  void anEmptyDirectoryFails() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> tests(new GoldenKinds(), new ByteArrayOutputStream()));
    assertEquals("no golden *.json files in " + dir, e.getMessage());
  }

  @Test
  void registeringAKindTwiceFails() {
    GoldenKinds kinds = new GoldenKinds().register("identity", IDENTITY);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> kinds.register("identity", IDENTITY));
    assertEquals("golden kind 'identity' is registered twice", e.getMessage());
  }

  // ---------------------------------------------------------------- the comparison

  @Test
  void aWrongValueReportsIndexActualExpectedAndTolerance() {
    GoldenCase c = parse(identityCase("w", new double[] {0.25, -1.5, 3.1, 0.0}));
    AssertionFailedError e = failure(c, assertDoesNotThrow(() -> IDENTITY.run(c)));
    assertEquals(
        "identity__w.json (rtol 1.0E-4, atol 1.0E-6):\n"
            + "  output 'out': 1 of 4 elements out of tolerance; first at [1, 0] (flat 2): actual"
            + " 3.0, expected 3.1, |diff| 0.10000000000000009 > tolerance 3.11E-4"
            + " (atol 1.0E-6 + rtol 1.0E-4 * |expected|); largest |diff| 0.10000000000000009 at"
            + " [1, 0]",
        e.getMessage());
  }

  @Test
  void missingExtraAndMisshapenKeysFail() {
    GoldenCase c = parse(identityCase("k", new double[] {0.25, -1.5, 3.0, 0.0}));
    GoldenResult r =
        GoldenResult.builder()
            .output("out", Tensor.zeros(4))
            .grad("weight", Tensor.zeros(2, 2))
            .build();
    assertEquals(
        "identity__k.json (rtol 1.0E-4, atol 1.0E-6):\n"
            + "  output 'out': shape [4] but expected [2, 2]\n"
            + "  grad 'x' is missing from the result (result has [weight])\n"
            + "  grad 'weight' is in the result but not in the file (file has [x])",
        failure(c, r).getMessage());
  }

  @Test
  void toleranceIsAtolPlusRtolTimesExpected() {
    Map<String, Object> m = identityCase("tol", new double[] {100, 0, -100, 0});
    m.put("tolerance", Map.of("rtol", 0.01, "atol", 0.5));
    GoldenCase c = parse(m);
    // tolerance 0.5 + 0.01 * 100 = 1.5 at |expected| = 100, and 0.5 at 0
    GoldenCheck.assertMatches(c, identity(101.5, 0.5, -101.5, -0.5));
    assertTrue(
        failure(c, identity(101.5 + 1e-9, 0, -100, 0))
            .getMessage()
            .contains("1 of 4 elements out of tolerance; first at [0, 0] (flat 0)"));
    assertTrue(
        failure(c, identity(100, 0, -100, 0.5 + 1e-9))
            .getMessage()
            .contains("first at [1, 1] (flat 3)"));
    assertTrue(
        failure(c, identity(100, Double.NaN, -100, Double.POSITIVE_INFINITY))
            .getMessage()
            .contains("2 of 4 elements out of tolerance; first at [0, 1] (flat 1): actual NaN"));
  }

  private static GoldenResult identity(double... out) {
    return GoldenResult.builder()
        .output("out", out, 2, 2)
        .grad("x", new double[] {1, 2, 3, 4}, 2, 2)
        .build();
  }

  @Test
  void doubleResultsAreComparedInDouble() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", 1);
    m.put("kind", "calculate_gain");
    m.put("name", "tanh");
    m.put("params", Map.of("nonlinearity", "tanh"));
    m.put("inputs", Map.of());
    m.put("upstream", Map.of());
    m.put("outputs", Map.of("gain", tensor(new int[0], 5.0 / 3)));
    m.put("grads", Map.of());
    m.put("tolerance", Map.of("rtol", 1e-12, "atol", 0.0));
    GoldenCase c = parse(m);
    GoldenCheck.assertMatches(
        c, GoldenResult.builder().output("gain", new double[] {5.0 / 3}).build());
    GoldenResult asFloat = GoldenResult.builder().output("gain", Tensor.scalar(5f / 3)).build();
    assertTrue(failure(c, asFloat).getMessage().contains("first at [] (flat 0)"));
  }

  // ---------------------------------------------------------------- the case accessors

  @Test
  void typedAccessors() {
    Map<String, Object> m = identityCase("p", new double[] {0.25, -1.5, 3.0, 0.0});
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("in_features", 7);
    params.put("T_0", 10.0);
    params.put("eps", 1e-5);
    params.put("bias", true);
    params.put("norm_type", "inf");
    params.put("kernel_size", List.of(3, 2));
    params.put("betas", List.of(0.9, 0.999));
    params.put("padding_idx", null);
    m.put("params", params);
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("x", tensor(new int[] {2, 2}, 0.25, -1.5, 3.0, 0.0));
    inputs.put("target", Map.of("shape", List.of(3), "dtype", "int64", "data", List.of(2, 0, 1)));
    m.put("inputs", inputs);
    GoldenCase c = parse(m);

    assertEquals("identity", c.kind());
    assertEquals("p", c.name());
    assertEquals("identity__p.json", c.fileName());
    assertEquals(7, c.paramInt("in_features"));
    assertEquals(10, c.paramInt("T_0"));
    assertEquals(1e-5, c.paramDouble("eps"));
    assertEquals(7.0, c.paramDouble("in_features"));
    assertTrue(c.paramBool("bias"));
    assertEquals("inf", c.paramString("norm_type"));
    assertArrayEquals(new int[] {3, 2}, c.paramIntList("kernel_size"));
    assertArrayEquals(new double[] {0.9, 0.999}, c.paramDoubleList("betas"));
    assertTrue(c.paramIsNull("padding_idx"));
    assertEquals(List.of("x", "target"), List.copyOf(c.inputNames()));
    assertArrayEquals(new int[] {2, 0, 1}, c.inputInts("target"));
    assertArrayEquals(new int[] {3}, c.inputShape("target"));
    assertArrayEquals(new float[] {2, 0, 1}, c.input("target").data());
    assertArrayEquals(new float[] {0.25f, -1.5f, 3f, 0f}, c.input("x").data());
    assertEquals(List.of("out"), List.copyOf(c.upstreamNames()));
    assertEquals(1e-4, c.rtol());
    assertEquals(1e-6, c.atol());

    assertEquals(
        "identity__p.json: params has no 'momentum' (present: [in_features, T_0, eps, bias,"
            + " norm_type, kernel_size, betas, padding_idx])",
        assertThrows(IllegalArgumentException.class, () -> c.paramDouble("momentum")).getMessage());
    assertEquals(
        "identity__p.json: params.eps is 1.0E-5, expected an int",
        assertThrows(IllegalArgumentException.class, () -> c.paramInt("eps")).getMessage());
    assertEquals(
        "identity__p.json: params.bias is a boolean, expected a string",
        assertThrows(IllegalArgumentException.class, () -> c.paramString("bias")).getMessage());
    assertEquals(
        "identity__p.json: inputs.x: golden tensor is float64, not int64",
        assertThrows(IllegalArgumentException.class, () -> c.inputInts("x")).getMessage());
    assertEquals(
        "identity__p.json: inputs has no 'h0' (present: [x, target])",
        assertThrows(IllegalArgumentException.class, () -> c.input("h0")).getMessage());
  }

  @Test
  void theFileNameMustMatchKindAndName() {
    Map<String, Object> m = identityCase("a", new double[] {0.25, -1.5, 3.0, 0.0});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GoldenCase.parse("identity__b.json", Json.write(m)));
    assertEquals(
        "identity__b.json: kind 'identity' and name 'a' call for file identity__a.json",
        e.getMessage());
  }

  // ---------------------------------------------------------------- the directory

  @Test
  void aMissingDirectoryFailsNamingThePathAndTheVariable() {
    Path missing = dir.resolve("nope");
    AssertionFailedError fromEnv =
        assertThrows(
            AssertionFailedError.class,
            () -> GoldenSuite.resolveDirectory(missing.toString(), null, dir));
    assertEquals(
        "golden vectors not found: GRADGUARD_GOLDEN_DIR="
            + missing
            + " is not a directory ("
            + missing
            + ")",
        fromEnv.getMessage());
    AssertionFailedError fromProperty =
        assertThrows(
            AssertionFailedError.class,
            () -> GoldenSuite.resolveDirectory(null, missing.toString(), dir));
    assertTrue(
        fromProperty.getMessage().contains(missing + " (system property gradguard.golden.dir)"));
    assertTrue(fromProperty.getMessage().contains("Set GRADGUARD_GOLDEN_DIR"));
  }

  @Test
  void resolvesEnvThenPropertyThenRepositoryRoot() throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(repo.resolve(".git"));
    Path sub = Files.createDirectories(repo.resolve("gradguard-core"));
    Path shared = Files.createDirectories(dir.resolve("shared/golden"));
    Path other = Files.createDirectories(dir.resolve("other"));
    assertEquals(other, GoldenSuite.resolveDirectory(other.toString(), shared.toString(), sub));
    assertEquals(other, GoldenSuite.resolveDirectory(null, other.toString(), sub));
    assertEquals(shared, GoldenSuite.resolveDirectory(null, null, sub));
    assertEquals(shared, GoldenSuite.resolveDirectory("", dir.resolve("gone").toString(), sub));
  }
}
