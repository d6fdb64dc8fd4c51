package org.gradguard.tensor.io;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict, bounded JSON (RFC 8259) reader and writer.
 *
 * <p><b>Reading</b> maps JSON to Java as follows: object → {@code LinkedHashMap<String, Object>}
 * (key order kept), array → {@code ArrayList<Object>}, string → {@link String}, {@code true/false}
 * → {@link Boolean}, {@code null} → {@code null}, number → {@link Long} when it has neither a
 * fraction nor an exponent and fits in a {@code long} ({@code -0} reads as {@code 0L}), otherwise
 * {@link Double} via {@link Double#parseDouble} (so {@code -0.0} and {@code 1e-300} read back as
 * the exact float64 values). The reader rejects what lenient parsers let through: duplicate keys,
 * trailing garbage, {@code NaN}/{@code Infinity}, numbers beyond the float64 range, leading zeros,
 * trailing commas, comments, raw control characters and unpaired surrogates in strings, nesting
 * deeper than {@value #MAX_DEPTH}, and inputs longer than a limit the caller gives. Every error is
 * a {@link JsonException} (an {@link IllegalArgumentException}) whose message gives the char
 * offset, line and column, what was expected and what was found.
 *
 * <p><b>Writing</b> accepts {@code null}, {@link CharSequence}, {@link Boolean}, {@link Byte},
 * {@link Short}, {@link Integer}, {@link Long}, {@link BigInteger}, {@link Float}, {@link Double}
 * (finite only), {@link Map} with {@link String} keys (written in iteration order), {@link
 * Collection}, {@code Object[]}, {@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}
 * and {@code boolean[]}. Doubles are written as the shortest decimal that parses back to the same
 * value, in Python's {@code repr} style ({@code 0.1}, {@code 100.0}, {@code 1e-05}, {@code 1e+16}),
 * always with a fraction or exponent so that they read back as {@link Double}; floats as the
 * shortest decimal that reads back to the same float. Strings are escaped minimally ({@code "},
 * {@code \}, control characters, U+2028/U+2029); other characters are written as they are.
 *
 * <p>All methods are static and thread-safe; inputs are never modified.
 */
public final class Json {
  /** The deepest nesting of arrays and objects that is read or written. */
  public static final int MAX_DEPTH = 256;

  private Json() {}

  // ------------------------------------------------------------------ reading

  /**
   * Parses one JSON value.
   *
   * @param text the document; whitespace around the value is allowed, anything else after it is not
   * @param maxChars the longest input accepted, in chars
   * @return the value, typed as described in the class documentation
   * @throws JsonException when the input is longer than {@code maxChars} or is not valid JSON
   */
  public static Object parse(String text, int maxChars) {
    return parse(text, maxChars, null);
  }

  /**
   * Parses a JSON document whose top-level value must be an object.
   *
   * @throws JsonException as {@link #parse(String, int)}, or when the value is not an object
   */
  public static Map<String, Object> parseObject(String text, int maxChars) {
    return asObject(parse(text, maxChars, null), null);
  }

  /**
   * Parses one JSON value from strictly decoded UTF-8 bytes (malformed UTF-8 is an error naming its
   * byte offset). Offsets in parse errors count chars of the decoded text, which equal byte offsets
   * for ASCII text.
   *
   * @throws JsonException when the input is longer than {@code maxBytes}, is not UTF-8, or is not
   *     valid JSON
   */
  public static Object parse(byte[] utf8, int maxBytes) {
    return parse(utf8, maxBytes, null);
  }

  /**
   * Reads and parses a UTF-8 JSON file, checking its size against {@code maxBytes} before reading
   * it. Error messages start with the file name.
   *
   * @throws JsonException when the file is too large, is not UTF-8 or is not valid JSON
   * @throws IOException when the file cannot be read
   */
  public static Object read(Path file, long maxBytes) throws IOException {
    String source = file.toString();
    long size = Files.size(file);
    int limit = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
    if (size > limit) {
      throw new JsonException(
          source + ": JSON file is " + size + " bytes, over the limit of " + limit + " bytes", 0);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // Reads at most limit + 1 bytes, so a file that grew after the size check is still bounded.
      bytes = in.readNBytes(limit + 1);
    }
    return parse(bytes, limit, source);
  }

  /**
   * Reads a UTF-8 JSON file whose top-level value must be an object; see {@link #read(Path, long)}.
   */
  public static Map<String, Object> readObject(Path file, long maxBytes) throws IOException {
    return asObject(read(file, maxBytes), file.toString());
  }

  static Object parse(byte[] utf8, int maxBytes, String source) {
    if (utf8.length > maxBytes) {
      throw new JsonException(
          prefix(source)
              + "JSON input is "
              + (utf8.length > maxBytes + 1L ? utf8.length + " bytes" : "more than " + maxBytes)
              + ", over the limit of "
              + maxBytes
              + " bytes",
          maxBytes);
    }
    return new Parser(decodeUtf8(utf8, source), source).document();
  }

  static Object parse(String text, int maxChars, String source) {
    if (text.length() > maxChars) {
      throw new JsonException(
          prefix(source)
              + "JSON input is "
              + text.length()
              + " chars, over the limit of "
              + maxChars
              + " chars",
          maxChars);
    }
    return new Parser(text, source).document();
  }

  private static String decodeUtf8(byte[] bytes, String source) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new JsonException(
          prefix(source)
              + "JSON at byte "
              + in.position()
              + ": invalid UTF-8 ("
              + result.length()
              + " malformed byte"
              + (result.length() == 1 ? "" : "s")
              + ")",
          in.position());
    }
    out.flip();
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asObject(Object value, String source) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new JsonException(
        prefix(source) + "JSON document is " + typeName(value) + ", expected an object", 0);
  }

  /** The JSON type of a parsed value, for error messages: "an object", "a string", .... */
  public static String typeName(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Long) {
      return "an integer";
    } else if (value instanceof Number) {
      return "a number";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private static String prefix(String source) {
    return source == null ? "" : source + ": ";
  }

  /** Recursive descent over a String; one instance per document. */
  private static final class Parser {
    private final String s;
    private final String source;
    private final int len;
    private int pos;
    private int depth;

    Parser(String s, String source) {
      this.s = s;
      this.source = source;
      this.len = s.length();
    }

    Object document() {
      skipWhitespace();
      Object v = value();
      skipWhitespace();
      if (pos < len) {
        throw error(pos, "expected end of input after the JSON value, found " + describe(pos));
      }
      return v;
    }

    private Object value() {
      if (pos >= len) {
        throw error(pos, "expected a JSON value, found end of input");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        case 'N':
        case 'I':
          if (s.startsWith("NaN", pos) || s.startsWith("Infinity", pos)) {
            throw error(pos, "non-finite numbers (NaN, Infinity) are not allowed in JSON");
          }
          throw error(pos, "expected a JSON value, found " + describe(pos));
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error(pos, "expected a JSON value, found " + describe(pos));
      }
    }

    private Object literal(String word, Object result) {
      if (!s.startsWith(word, pos)) {
        throw error(pos, "expected a JSON value, found " + describe(pos));
      }
      pos += word.length();
      return result;
    }

    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw error(pos, "nesting deeper than " + MAX_DEPTH + " levels");
      }
      pos++;
    }

    private Map<String, Object> object() {
      enter();
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < len && s.charAt(pos) == '}') {
        pos++;
        depth--;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (pos >= len || s.charAt(pos) != '"') {
          throw error(
              pos,
              (map.isEmpty() ? "expected a string key or '}'" : "expected a string key")
                  + ", found "
                  + describe(pos));
        }
        int keyAt = pos;
        String key = string();
        if (map.containsKey(key)) {
          throw error(keyAt, "duplicate key " + quote(key));
        }
        skipWhitespace();
        expect(':', "expected ':' after object key " + quote(key));
        skipWhitespace();
        map.put(key, value());
        skipWhitespace();
        if (pos < len && s.charAt(pos) == ',') {
          pos++;
        } else if (pos < len && s.charAt(pos) == '}') {
          pos++;
          depth--;
          return map;
        } else {
          throw error(pos, "expected ',' or '}' after an object member, found " + describe(pos));
        }
      }
    }

    private List<Object> array() {
      enter();
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (pos < len && s.charAt(pos) == ']') {
        pos++;
        depth--;
        return list;
      }
      while (true) {
        skipWhitespace();
        list.add(value());
        skipWhitespace();
        if (pos < len && s.charAt(pos) == ',') {
          pos++;
        } else if (pos < len && s.charAt(pos) == ']') {
          pos++;
          depth--;
          return list;
        } else {
          throw error(pos, "expected ',' or ']' after an array element, found " + describe(pos));
        }
      }
    }

    private Object number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
        if (pos < len && s.charAt(pos) == 'I') {
          throw error(start, "non-finite numbers (NaN, Infinity) are not allowed in JSON");
        }
      }
      if (pos >= len || !isDigit(s.charAt(pos))) {
        throw error(pos, "expected a digit after '-', found " + describe(pos));
      }
      if (s.charAt(pos) == '0') {
        pos++;
        if (pos < len && isDigit(s.charAt(pos))) {
          throw error(start, "leading zeros are not allowed in numbers");
        }
      } else {
        skipDigits();
      }
      boolean integral = true;
      if (pos < len && s.charAt(pos) == '.') {
        integral = false;
        pos++;
        if (pos >= len || !isDigit(s.charAt(pos))) {
          throw error(pos, "expected a digit after the decimal point, found " + describe(pos));
        }
        skipDigits();
      }
      if (pos < len && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integral = false;
        pos++;
        if (pos < len && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (pos >= len || !isDigit(s.charAt(pos))) {
          throw error(pos, "expected a digit in the exponent, found " + describe(pos));
        }
        skipDigits();
      }
      String literal = s.substring(start, pos);
      if (integral && pos - start <= 20) {
        try {
          return Long.parseLong(literal);
        } catch (NumberFormatException tooLarge) {
          // falls through to a double
        }
      }
      double d = Double.parseDouble(literal);
      if (Double.isInfinite(d)) {
        throw error(start, "number " + abbreviate(literal) + " is out of the float64 range");
      }
      return d;
    }

    private String string() {
      int start = pos;
      pos++;
      StringBuilder sb = null;
      int runStart = pos;
      while (true) {
        if (pos >= len) {
          throw error(
              pos, "unterminated string starting at char " + start + ", found end of input");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String result =
              sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
          pos++;
          return result;
        } else if (c == '\\') {
          if (sb == null) {
            sb = new StringBuilder();
          }
          sb.append(s, runStart, pos);
          escape(sb);
          runStart = pos;
        } else if (c < 0x20) {
          throw error(pos, "control character " + describe(pos) + " in string; it must be escaped");
        } else if (Character.isHighSurrogate(c)) {
          if (pos + 1 >= len || !Character.isLowSurrogate(s.charAt(pos + 1))) {
            throw error(pos, "unpaired surrogate " + hex(c) + " in string");
          }
          pos += 2;
        } else if (Character.isLowSurrogate(c)) {
          throw error(pos, "unpaired surrogate " + hex(c) + " in string");
        } else {
          pos++;
        }
      }
    }

    /** Reads the escape at {@code pos} (a backslash) and appends what it stands for. */
    private void escape(StringBuilder sb) {
      int at = pos;
      if (pos + 1 >= len) {
        throw error(pos, "unterminated escape, found end of input");
      }
      char e = s.charAt(pos + 1);
      pos += 2;
      switch (e) {
        case '"':
          sb.append('"');
          return;
        case '\\':
          sb.append('\\');
          return;
        case '/':
          sb.append('/');
          return;
        case 'b':
          sb.append('\b');
          return;
        case 'f':
          sb.append('\f');
          return;
        case 'n':
          sb.append('\n');
          return;
        case 'r':
          sb.append('\r');
          return;
        case 't':
          sb.append('\t');
          return;
        case 'u':
          char u = hex4(at);
          if (Character.isHighSurrogate(u)) {
            if (!s.startsWith("\\u", pos)) {
              throw error(
                  at,
                  "high surrogate escape \\u"
                      + hex(u).substring(2)
                      + " must be followed by a low surrogate escape \\uDC00-\\uDFFF");
            }
            int lowAt = pos;
            pos += 2;
            char low = hex4(lowAt);
            if (!Character.isLowSurrogate(low)) {
              throw error(
                  lowAt,
                  "high surrogate escape \\u"
                      + hex(u).substring(2)
                      + " must be followed by a low surrogate escape \\uDC00-\\uDFFF, found \\u"
                      + hex(low).substring(2));
            }
            sb.append(u).append(low);
          } else if (Character.isLowSurrogate(u)) {
            throw error(at, "unpaired low surrogate escape \\u" + hex(u).substring(2));
          } else {
            sb.append(u);
          }
          return;
        default:
          throw error(
              at,
              "invalid escape "
                  + describe(at + 1)
                  + " after '\\'; expected one of \" \\ / b f n r t u");
      }
    }

    /** The four hex digits at {@code pos} (just after a "\\u" that starts at {@code at}). */
    private char hex4(int at) {
      if (pos + 4 > len) {
        throw error(at, "expected 4 hex digits after \\u, found end of input");
      }
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int d = Character.digit(s.charAt(pos + i), 16);
        if (d < 0 || s.charAt(pos + i) > 'f') {
          throw error(pos + i, "expected 4 hex digits after \\u, found " + describe(pos + i));
        }
        v = v * 16 + d;
      }
      pos += 4;
      return (char) v;
    }

    private void expect(char c, String what) {
      if (pos >= len || s.charAt(pos) != c) {
        throw error(pos, what + ", found " + describe(pos));
      }
      pos++;
    }

    private void skipDigits() {
      while (pos < len && isDigit(s.charAt(pos))) {
        pos++;
      }
    }

    private void skipWhitespace() {
      while (pos < len) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private String describe(int at) {
      if (at >= len) {
        return "end of input";
      }
      char c = s.charAt(at);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        return hex(c);
      }
      return c == '\'' ? "\"'\"" : "'" + c + "'";
    }

    private JsonException error(int at, String message) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at && i < len; i++) {
        if (s.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      return new JsonException(
          prefix(source)
              + "JSON at char "
              + at
              + " (line "
              + line
              + ", column "
              + (at - lineStart + 1)
              + "): "
              + message,
          at);
    }
  }

  private static String hex(char c) {
    return String.format("U+%04X", (int) c);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static String quote(String key) {
    StringBuilder sb = new StringBuilder();
    writeString(abbreviate(key), sb);
    return sb.toString();
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes a value as compact JSON (no whitespace).
   *
   * @throws JsonException naming the JSON path ({@code $.a[2]}) of a value that cannot be written:
   *     a non-finite number, a map key that is not a string, a string with an unpaired surrogate,
   *     an unsupported type, or nesting deeper than {@value #MAX_DEPTH} (which is also how a cycle
   *     shows)
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    new Writer(sb, false).value(value);
    return sb.toString();
  }

  /**
   * Writes a value as indented JSON: two spaces per level, one member or element per line, {@code
   * ": "} after keys; arrays that hold no arrays or objects stay on one line ({@code [2, 3]}). The
   * result has no trailing newline.
   *
   * @throws JsonException as {@link #write(Object)}
   */
  public static String writePretty(Object value) {
    StringBuilder sb = new StringBuilder();
    new Writer(sb, true).value(value);
    return sb.toString();
  }

  /**
   * The shortest decimal that {@link Double#parseDouble} reads back as exactly {@code d} (the
   * closest to {@code d} among the shortest), in Python's {@code repr} layout: positional for
   * decimal exponents -4 to 15 ({@code 0.0001}, {@code 100.0}, {@code -0.0}), scientific otherwise
   * ({@code 1e-05}, {@code 1.5e+16}). Exact arithmetic makes this cost some tens of microseconds
   * per number: fine for metadata and reports, not meant for bulk tensor data (use {@link
   * Safetensors}).
   *
   * @throws JsonException when {@code d} is NaN or infinite
   */
  public static String formatDouble(double d) {
    if (!Double.isFinite(d)) {
      throw new JsonException("JSON cannot represent the non-finite number " + d, -1);
    }
    if (d == 0) {
      return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    return layout(shortest(exact, Double.toString(d), c -> Double.parseDouble(c.toString()) == d));
  }

  /**
   * The shortest decimal that reads back as exactly {@code f}, both through {@link
   * Float#parseFloat} and through {@link Double#parseDouble} followed by a cast to float; layout as
   * {@link #formatDouble}.
   *
   * @throws JsonException when {@code f} is NaN or infinite
   */
  public static String formatFloat(float f) {
    if (!Float.isFinite(f)) {
      throw new JsonException("JSON cannot represent the non-finite number " + f, -1);
    }
    if (f == 0) {
      return Float.floatToRawIntBits(f) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(f);
    return layout(
        shortest(
            exact,
            Float.toString(f),
            c -> {
              String t = c.toString();
              return Float.parseFloat(t) == f && (float) Double.parseDouble(t) == f;
            }));
  }

  private interface RoundTrip {
    boolean test(BigDecimal candidate);
  }

  /**
   * The shortest decimal that round-trips, closest to {@code exact} among those. Round-tripping is
   * monotone in the number of digits (a p-digit decimal is also a (p+1)-digit one). Java's own
   * {@code toString} always round-trips but on JDK 17 is sometimes a digit longer than needed, so
   * its length is the starting point: shorter lengths are tried while the p-digit neighbours of
   * Java's decimal (which bracket every p-digit decimal that round-trips) still round-trip. At the
   * final length the decimal nearest to the exact value is taken, or its neighbour on the other
   * side when the nearest does not round-trip (the rounding interval is asymmetric at powers of
   * two).
   */
  private static BigDecimal shortest(BigDecimal exact, String javaString, RoundTrip roundTrip) {
    BigDecimal java = new BigDecimal(javaString);
    int p = roundTrip.test(java) ? java.stripTrailingZeros().precision() : 17;
    while (p > 1 && neighbourRoundTrips(java, p - 1, roundTrip)) {
      p--;
    }
    BigDecimal best = candidate(exact, p, roundTrip);
    if (best == null) {
      throw new AssertionError("no round-tripping decimal of " + p + " digits for " + exact);
    }
    return best.stripTrailingZeros();
  }

  private static boolean neighbourRoundTrips(BigDecimal v, int digits, RoundTrip roundTrip) {
    return roundTrip.test(v.round(new MathContext(digits, RoundingMode.FLOOR)))
        || roundTrip.test(v.round(new MathContext(digits, RoundingMode.CEILING)));
  }

  private static BigDecimal candidate(BigDecimal exact, int digits, RoundTrip roundTrip) {
    BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
    if (roundTrip.test(nearest)) {
      return nearest;
    }
    int side = nearest.compareTo(exact);
    if (side == 0) {
      return null;
    }
    BigDecimal other =
        exact.round(new MathContext(digits, side > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING));
    return roundTrip.test(other) ? other : null;
  }

  /** Python repr layout of a non-zero decimal with trailing zeros stripped. */
  private static String layout(BigDecimal v) {
    String digits = v.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - v.scale();
    StringBuilder sb = new StringBuilder();
    if (v.signum() < 0) {
      sb.append('-');
    }
    if (exp >= -4 && exp < 16) {
      if (exp < 0) {
        sb.append("0.");
        sb.append("0".repeat(-exp - 1));
        sb.append(digits);
      } else if (digits.length() <= exp + 1) {
        sb.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
      } else {
        sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      sb.append(a);
    }
    return sb.toString();
  }

  private static void writeString(CharSequence s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** Tracks the JSON path for error messages; the path string is only built on error. */
  private static final class Writer {
    private final StringBuilder sb;
    private final boolean pretty;
    private final List<Object> path = new ArrayList<>();

    Writer(StringBuilder sb, boolean pretty) {
      this.sb = sb;
      this.pretty = pretty;
    }

    void value(Object v) {
      if (v == null) {
        sb.append("null");
      } else if (v instanceof CharSequence) {
        CharSequence cs = (CharSequence) v;
        checkSurrogates(cs);
        writeString(cs, sb);
      } else if (v instanceof Boolean) {
        sb.append(v.toString());
      } else if (v instanceof Double) {
        sb.append(number((Double) v));
      } else if (v instanceof Float) {
        float f = (Float) v;
        if (!Float.isFinite(f)) {
          throw error("non-finite number " + f);
        }
        sb.append(formatFloat(f));
      } else if (v instanceof Long
          || v instanceof Integer
          || v instanceof Short
          || v instanceof Byte
          || v instanceof BigInteger) {
        sb.append(v.toString());
      } else if (v instanceof Map) {
        map((Map<?, ?>) v);
      } else if (v instanceof Collection) {
        List<Object> items = new ArrayList<>((Collection<?>) v);
        array(items.size(), items::get);
      } else if (v instanceof Object[]) {
        Object[] a = (Object[]) v;
        array(a.length, i -> a[i]);
      } else if (v instanceof double[]) {
        double[] a = (double[]) v;
        array(a.length, i -> a[i]);
      } else if (v instanceof float[]) {
        float[] a = (float[]) v;
        array(a.length, i -> a[i]);
      } else if (v instanceof int[]) {
        int[] a = (int[]) v;
        array(a.length, i -> a[i]);
      } else if (v instanceof long[]) {
        long[] a = (long[]) v;
        array(a.length, i -> a[i]);
      } else if (v instanceof boolean[]) {
        boolean[] a = (boolean[]) v;
        array(a.length, i -> a[i]);
      } else {
        throw error("cannot write a value of type " + v.getClass().getName());
      }
    }

    private String number(double d) {
      if (!Double.isFinite(d)) {
        throw error("non-finite number " + d);
      }
      return formatDouble(d);
    }

    private void checkSurrogates(CharSequence cs) {
      for (int i = 0; i < cs.length(); i++) {
        char c = cs.charAt(i);
        if (Character.isHighSurrogate(c)
            && i + 1 < cs.length()
            && Character.isLowSurrogate(cs.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw error("string with an unpaired surrogate " + hex(c) + " at index " + i);
        }
      }
    }

    private void enter() {
      if (path.size() >= MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH + " levels (is there a cycle?)");
      }
    }

    private void map(Map<?, ?> m) {
      enter();
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw error(
              "map key "
                  + e.getKey()
                  + " of type "
                  + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
                  + "; JSON keys must be strings");
        }
        String key = (String) e.getKey();
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(path.size() + 1);
        path.add(key);
        checkSurrogates(key);
        writeString(key, sb);
        sb.append(pretty ? ": " : ":");
        value(e.getValue());
        path.remove(path.size() - 1);
      }
      newline(path.size());
      sb.append('}');
    }

    private interface Element {
      Object get(int i);
    }

    private void array(int n, Element element) {
      enter();
      if (n == 0) {
        sb.append("[]");
        return;
      }
      boolean flat = true;
      for (int i = 0; i < n && pretty && flat; i++) {
        Object v = element.get(i);
        flat = !(v instanceof Map || v instanceof Collection || v instanceof Object[]);
        flat &= v == null || !v.getClass().isArray();
      }
      sb.append('[');
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(pretty && flat ? ", " : ",");
        }
        if (!flat) {
          newline(path.size() + 1);
        }
        path.add(i);
        value(element.get(i));
        path.remove(path.size() - 1);
      }
      if (!flat) {
        newline(path.size());
      }
      sb.append(']');
    }

    private void newline(int level) {
      if (pretty) {
        sb.append('\n').append("  ".repeat(level));
      }
    }

    private JsonException error(String what) {
      StringBuilder p = new StringBuilder("$");
      for (Object o : path) {
        if (o instanceof Integer) {
          p.append('[').append(o).append(']');
        } else {
          p.append('.').append(o);
        }
      }
      return new JsonException("JSON: cannot write " + what + " at " + p, -1);
    }
  }
}
