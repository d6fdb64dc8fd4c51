package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.Safetensors;
import org.gradguard.tensor.io.SafetensorsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleFilesTest {
  @TempDir Path dir;

  private static Sequential mlp(long seed, int... widths) {
    Rng rng = new Rng(seed);
    List<Module> layers = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < widths.length; i++) {
      if (i > 0) {
        layers.add(Activation.tanh());
      }
      layers.add(new Linear(widths[i], widths[i + 1], rng));
    }
    return new Sequential(layers);
  }

  private static Tensor run(Module m, Tensor x) {
    return m.forward(Variable.constant(x)).value();
  }

  @Test
  void savedModelLoadsIntoAFreshTwinWithBitIdenticalOutputs() throws IOException {
    Sequential a = mlp(1, 4, 8, 8, 3);
    Sequential b = mlp(2, 4, 8, 8, 3);
    Tensor x = Tensor.randn(new Rng(3), 6, 4);
    Path file = dir.resolve("m.safetensors");
    ModuleFiles.save(a, file, Map.of("seed", "1"));
    assertTrue(!run(a, x).bitEquals(run(b, x)), "twins start different");

    ModuleFiles.Loaded loaded = ModuleFiles.load(b, file, true);

    assertTrue(run(a, x).bitEquals(run(b, x)));
    assertEquals(Map.of("seed", "1"), loaded.metadata());
    assertEquals(List.of(), loaded.result().missingKeys());
    assertEquals(
        List.copyOf(StateDict.of(a).keySet()),
        List.copyOf(Safetensors.read(file).tensors().keySet()),
        "the file is in state-dict order");
  }

  @Test
  void aDifferentArchitectureIsReportedInFullAndNothingIsLoaded() throws IOException {
    Path file = dir.resolve("small.safetensors");
    ModuleFiles.save(mlp(1, 4, 8, 3), file, null);
    Sequential other = mlp(2, 4, 8, 2, 1);
    Map<String, Tensor> before = StateDict.snapshot(other);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModuleFiles.load(other, file, true));

    assertEquals(
        "ModuleFiles.load "
            + file
            + " into Sequential(Linear(4 -> 8), tanh, Linear(8 -> 2), tanh, Linear(2 -> 1)):"
            + " nothing was loaded because of 3 problems:\n"
            + "  missing keys (in the model, not in the checkpoint): 4.weight, 4.bias\n"
            + "  2.weight: checkpoint has [3, 8], model has [2, 8]\n"
            + "  2.bias: checkpoint has [3], model has [2]",
        e.getMessage());
    StateDict.of(other).forEach((k, t) -> assertTrue(t.bitEquals(before.get(k)), k));

    // Non-strict: the missing layer is skipped, the shape mismatches still stop the load.
    e = assertThrows(IllegalArgumentException.class, () -> ModuleFiles.load(other, file, false));
    assertTrue(
        e.getMessage()
            .endsWith(
                "because of 2 problems:\n"
                    + "  2.weight: checkpoint has [3, 8], model has [2, 8]\n"
                    + "  2.bias: checkpoint has [3], model has [2]"),
        e.getMessage());
  }

  @Test
  void nonStrictLoadReportsWhatItSkipped() throws IOException {
    Path file = dir.resolve("big.safetensors");
    ModuleFiles.save(mlp(1, 4, 8, 3), file, null);
    Sequential prefix = new Sequential(new Linear(4, 8, new Rng(5)));
    ModuleFiles.Loaded r = ModuleFiles.load(prefix, file, false);
    assertEquals(List.of("2.weight", "2.bias"), r.result().unexpectedKeys());
    assertTrue(
        ((Linear) prefix.get(0))
            .weight()
            .value()
            .bitEquals(Safetensors.read(file).tensor("0.weight")));
  }

  /** A safetensors file with the given dtypes, every element encoded as zero bits. */
  private Path fileWithDtypes(String name, Map<String, String> dtypes, Map<String, int[]> shapes)
      throws IOException {
    StringBuilder json = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, String> e : dtypes.entrySet()) {
      int[] shape = shapes.get(e.getKey());
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      int bytes =
          e.getValue().equals("F64") || e.getValue().equals("I64")
              ? 8
              : e.getValue().equals("F32") ? 4 : 2;
      json.append(json.length() > 1 ? "," : "")
          .append('"')
          .append(e.getKey())
          .append("\":{\"dtype\":\"")
          .append(e.getValue())
          .append("\",\"shape\":")
          .append(java.util.Arrays.toString(shape).replace(" ", ""))
          .append(",\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(offset + n * bytes)
          .append("]}");
      offset += n * bytes;
    }
    byte[] header = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf =
        ByteBuffer.allocate(8 + header.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length).put(header);
    Path file = dir.resolve(name);
    Files.write(file, buf.array());
    return file;
  }

  @Test
  void dtypesThatWouldRoundOrAreNotFloatingAreRejected() throws IOException {
    Sequential m =
        new Sequential(
            new Linear(2, 1, new Rng(1)), Activation.tanh(), new Linear(1, 1, new Rng(2)));
    Map<String, int[]> shapes = new LinkedHashMap<>();
    StateDict.of(m).forEach((k, t) -> shapes.put(k, t.shape()));
    Map<String, String> dtypes = new LinkedHashMap<>();
    dtypes.put("0.weight", "F64");
    dtypes.put("0.bias", "F16");
    dtypes.put("2.weight", "BF16");
    dtypes.put("2.bias", "I64");
    Path file = fileWithDtypes("mixed.safetensors", dtypes, shapes);
    Map<String, Tensor> before = StateDict.snapshot(m);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModuleFiles.load(m, file, true));

    assertEquals(
        "ModuleFiles.load "
            + file
            + " into Sequential(Linear(2 -> 1), tanh, Linear(1 -> 1)): nothing was loaded because of"
            + " 2 problems:\n"
            + "  0.weight: checkpoint dtype F64, model dtype F32 (loadable: BF16, F16, F32)\n"
            + "  2.bias: checkpoint dtype I64, model dtype F32 (loadable: BF16, F16, F32)",
        e.getMessage());
    StateDict.of(m).forEach((k, t) -> assertTrue(t.bitEquals(before.get(k)), k));

    dtypes.put("0.weight", "F16");
    dtypes.put("2.bias", "F32");
    ModuleFiles.load(m, fileWithDtypes("widening.safetensors", dtypes, shapes), true);
    StateDict.of(m).forEach((k, t) -> assertTrue(t.bitEquals(Tensor.zeros(t.shape())), k));
  }

  @Test
  void aMalformedFileIsTheReadersErrorAndLeavesTheModelAlone() throws IOException {
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    Sequential m = mlp(1, 2, 2);
    Map<String, Tensor> before = StateDict.snapshot(m);
    assertThrows(SafetensorsException.class, () -> ModuleFiles.load(m, file, true));
    StateDict.of(m).forEach((k, t) -> assertTrue(t.bitEquals(before.get(k)), k));
  }
}
