package org.gradguard.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.gradguard.tensor.Tensor;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al., "The MNIST database"): a
 * big-endian int32 magic {@code 0x000008nn} (unsigned bytes, {@code nn} dimensions), {@code nn}
 * big-endian int32 sizes, then the values row-major. Images are {@code 0x00000803} {@code [n, rows,
 * cols]}, labels {@code 0x00000801} {@code [n]}. A file is read as gzip when it starts with the
 * gzip magic bytes {@code 1f 8b}, whatever its name, and as plain bytes otherwise.
 *
 * <p>Files are untrusted. The product of the header's sizes is bounded, before anything is
 * allocated, by the bytes the file can hold (its length for a plain file; {@code maxBytes} and the
 * deflate ratio bound of 1032:1 for gzip) and by {@code maxBytes}; the data are then read
 * incrementally, so a lying header or a gzip bomb fails with a {@link DataFormatException} instead
 * of an {@link OutOfMemoryError}. Wrong magic, truncated or trailing data, and corrupt gzip streams
 * are reported with the file and the byte offset (in the decompressed stream, for gzip).
 */
public final class IdxReader {
  /** The default bound on the data bytes of one file: 256 MiB (MNIST's train images are 47 MB). */
  public static final long DEFAULT_MAX_BYTES = 1L << 28;

  /** Deflate cannot expand more than about 1032 times; gzip headers only lower the ratio. */
  private static final long MAX_INFLATE_RATIO = 1032;

  private static final int CHUNK = 1 << 20;

  /** How {@link #readImages} lays out each image. */
  public enum Layout {
    /** {@code [n, 1, rows, cols]}: one channel, for convolutional networks (NCHW). */
    NCHW,
    /** {@code [n, rows * cols]}: flattened row-major, for fully connected networks. */
    FLAT
  }

  private IdxReader() {}

  /** Unsigned bytes read from an IDX file, with their dimensions. */
  record IdxData(int[] dims, byte[] data) {}

  /**
   * Reads an image file ({@code 0x00000803}) and scales each pixel to {@code [0, 1]} as {@code
   * pixel / 255} in float32. Bounds the data by {@link #DEFAULT_MAX_BYTES}.
   *
   * @return {@code [n, 1, rows, cols]} or {@code [n, rows * cols]}, by {@code layout}
   * @throws DataFormatException naming the file and offset, for malformed files
   * @throws IOException if the file cannot be read
   */
  public static Tensor readImages(Path file, Layout layout) throws IOException {
    return readImages(file, layout, DEFAULT_MAX_BYTES);
  }

  /** As {@link #readImages(Path, Layout)}, with the data bound {@code maxBytes}. */
  public static Tensor readImages(Path file, Layout layout, long maxBytes) throws IOException {
    IdxData idx = read(file, 3, maxBytes);
    int[] d = idx.dims();
    byte[] b = idx.data();
    float[] x = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      x[i] = (b[i] & 0xFF) / 255f;
    }
    return layout == Layout.NCHW
        ? Tensor.wrap(x, d[0], 1, d[1], d[2])
        : Tensor.wrap(x, d[0], d[1] * d[2]);
  }

  /**
   * Reads a label file ({@code 0x00000801}) as class indices, one int per record.
   *
   * @throws DataFormatException naming the file and offset, for malformed files
   * @throws IOException if the file cannot be read
   */
  public static int[] readLabels(Path file) throws IOException {
    byte[] b = read(file, 1, DEFAULT_MAX_BYTES).data();
    int[] labels = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      labels[i] = b[i] & 0xFF;
    }
    return labels;
  }

  /**
   * Reads an image file and its label file into a classification dataset.
   *
   * @param name a name for the description, e.g. {@code "fashion-mnist test"}
   * @param numClasses every label must be below it
   * @param classNames names of the classes, or null for {@code "0"}, {@code "1"}, …
   * @throws DataFormatException if either file is malformed, their counts differ, or a label is
   *     {@code >= numClasses}; the message names the file and the offset
   * @throws IOException if a file cannot be read
   */
  public static TensorDataset load(
      Path images, Path labels, Layout layout, int numClasses, List<String> classNames, String name)
      throws IOException {
    Tensor x = readImages(images, layout);
    Tensor y = readClassLabels(labels, x.size(0), images, numClasses);
    return TensorDataset.classification(
        x, y, numClasses, classNames, describe(name, x.shape(), numClasses, images, labels));
  }

  /**
   * As {@link #load}, but the images stay unsigned bytes until a batch asks for them: a {@link
   * ByteImageDataset}, a quarter of the memory, whose batches are bit-identical to those of {@link
   * #load}'s dataset.
   *
   * @throws DataFormatException if either file is malformed, their counts differ, or a label is
   *     {@code >= numClasses}; the message names the file and the offset
   * @throws IOException if a file cannot be read
   */
  public static ByteImageDataset loadBytes(
      Path images, Path labels, Layout layout, int numClasses, List<String> classNames, String name)
      throws IOException {
    IdxData idx = read(images, 3, DEFAULT_MAX_BYTES);
    int[] d = idx.dims();
    int[] shape =
        layout == Layout.NCHW ? new int[] {d[0], 1, d[1], d[2]} : new int[] {d[0], d[1] * d[2]};
    Tensor y = readClassLabels(labels, d[0], images, numClasses);
    return new ByteImageDataset(
        idx.data(),
        Arrays.copyOfRange(shape, 1, shape.length),
        y,
        numClasses,
        classNames,
        describe(name, shape, numClasses, images, labels));
  }

  /** Reads a label file holding {@code count} labels below {@code numClasses}, as floats. */
  private static Tensor readClassLabels(Path labels, int count, Path images, int numClasses)
      throws IOException {
    int[] y = readLabels(labels);
    if (count != y.length) {
      throw new DataFormatException(
          "IDX: image/label count mismatch: "
              + images
              + " holds "
              + count
              + " images but "
              + labels
              + " holds "
              + y.length
              + " labels (counts at offset 4)");
    }
    float[] t = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      if (y[i] >= numClasses) {
        throw new DataFormatException(
            "IDX file "
                + labels
                + ": record "
                + i
                + " (offset "
                + (8 + i)
                + ") has label "
                + y[i]
                + ", expected < "
                + numClasses);
      }
      t[i] = y[i];
    }
    return Tensor.wrap(t, y.length);
  }

  private static String describe(
      String name, int[] shape, int numClasses, Path images, Path labels) {
    return name
        + ": "
        + shape[0]
        + " examples of "
        + Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length))
        + ", "
        + numClasses
        + " classes, from "
        + images
        + " and "
        + labels;
  }

  /**
   * Reads an unsigned-byte IDX file of {@code rank} dimensions, bounding its data by {@code
   * maxBytes}.
   */
  static IdxData read(Path file, int rank, long maxBytes) throws IOException {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("IdxReader: maxBytes must be > 0, got " + maxBytes);
    }
    long fileLength = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      return new Source(file, raw, gzip).read(rank, fileLength, maxBytes);
    }
  }

  /** One pass over a file's (decompressed) bytes, tracking the offset for error messages. */
  private static final class Source {
    private final Path file;
    private InputStream in;
    private final boolean gzip;
    private long offset;

    Source(Path file, InputStream in, boolean gzip) {
      this.file = file;
      this.in = in;
      this.gzip = gzip;
    }

    private DataFormatException error(String what, long at) {
      return new DataFormatException(
          "IDX file "
              + file
              + ": "
              + what
              + " at "
              + (gzip ? "decompressed " : "")
              + "offset "
              + at);
    }

    IdxData read(int rank, long fileLength, long maxBytes) throws IOException {
      try {
        if (gzip) {
          in = new GZIPInputStream(in, CHUNK);
        }
        int expectedMagic = 0x800 | rank;
        int magic = readInt("4-byte magic number");
        if (magic != expectedMagic) {
          throw error(
              String.format(
                  "wrong magic number 0x%08x, expected 0x%08x (unsigned bytes, %d dimension%s)",
                  magic, expectedMagic, rank, rank == 1 ? "" : "s"),
              0);
        }
        int[] dims = new int[rank];
        long headerLength = 4L + 4L * rank;
        long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
        String limitWhy =
            limit == maxBytes ? "the limit maxBytes = " + maxBytes : "the largest Java array";
        long room = gzip ? MAX_INFLATE_RATIO * fileLength : fileLength - headerLength;
        if (room < limit) {
          limit = room;
          limitWhy =
              gzip
                  ? "the " + room + " bytes a gzip file of " + fileLength + " bytes can hold"
                  : "the " + room + " bytes after the header in a file of " + fileLength + " bytes";
        }
        for (int i = 0; i < rank; i++) {
          dims[i] = readInt("dimension " + i);
        }
        long product = 1;
        for (int i = 0; i < rank; i++) {
          long at = 4 + 4L * i;
          if (dims[i] < 0) {
            throw error(
                "dimension " + i + " is " + Integer.toUnsignedString(dims[i]) + " (> 2^31-1)", at);
          }
          product *= dims[i]; // product <= limit < 2^31 before, dims[i] < 2^31: no overflow
          if (product > limit) {
            throw error(
                "dimensions "
                    + Arrays.toString(dims)
                    + " need at least "
                    + product
                    + " data bytes (dimension "
                    + i
                    + "), more than "
                    + limitWhy,
                at);
          }
        }
        byte[] data = readData((int) product, dims);
        if (in.read() != -1) {
          throw error(
              "unexpected data after the "
                  + product
                  + " bytes of "
                  + Arrays.toString(dims)
                  + " (file is longer than its header says)",
              offset);
        }
        return new IdxData(dims, data);
      } catch (ZipException | EOFException e) {
        throw new DataFormatException(
            "IDX file "
                + file
                + ": corrupt or truncated gzip stream after decompressed offset "
                + offset
                + ": "
                + e.getMessage(),
            e);
      }
    }

    private int readInt(String what) throws IOException {
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int b = in.read();
        if (b < 0) {
          throw error("truncated header: file ends while reading the " + what, offset);
        }
        offset++;
        v = (v << 8) | b;
      }
      return v;
    }

    /** Reads {@code n} bytes, growing the buffer only as data actually arrive. */
    private byte[] readData(int n, int[] dims) throws IOException {
      long start = offset;
      byte[] buf = new byte[Math.min(n, CHUNK)];
      int filled = 0;
      while (filled < n) {
        if (filled == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
        }
        int k = in.read(buf, filled, buf.length - filled);
        if (k < 0) {
          throw error(
              "truncated data: "
                  + Arrays.toString(dims)
                  + " needs "
                  + n
                  + " bytes from offset "
                  + start
                  + " but the data end",
              offset);
        }
        filled += k;
        offset += k;
      }
      return buf;
    }
  }
}
