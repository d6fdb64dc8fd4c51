package org.gradguard.tensor.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format
 * used by Hugging Face and PyTorch, so that checkpoints are interchangeable with {@code
 * safetensors.torch.save_file / load_file}.
 *
 * <p>Format: 8 bytes holding the header length N as a little-endian unsigned 64-bit integer; N
 * bytes of UTF-8 JSON, {@code {"__metadata__": {"k": "v", ...}, "name": {"dtype": "F32", "shape":
 * [2, 2], "data_offsets": [begin, end]}, ...}}; then the data buffer, each tensor's elements
 * row-major and little-endian at {@code [begin, end)} relative to the start of the buffer. The
 * tensors tile the buffer exactly: no gaps, no overlaps, nothing after the last one.
 *
 * <p>Writing follows the reference implementation's layout: compact JSON with {@code __metadata__}
 * first (left out when there is none), the header padded with spaces so that its length is a
 * multiple of 8, and the tensors stored contiguously. Unlike the reference implementation, which
 * sorts tensors by dtype and name, tensors are written <b>in the iteration order of the given
 * map</b>, both in the header and in the buffer; readers do not depend on the order. Only F32 is
 * written.
 *
 * <p>Reading accepts F32, F64, F16 and BF16 (converted to float32 with round-to-nearest; F16 and
 * BF16 exactly) and I64 and I32 (converted to the nearest float32, which is exact only for
 * magnitudes up to 2^24). Reading treats the file as hostile: the header length is checked against
 * the file size and against {@link #MAX_HEADER_BYTES} before anything is allocated, and every
 * dtype, shape and offset is validated before any tensor is allocated, so memory use is bounded by
 * the file's actual size. Every problem is a {@link SafetensorsException} naming the file, the
 * tensor and what is wrong.
 */
public final class Safetensors {
  /** The largest header accepted or written, in bytes (the reference implementation's limit). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final int CHUNK_BYTES = 1 << 16;

  private Safetensors() {}

  /** The element types of the format that this reader understands. */
  private enum Dtype {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4);

    final int bytes;

    Dtype(int bytes) {
      this.bytes = bytes;
    }

    static Dtype of(String name) {
      for (Dtype d : values()) {
        if (d.name().equals(name)) {
          return d;
        }
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes {@code tensors} (in the map's iteration order) and {@code metadata} to {@code file}
   * atomically: via a temporary file in the same directory that is renamed over {@code file} once
   * complete (see {@link AtomicFile}), so an existing file is replaced only by a complete new one
   * and is left as it was if writing fails.
   *
   * @param tensors name → tensor; names must be non-null and not {@code "__metadata__"}; the map
   *     and tensors are not modified
   * @param metadata string entries for {@code __metadata__}; {@code null} or empty for none
   * @throws IllegalArgumentException for a null or reserved name, a null tensor, or a null metadata
   *     key or value (nothing is written)
   * @throws IOException when the file cannot be written
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    AtomicFile.write(file, out -> write(out, tensors, metadata));
  }

  /**
   * Writes the safetensors bytes of {@code tensors} (in the map's iteration order) and {@code
   * metadata} to {@code out}, which is neither flushed nor closed. The map is read once, before
   * anything is written.
   *
   * @throws IllegalArgumentException as {@link #write(Path, Map, Map)}, before anything is written
   * @throws IOException when {@code out} fails
   */
  public static void write(
      OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    List<String> names = new ArrayList<>(tensors.size());
    List<Tensor> values = new ArrayList<>(tensors.size());
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      names.add(e.getKey());
      values.add(e.getValue());
    }
    byte[] header = header(names, values, metadata);

    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length);
    out.write(buf.array(), 0, Long.BYTES);
    out.write(header);
    for (Tensor t : values) {
      float[] data = t.data();
      for (int off = 0; off < data.length; off += CHUNK_BYTES / Float.BYTES) {
        int n = Math.min(CHUNK_BYTES / Float.BYTES, data.length - off);
        buf.clear();
        buf.asFloatBuffer().put(data, off, n);
        out.write(buf.array(), 0, n * Float.BYTES);
      }
    }
  }

  /** The padded UTF-8 header, after validating names, tensors and metadata. */
  private static byte[] header(List<String> names, List<Tensor> values, Map<String, String> meta) {
    Map<String, Object> header = new LinkedHashMap<>();
    if (meta != null && !meta.isEmpty()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : meta.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          throw new IllegalArgumentException(
              "safetensors: metadata entry "
                  + e.getKey()
                  + " = "
                  + e.getValue()
                  + ": keys and values must not be null");
        }
        m.put(e.getKey(), e.getValue());
      }
      header.put(METADATA_KEY, m);
    }
    long offset = 0;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Tensor t = values.get(i);
      if (name == null || name.equals(METADATA_KEY) || t == null) {
        throw new IllegalArgumentException(
            "safetensors: cannot write tensor "
                + (name == null ? "with a null name" : "'" + name + "'")
                + (t == null ? ": the tensor is null" : "")
                + (METADATA_KEY.equals(name) ? ": the name is reserved for metadata" : ""));
      }
      long bytes = (long) t.numel() * Float.BYTES;
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", "F32");
      info.put("shape", t.shape());
      info.put("data_offsets", new long[] {offset, offset + bytes});
      header.put(name, info);
      offset += bytes;
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    if (padded > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException(
          "safetensors: header of "
              + padded
              + " bytes exceeds the limit of "
              + MAX_HEADER_BYTES
              + " bytes that readers accept");
    }
    byte[] result = new byte[padded];
    System.arraycopy(json, 0, result, 0, json.length);
    Arrays.fill(result, json.length, padded, (byte) ' ');
    return result;
  }

  // ------------------------------------------------------------------ reading

  /** One validated header entry. */
  private record Entry(String name, Dtype dtype, int[] shape, int numel, long begin, long end) {}

  /**
   * Reads a safetensors file into float32 tensors.
   *
   * @return the tensors in header order and the metadata
   * @throws SafetensorsException naming the file and the problem when the file is truncated, the
   *     header is too long, not JSON or not in the expected form, a dtype is unsupported, a shape
   *     is invalid, or the data offsets do not match the shapes and tile the data buffer exactly
   * @throws IOException when the file cannot be read
   */
  public static SafetensorsFile read(Path file) throws IOException {
    String src = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw fail(src, "file is " + size + " bytes, too short for the 8-byte header length");
      }
      long n = readFully(ch, 0, 8, src).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (Long.compareUnsigned(n, MAX_HEADER_BYTES) > 0) {
        throw fail(
            src,
            "header length "
                + Long.toUnsignedString(n)
                + " exceeds the limit of "
                + MAX_HEADER_BYTES
                + " bytes");
      }
      if (n > size - 8) {
        throw fail(
            src,
            "header length "
                + n
                + " exceeds the "
                + (size - 8)
                + " bytes after the length field (file is "
                + size
                + " bytes; truncated?)");
      }
      byte[] headerBytes = readFully(ch, 8, (int) n, src).array();
      Object parsed;
      try {
        parsed = Json.parse(headerBytes, (int) n);
      } catch (JsonException e) {
        throw new SafetensorsException(src + ": header is not valid JSON: " + e.getMessage(), e);
      }
      if (!(parsed instanceof Map)) {
        throw fail(src, "header is " + Json.typeName(parsed) + ", expected a JSON object");
      }
      long bufferBytes = size - 8 - n;
      Map<String, String> metadata = new LinkedHashMap<>();
      List<Entry> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
        String name = (String) e.getKey();
        if (name.equals(METADATA_KEY)) {
          metadata = metadata(src, e.getValue());
        } else {
          entries.add(entry(src, name, e.getValue(), bufferBytes));
        }
      }
      checkTiling(src, entries, bufferBytes);

      Map<String, Tensor> tensors = new LinkedHashMap<>();
      long base = 8 + n;
      for (Entry e : entries) {
        tensors.put(e.name, Tensor.wrap(readData(ch, base, e, src), e.shape));
      }
      return new SafetensorsFile(tensors, metadata);
    }
  }

  private static Map<String, String> metadata(String src, Object value)
      throws SafetensorsException {
    if (!(value instanceof Map)) {
      throw fail(
          src, "__metadata__ is " + Json.typeName(value) + ", expected an object of strings");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
      if (!(e.getValue() instanceof String)) {
        throw fail(
            src,
            "__metadata__ '"
                + e.getKey()
                + "' is "
                + Json.typeName(e.getValue())
                + ", expected a string");
      }
      m.put((String) e.getKey(), (String) e.getValue());
    }
    return m;
  }

  /** Validates one tensor's header entry on its own (not yet against the others). */
  private static Entry entry(String src, String name, Object value, long bufferBytes)
      throws SafetensorsException {
    String where = src + ": tensor '" + name + "'";
    if (!(value instanceof Map)) {
      throw fail(
          where,
          "is " + Json.typeName(value) + ", expected an object with dtype, shape and data_offsets");
    }
    Map<?, ?> info = (Map<?, ?>) value;
    for (Object key : info.keySet()) {
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw fail(where, "unexpected key '" + key + "' (expected dtype, shape, data_offsets)");
      }
    }
    Object dtypeValue = require(where, info, "dtype");
    if (!(dtypeValue instanceof String)) {
      throw fail(where, "dtype is " + Json.typeName(dtypeValue) + ", expected a string");
    }
    Dtype dtype = Dtype.of((String) dtypeValue);
    if (dtype == null) {
      throw fail(
          where,
          "unsupported dtype '"
              + dtypeValue
              + "' (readable: F64, F32, F16, BF16, I64, I32; all are read as float32)");
    }

    List<?> shapeList = list(where, info, "shape");
    int[] shape = new int[shapeList.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      Object d = shapeList.get(i);
      if (!(d instanceof Long) || (Long) d < 0) {
        throw fail(where, "shape " + shapeList + " must hold non-negative integers");
      }
      long dim = (Long) d;
      if (dim > Integer.MAX_VALUE || (numel *= dim) > Integer.MAX_VALUE) {
        throw fail(
            where,
            "shape " + shapeList + " has more than " + Integer.MAX_VALUE + " elements (too large)");
      }
      shape[i] = (int) dim;
    }

    List<?> offsets = list(where, info, "data_offsets");
    if (offsets.size() != 2
        || !(offsets.get(0) instanceof Long)
        || !(offsets.get(1) instanceof Long)
        || (Long) offsets.get(0) < 0
        || (Long) offsets.get(1) < 0) {
      throw fail(where, "data_offsets " + offsets + " must be two non-negative integers");
    }
    long begin = (Long) offsets.get(0);
    long end = (Long) offsets.get(1);
    if (end < begin) {
      throw fail(where, "data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    long bytes = end - begin;
    long needed = numel * dtype.bytes;
    if (bytes != needed) {
      String held =
          bytes % dtype.bytes == 0
              ? (bytes / dtype.bytes) + " " + dtype + " values"
              : bytes + " bytes (not a whole number of " + dtype.bytes + "-byte " + dtype + ")";
      throw fail(
          where,
          "data_offsets ["
              + begin
              + ", "
              + end
              + "] hold "
              + held
              + " but shape "
              + Shapes.format(shape)
              + " needs "
              + numel);
    }
    if (end > bufferBytes) {
      throw fail(
          where,
          "data_offsets ["
              + begin
              + ", "
              + end
              + "] go past the end of the data buffer ("
              + bufferBytes
              + " bytes)");
    }
    return new Entry(name, dtype, shape, (int) numel, begin, end);
  }

  private static Object require(String where, Map<?, ?> info, String key)
      throws SafetensorsException {
    Object v = info.get(key);
    if (v == null) {
      throw fail(where, "missing '" + key + "'");
    }
    return v;
  }

  private static List<?> list(String where, Map<?, ?> info, String key)
      throws SafetensorsException {
    Object v = require(where, info, key);
    if (!(v instanceof List)) {
      throw fail(where, key + " is " + Json.typeName(v) + ", expected an array");
    }
    return (List<?>) v;
  }

  /** Checks that the tensors cover the data buffer exactly, without gaps or overlaps. */
  private static void checkTiling(String src, List<Entry> entries, long bufferBytes)
      throws SafetensorsException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin < covered) {
        throw fail(
            src,
            "tensors '"
                + previous.name
                + "' "
                + range(previous)
                + " and '"
                + e.name
                + "' "
                + range(e)
                + " overlap");
      }
      if (e.begin > covered) {
        throw fail(
            src,
            "bytes ["
                + covered
                + ", "
                + e.begin
                + ") of the data buffer belong to no tensor (gap before tensor '"
                + e.name
                + "')");
      }
      covered = e.end;
      previous = e;
    }
    if (covered != bufferBytes) {
      throw fail(
          src,
          "the tensors cover "
              + covered
              + " bytes but the data buffer has "
              + bufferBytes
              + "; bytes ["
              + covered
              + ", "
              + bufferBytes
              + ") belong to no tensor");
    }
  }

  private static String range(Entry e) {
    return "[" + e.begin + ", " + e.end + "]";
  }

  private static float[] readData(FileChannel ch, long base, Entry e, String src)
      throws IOException {
    float[] out = new float[e.numel];
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = CHUNK_BYTES / e.dtype.bytes;
    long position = base + e.begin;
    for (int off = 0; off < out.length; off += perChunk) {
      int count = Math.min(perChunk, out.length - off);
      buf.clear().limit(count * e.dtype.bytes);
      fill(ch, buf, position, src);
      position += (long) count * e.dtype.bytes;
      buf.flip();
      convert(e.dtype, buf, out, off, count);
    }
    return out;
  }

  private static void convert(Dtype dtype, ByteBuffer buf, float[] out, int off, int count) {
    switch (dtype) {
      case F32:
        buf.asFloatBuffer().get(out, off, count);
        break;
      case F64:
        for (int i = 0; i < count; i++) {
          out[off + i] = (float) buf.getDouble();
        }
        break;
      case F16:
        for (int i = 0; i < count; i++) {
          out[off + i] = halfToFloat(buf.getShort());
        }
        break;
      case BF16:
        for (int i = 0; i < count; i++) {
          out[off + i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
        }
        break;
      case I64:
        for (int i = 0; i < count; i++) {
          out[off + i] = (float) buf.getLong();
        }
        break;
      case I32:
        for (int i = 0; i < count; i++) {
          out[off + i] = (float) buf.getInt();
        }
        break;
      default:
        throw new AssertionError(dtype);
    }
  }

  /** IEEE 754 binary16 to float32 (exact: every half value is a float). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      // zero or subnormal: mant * 2^-24, exact in float
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int n, String src)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    fill(ch, buf, position, src);
    buf.flip();
    return buf;
  }

  private static void fill(FileChannel ch, ByteBuffer buf, long position, String src)
      throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw new EOFException(
            src + ": file ended at byte " + p + " while reading (did it change while being read?)");
      }
      p += r;
    }
  }

  private static SafetensorsException fail(String where, String what) {
    return new SafetensorsException(where + ": " + what);
  }
}
