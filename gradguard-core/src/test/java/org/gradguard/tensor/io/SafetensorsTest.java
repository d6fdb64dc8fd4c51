package org.gradguard.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  // ---------------------------------------------------------------- helpers

  /** A file made of an explicit header string and data bytes, with a correct length prefix. */
  private Path file(String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return raw(b.array());
  }

  private Path raw(byte[] bytes) throws IOException {
    Path f = dir.resolve("model.safetensors");
    Files.write(f, bytes);
    return f;
  }

  private static byte[] floatsLe(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  private String rejected(Path f) {
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), e::getMessage);
    return e.getMessage().substring(f.toString().length() + 2);
  }

  // ---------------------------------------------------------------- writing

  @Test
  void writesTheExactBytesOfTheFormat() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    tensors.put("b", Tensor.of(new float[] {0.5f}, 1));
    Path f = dir.resolve("sd.safetensors");
    Safetensors.write(f, tensors, Map.of("format", "pt"));

    String header =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}";
    assertEquals(143, header.length());
    String padded = header + " "; // one space: 143 + 1 = 144 = 18 * 8
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {(byte) 144, 0, 0, 0, 0, 0, 0, 0});
    expected.writeBytes(padded.getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(
        new byte[] {
          0x00, 0x00, (byte) 0x80, 0x3f, // 1.0f = 0x3f800000
          0x00, 0x00, 0x00, 0x40, // 2.0f = 0x40000000
          0x00, 0x00, 0x40, 0x40, // 3.0f = 0x40400000
          0x00, 0x00, (byte) 0x80, 0x40, // 4.0f = 0x40800000
          0x00, 0x00, 0x00, 0x3f // 0.5f = 0x3f000000
        });
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(f));
  }

  @Test
  void emptyStateDictWithoutMetadata() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(out, Map.of(), null);
    byte[] expected = {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '};
    assertArrayEquals(expected, out.toByteArray());
    SafetensorsFile read = Safetensors.read(raw(expected));
    assertTrue(read.tensors().isEmpty());
    assertTrue(read.metadata().isEmpty());
  }

  @Test
  void roundTripIsBitIdenticalAndKeepsOrder() throws IOException {
    Rng rng = new Rng(7);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("z.weight", Tensor.randn(rng, 3, 4, 5));
    tensors.put("a.bias", Tensor.of(new float[] {Float.NaN, -0f, Float.MIN_VALUE, 1e38f}, 4));
    tensors.put("scalar", Tensor.scalar(3.25f));
    tensors.put("empty", Tensor.zeros(0, 3));
    tensors.put("big", Tensor.randn(rng, 100, 300)); // spans several I/O chunks
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("step", "12");
    meta.put("note", "unicode \u00e9 \uD83D\uDE00 \"quoted\"");
    Path f = dir.resolve("rt.safetensors");
    Safetensors.write(f, tensors, meta);

    SafetensorsFile read = Safetensors.read(f);
    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()));
    for (String name : tensors.keySet()) {
      assertTrue(tensors.get(name).bitEquals(read.tensor(name)), name);
    }
    assertEquals(meta, read.metadata());
    assertEquals(0, (Files.size(f) - 4 * (60 + 4 + 1 + 30000)) % 8, "header padded to 8 bytes");
  }

  @Test
  void atomicWriteLeavesTheOldFileIntactWhenWritingFails() throws IOException {
    Path f = dir.resolve("latest.safetensors");
    Safetensors.write(f, Map.of("w", Tensor.ones(2)), Map.of());
    byte[] before = Files.readAllBytes(f);

    // a state dict whose iteration fails after the first entry
    Map<String, Tensor> failing =
        new AbstractMap<>() {
          @Override
          public Set<Entry<String, Tensor>> entrySet() {
            return new java.util.AbstractSet<>() {
              @Override
              public Iterator<Entry<String, Tensor>> iterator() {
                Iterator<Entry<String, Tensor>> first =
                    List.of(Map.entry("w", Tensor.zeros(1000))).iterator();
                return new Iterator<>() {
                  @Override
                  public boolean hasNext() {
                    return true;
                  }

                  @Override
                  public Entry<String, Tensor> next() {
                    if (first.hasNext()) {
                      return first.next();
                    }
                    throw new IllegalStateException("simulated failure midway");
                  }
                };
              }

              @Override
              public int size() {
                return 2;
              }
            };
          }
        };
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Safetensors.write(f, failing, Map.of()));
    assertEquals("simulated failure midway", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(f));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void atomicFileFailingMidwayKeepsTheOldContent() throws IOException {
    Path f = dir.resolve("data.bin");
    Files.write(f, new byte[] {1, 2, 3});
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFile.write(
                    f,
                    out -> {
                      out.write(new byte[200_000]); // more than the buffer: reaches the disk
                      throw new IOException("disk full (simulated)");
                    }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList());
    }
    AtomicFile.write(f, out -> out.write(9));
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(f));
  }

  @Test
  void rejectsInvalidNamesBeforeWriting() {
    Path f = dir.resolve("x.safetensors");
    Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.ones(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f, reserved, null));
    assertEquals(
        "safetensors: cannot write tensor '__metadata__': the name is reserved for metadata",
        e.getMessage());
    Map<String, Tensor> nullTensor = new LinkedHashMap<>();
    nullTensor.put("w", null);
    assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f, nullTensor, null));
    assertFalse(Files.exists(f));
  }

  // ---------------------------------------------------------------- reading other dtypes

  @Test
  void readsF64F16Bf16I64I32AsFloat32() throws IOException {
    ByteBuffer d = ByteBuffer.allocate(8 * 2 + 2 * 3 + 2 * 2 + 8 + 4 * 2);
    d.order(ByteOrder.LITTLE_ENDIAN);
    d.putDouble(0.1).putDouble(-1e300); // F64 -> 0.1f, -Infinity (overflow)
    d.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001); // 1, -2, 2^-24
    d.putShort((short) 0x3f80).putShort((short) 0xc0a0); // BF16 1.0, -5.0
    d.putLong(-(1L << 40)); // I64
    d.putInt(7).putInt(-3); // I32
    String header =
        "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
            + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
            + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[22,26]},"
            + "\"l\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[26,34]},"
            + "\"i\":{\"dtype\":\"I32\",\"shape\":[1,2],\"data_offsets\":[34,42]}}";
    SafetensorsFile r = Safetensors.read(file(header, d.array()));
    assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, r.tensor("d").data());
    assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, r.tensor("h").data());
    assertArrayEquals(new float[] {1f, -5f}, r.tensor("bf").data());
    assertArrayEquals(new float[] {-0x1p40f}, r.tensor("l").data());
    assertArrayEquals(new int[] {1, 2}, r.tensor("i").shape());
    assertArrayEquals(new float[] {7f, -3f}, r.tensor("i").data());
  }

  @Test
  void halfPrecisionConversionIsExactForEveryValue() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = Safetensors.halfToFloat((short) bits);
      int exp = (bits >>> 10) & 0x1f;
      int mant = bits & 0x3ff;
      double expected =
          exp == 0x1f
              ? (mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
              : exp == 0 ? mant * 0x1p-24 : (1024 + mant) * Math.pow(2, exp - 25);
      expected = (bits & 0x8000) != 0 ? -expected : expected;
      assertEquals(expected, f, 0.0, "half bits " + Integer.toHexString(bits));
    }
    assertEquals(
        Float.floatToRawIntBits(-0f),
        Float.floatToRawIntBits(Safetensors.halfToFloat((short) 0x8000)));
  }

  @Test
  void toleratesHeaderPaddingAndAnyTensorOrder() throws IOException {
    String header =
        "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
            + "\"first\":{\"data_offsets\":[0,4],\"shape\":[1],\"dtype\":\"F32\"}}   \t\n ";
    SafetensorsFile r = Safetensors.read(file(header, floatsLe(1, 2)));
    assertEquals(List.of("second", "first"), List.copyOf(r.tensors().keySet()));
    assertEquals(2f, r.tensor("second").item());
    assertEquals(1f, r.tensor("first").item());
  }

  // ---------------------------------------------------------------- hostile files

  @Test
  void rejectsTruncatedFiles() throws IOException {
    assertEquals(
        "file is 5 bytes, too short for the 8-byte header length", rejected(raw(new byte[5])));
    Path f = dir.resolve("cut.safetensors");
    Safetensors.write(f, Map.of("w", Tensor.ones(10)), null);
    byte[] all = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(all, all.length - 4));
    assertEquals(
        "tensor 'w': data_offsets [0, 40] go past the end of the data buffer (36 bytes)",
        rejected(f));
  }

  @Test
  void rejectsHeaderLengthLargerThanTheFile() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(100).put("{}".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        "header length 100 exceeds the 12 bytes after the length field (file is 20 bytes;"
            + " truncated?)",
        rejected(raw(b.array())));
  }

  @Test
  void rejectsHugeHeaderLengthsWithoutAllocating() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(1L << 62);
    assertEquals(
        "header length 4611686018427387904 exceeds the limit of 100000000 bytes",
        rejected(raw(b.array())));
    b.clear();
    b.putLong(-1L); // 2^64 - 1 as an unsigned length
    assertEquals(
        "header length 18446744073709551615 exceeds the limit of 100000000 bytes",
        rejected(raw(b.array())));
  }

  @Test
  void rejectsHeadersThatAreNotJsonObjects() throws IOException {
    assertEquals(
        "header is not valid JSON: JSON at char 6 (line 1, column 7): expected ',' or '}' after"
            + " an object member, found end of input",
        rejected(file("{\"a\":1", new byte[0])));
    assertEquals(
        "header is not valid JSON: JSON at byte 2: invalid UTF-8 (1 malformed byte)",
        rejected(raw(new byte[] {3, 0, 0, 0, 0, 0, 0, 0, '{', '}', (byte) 0xff})));
    assertEquals("header is an array, expected a JSON object", rejected(file("[]", new byte[0])));
    assertTrue(rejected(file("{\"a\":{},\"a\":{}}", new byte[0])).contains("duplicate key \"a\""));
  }

  @Test
  void rejectsOffsetsOutOfRange() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
    assertEquals(
        "tensor 'w': data_offsets [8, 16] go past the end of the data buffer (8 bytes)",
        rejected(file(h, floatsLe(1, 2))));
    String negative = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}";
    assertEquals(
        "tensor 'w': data_offsets [-8, 0] must be two non-negative integers",
        rejected(file(negative, floatsLe(1, 2))));
    String reversed = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";
    assertEquals(
        "tensor 'w': data_offsets [8, 0] end before they begin",
        rejected(file(reversed, floatsLe(1, 2))));
  }

  @Test
  void rejectsOverlapsGapsAndUncoveredBytes() throws IOException {
    String overlap =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    assertEquals(
        "tensors 'a' [0, 8] and 'b' [4, 12] overlap", rejected(file(overlap, floatsLe(1, 2, 3))));
    String gap =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertEquals(
        "bytes [4, 8) of the data buffer belong to no tensor (gap before tensor 'b')",
        rejected(file(gap, floatsLe(1, 2, 3))));
    String shortCover = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertEquals(
        "the tensors cover 4 bytes but the data buffer has 12; bytes [4, 12) belong to no tensor",
        rejected(file(shortCover, floatsLe(1, 2, 3))));
  }

  @Test
  void rejectsUnknownDtypesNamingTensorAndDtype() throws IOException {
    String h = "{\"emb\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}";
    assertEquals(
        "tensor 'emb': unsupported dtype 'F8_E4M3' (readable: F64, F32, F16, BF16, I64, I32;"
            + " all are read as float32)",
        rejected(file(h, new byte[4])));
    String numeric = "{\"emb\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertEquals(
        "tensor 'emb': dtype is an integer, expected a string",
        rejected(file(numeric, new byte[4])));
  }

  @Test
  void rejectsShapeAndByteCountMismatch() throws IOException {
    String h = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[10,20],\"data_offsets\":[0,400]}}";
    assertEquals(
        "tensor 'fc.weight': data_offsets [0, 400] hold 100 F32 values but shape [10, 20] needs"
            + " 200",
        rejected(file(h, new byte[400])));
    String ragged = "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,6]}}";
    assertEquals(
        "tensor 'w': data_offsets [0, 6] hold 6 bytes (not a whole number of 8-byte F64) but"
            + " shape [1] needs 1",
        rejected(file(ragged, new byte[6])));
  }

  @Test
  void rejectsNegativeFractionalAndHugeDims() throws IOException {
    String negative = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,0]}}";
    assertEquals(
        "tensor 'w': shape [2, -1] must hold non-negative integers",
        rejected(file(negative, new byte[0])));
    String fractional = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,0]}}";
    assertEquals(
        "tensor 'w': shape [2.5] must hold non-negative integers",
        rejected(file(fractional, new byte[0])));
    String huge =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,17179869184]}}";
    assertEquals(
        "tensor 'w': shape [65536, 65536] has more than 2147483647 elements (too large)",
        rejected(file(huge, new byte[0])));
  }

  @Test
  void rejectsMalformedEntriesAndMetadata() throws IOException {
    assertEquals(
        "tensor 'w': missing 'data_offsets'",
        rejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[]}}", new byte[0])));
    assertEquals(
        "tensor 'w': unexpected key 'offsets' (expected dtype, shape, data_offsets)",
        rejected(file("{\"w\":{\"dtype\":\"F32\",\"offsets\":[0,4]}}", new byte[0])));
    assertEquals(
        "tensor 'w': is a string, expected an object with dtype, shape and data_offsets",
        rejected(file("{\"w\":\"F32\"}", new byte[0])));
    assertEquals(
        "__metadata__ 'epoch' is an integer, expected a string",
        rejected(file("{\"__metadata__\":{\"epoch\":3}}", new byte[0])));
  }
}
