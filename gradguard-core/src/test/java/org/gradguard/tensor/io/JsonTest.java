package org.gradguard.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  private static final int LIMIT = 1 << 20;

  private static Object parse(String s) {
    return Json.parse(s, LIMIT);
  }

  private static JsonException rejects(String s) {
    return assertThrows(JsonException.class, () -> Json.parse(s, LIMIT), s);
  }

  // ---------------------------------------------------------------- reading values

  @Test
  void readsTypesAndKeepsKeyOrder() {
    Object v = parse(" {\"z\": 1, \"a\": [true, false, null, \"s\", 2.5], \"m\": {}} \n");
    Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
    assertEquals(List.of("z", "a", "m"), new ArrayList<>(m.keySet()));
    assertEquals(1L, m.get("z"));
    assertEquals(Arrays.asList(true, false, null, "s", 2.5), m.get("a"));
    assertEquals(Map.of(), m.get("m"));
  }

  @Test
  void integersBecomeLongAndEverythingElseDouble() {
    assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
    assertEquals(9.223372036854775808e18, parse("9223372036854775808"));
    assertEquals(0L, parse("-0"));
    assertEquals(100.0, parse("1E2"));
    assertEquals(1.0, parse("1.0"));
    assertEquals(0.0, parse("1e-400"));
  }

  @Test
  void doublesAreExact() {
    Object negZero = parse("-0.0");
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) negZero));
    for (String s :
        new String[] {
          "1e-300", "0.1", "-1.2345678901234567e-89", "5e-324", "1.7976931348623157e308"
        }) {
      assertEquals(Double.parseDouble(s), parse(s), s);
    }
  }

  @Test
  void readsEscapesAndSurrogatePairs() {
    assertEquals("\"\\/\b\f\n\r\tA\u00e9", parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00E9\""));
    assertEquals("\uD83D\uDE00", parse("\"\\ud83d\\uDE00\""));
    assertEquals("x\uD83D\uDE00y", parse("\"x\uD83D\uDE00y\""));
    byte[] utf8 = "[\"gr\u00fc\u00df \uD83D\uDE00\"]".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("gr\u00fc\u00df \uD83D\uDE00"), Json.parse(utf8, 100));
  }

  @Test
  void acceptsNestingOf256() {
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertInstanceOf(List.class, parse(ok));
  }

  // ---------------------------------------------------------------- rejections

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"a\": 1, \"a\": 2}         | 9  | duplicate key \"a\"",
        "[1] x                        | 4  | expected end of input after the JSON value, found 'x'",
        "{} {}                        | 3  | expected end of input",
        "[NaN]                        | 1  | non-finite numbers (NaN, Infinity) are not allowed",
        "Infinity                     | 0  | non-finite numbers",
        "[1, -Infinity]               | 4  | non-finite numbers",
        "1e400                        | 0  | number 1e400 is out of the float64 range",
        "01                           | 0  | leading zeros are not allowed",
        "-                            | 1  | expected a digit after '-', found end of input",
        "1.                           | 2  | expected a digit after the decimal point",
        "1e+                          | 3  | expected a digit in the exponent",
        "[1,]                         | 3  | expected a JSON value, found ']'",
        "{\"a\":1,}                   | 7  | expected a string key, found '}'",
        "{a:1}                        | 1  | expected a string key or '}', found 'a'",
        "{\"a\" 1}                    | 5  | expected ':' after object key \"a\", found '1'",
        "[1 2]                        | 3  | expected ',' or ']' after an array element, found '2'",
        "{\"a\":1 \"b\":2}            | 7  | expected ',' or '}' after an object member",
        "\"abc                        | 4  | unterminated string starting at char 0",
        "\"\\x\"                      | 1  | invalid escape 'x'",
        "\"\\u12G4\"                  | 5  | expected 4 hex digits after \\u, found 'G'",
        "\"\\uD83D\"                  | 1  | high surrogate escape \\uD83D must be followed by a low",
        "\"\\uD83D\\u0041\"           | 7  | found \\u0041",
        "\"\\uDE00\"                  | 1  | unpaired low surrogate escape \\uDE00",
        "``                           | 0  | expected a JSON value, found end of input",
        "// c                         | 0  | expected a JSON value, found '/'",
        "tru                          | 0  | expected a JSON value, found 't'",
      })
  void rejectsWithOffsetAndReason(String input, long offset, String reason) {
    JsonException e = rejects(input);
    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("JSON at char " + offset + " (line 1, column "), e::getMessage);
    assertTrue(e.getMessage().contains(reason), e::getMessage);
  }

  @Test
  void rejectsControlCharactersInStrings() {
    JsonException e = rejects("{\n  \"a\": \"x\ty\"\n}");
    assertEquals(
        "JSON at char 11 (line 2, column 10): control character U+0009 in string; it must be escaped",
        e.getMessage());
  }

  @Test
  void rejectsRawUnpairedSurrogates() {
    assertTrue(rejects("\"a\uD800\"").getMessage().contains("unpaired surrogate U+D800"));
    assertTrue(rejects("\"a\uDC00b\"").getMessage().contains("unpaired surrogate U+DC00"));
  }

  @Test
  void rejectsNestingDeeperThan256() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    JsonException e = rejects(deep);
    assertEquals(Json.MAX_DEPTH, e.offset());
    assertTrue(e.getMessage().endsWith("nesting deeper than 256 levels"), e::getMessage);
    // an attacker's million brackets are rejected early, not with a StackOverflowError
    rejects("{\"a\":".repeat(100_000));
  }

  @Test
  void rejectsInputsOverTheLimit() {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse("[1, 2, 3]", 8));
    assertEquals("JSON input is 9 chars, over the limit of 8 chars", e.getMessage());
    JsonException b = assertThrows(JsonException.class, () -> Json.parse(new byte[9], 8));
    assertTrue(b.getMessage().contains("over the limit of 8 bytes"), b::getMessage);
    assertEquals(List.of(1L), Json.parse("[1]", 3));
  }

  @Test
  void rejectsMalformedUtf8WithItsByteOffset() {
    byte[] bad = {'[', '"', 'a', (byte) 0xC3, '"', ']'};
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(bad, 100));
    assertEquals("JSON at byte 3: invalid UTF-8 (1 malformed byte)", e.getMessage());
  }

  @Test
  void readsFilesNamingThemInErrors(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("meta.json");
    Files.writeString(f, "{\"epoch\": 3,\n \"epoch\": 4}");
    JsonException e = assertThrows(JsonException.class, () -> Json.read(f, 1000));
    assertEquals(
        f + ": JSON at char 14 (line 2, column 2): duplicate key \"epoch\"", e.getMessage());
    JsonException big = assertThrows(JsonException.class, () -> Json.read(f, 10));
    assertEquals(
        f + ": JSON file is " + Files.size(f) + " bytes, over the limit of 10 bytes",
        big.getMessage());
    Files.writeString(f, "[1]");
    JsonException notObject = assertThrows(JsonException.class, () -> Json.readObject(f, 10));
    assertEquals(f + ": JSON document is an array, expected an object", notObject.getMessage());
  }

  // ---------------------------------------------------------------- writing

  @Test
  void writesCompactJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("a", Arrays.asList(1.5, -0.0, null, true, "x"));
    m.put("shape", new int[] {2, 3});
    m.put("offsets", new long[] {0, 16});
    m.put("f", new float[] {0.1f});
    m.put("empty", List.of());
    assertEquals(
        "{\"b\":1,\"a\":[1.5,-0.0,null,true,\"x\"],\"shape\":[2,3],\"offsets\":[0,16],"
            + "\"f\":[0.1],\"empty\":[]}",
        Json.write(m));
  }

  @Test
  void writesPrettyJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "w");
    m.put("shape", List.of(2, 3));
    m.put("rows", List.of(List.of(1), Map.of()));
    m.put("meta", Map.of("k", "v"));
    assertEquals(
        "{\n"
            + "  \"name\": \"w\",\n"
            + "  \"shape\": [2, 3],\n"
            + "  \"rows\": [\n"
            + "    [1],\n"
            + "    {}\n"
            + "  ],\n"
            + "  \"meta\": {\n"
            + "    \"k\": \"v\"\n"
            + "  }\n"
            + "}",
        Json.writePretty(m));
    assertEquals(m.toString(), Json.parse(Json.writePretty(m), LIMIT).toString());
  }

  @Test
  void escapesStrings() {
    assertEquals(
        "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\\u2028\u00e9\uD83D\uDE00\"",
        Json.write("q\"b\\s/\b\f\n\r\t\u0001\u001f\u2028\u00e9\uD83D\uDE00"));
  }

  @ParameterizedTest
  @CsvSource({
    "0.1, 0.1",
    "100.0, 100.0",
    "1.0E-4, 0.0001",
    "1.0E-5, 1e-05",
    "1.0E15, 1000000000000000.0",
    "1.0E16, 1e+16",
    "1.0E23, 1e+23", // JDK 17 prints 9.999999999999999E22
    "1.6970127485482881E19, 1.697012748548288e+19", // JDK 17 prints a 17th digit
    "-1.5E300, -1.5e+300",
    "4.9E-324, 5e-324",
    "1.7976931348623157E308, 1.7976931348623157e+308",
    "2.82879384806159E17, 2.82879384806159e+17",
    "1.0E-3, 0.001",
    "123.456, 123.456",
    "-0.0, -0.0",
    "0.0, 0.0"
  })
  void writesShortestRoundTripDoubles(double d, String expected) {
    assertEquals(expected, Json.formatDouble(d));
    assertEquals(expected, Json.write(d));
  }

  @Test
  void randomDoublesAndFloatsRoundTripAndAreNoLongerThanJavas() {
    SplittableRandom rng = new SplittableRandom(42);
    for (int i = 0; i < 500; i++) {
      double d = Double.longBitsToDouble(rng.nextLong());
      if (!Double.isFinite(d)) {
        continue;
      }
      String s = Json.formatDouble(d);
      assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) parse(s)), s);
      assertTrue(digits(s) <= digits(Double.toString(d)), s + " vs " + d);
      float f = Float.intBitsToFloat(rng.nextInt());
      if (Float.isFinite(f)) {
        String fs = Json.formatFloat(f);
        assertEquals(f, Float.parseFloat(fs), fs);
        assertEquals(f, (float) (double) (Double) parse(fs), fs);
        assertTrue(digits(fs) <= digits(Float.toString(f)), fs + " vs " + f);
      }
    }
  }

  private static int digits(String s) {
    String mantissa = s.split("[eE]")[0].replace("-", "").replace(".", "");
    String stripped = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    return Math.max(1, stripped.length());
  }

  @Test
  void roundTripsNestedValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "tab\t quote\" nul\u0000 emoji\uD83D\uDE00 \u2029");
    m.put("n", Arrays.asList(0L, -7L, Long.MAX_VALUE, 0.1, -0.0, 1e-300, 6.02214076e23));
    m.put("nested", Map.of("deep", List.of(List.of(Map.of("x", false)))));
    m.put("nothing", null);
    assertEquals(m, parse(Json.write(m)));
    assertEquals(m, parse(Json.writePretty(m)));
  }

  @Test
  void writeErrorsNameThePath() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", Arrays.asList(1.0, Double.NaN));
    assertEquals(
        "JSON: cannot write non-finite number NaN at $.a[1]",
        assertThrows(JsonException.class, () -> Json.write(m)).getMessage());
    assertTrue(
        assertThrows(JsonException.class, () -> Json.write(new float[] {Float.POSITIVE_INFINITY}))
            .getMessage()
            .contains("non-finite number Infinity at $[0]"));
    assertEquals(
        "JSON: cannot write map key 1 of type java.lang.Integer; JSON keys must be strings at $.k",
        assertThrows(JsonException.class, () -> Json.write(Map.of("k", Map.of(1, 2))))
            .getMessage());
    assertTrue(
        assertThrows(JsonException.class, () -> Json.write(List.of(new Object())))
            .getMessage()
            .contains("cannot write a value of type java.lang.Object at $[0]"));
    assertTrue(
        assertThrows(JsonException.class, () -> Json.write("a\uD800"))
            .getMessage()
            .contains("unpaired surrogate U+D800"));
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertTrue(
        assertThrows(JsonException.class, () -> Json.write(cycle))
            .getMessage()
            .contains("nesting deeper than 256 levels (is there a cycle?)"));
  }

  @Test
  void nullAndScalarsAtTopLevel() {
    assertEquals("null", Json.write(null));
    assertNull(parse(" null "));
    assertEquals("\"x\"", Json.write("x"));
    assertEquals("7", Json.write(7));
  }
}
