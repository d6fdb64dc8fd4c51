package org.gradguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  /** The bytes of an IDX file: magic 0x0000 08 rank, the dims, then the data. */
  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] pixels(int n) {
    byte[] p = new byte[n];
    for (int i = 0; i < n; i++) {
      p[i] = (byte) (i * 51);
    }
    return p;
  }

  /** Asserts that reading fails with a message naming the file and the offset. */
  private static DataFormatException assertBad(Path file, String offset, ThrowingRead read) {
    DataFormatException e = assertThrows(DataFormatException.class, read::run);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(offset), e.getMessage());
    return e;
  }

  interface ThrowingRead {
    void run() throws IOException;
  }

  @Test
  void readsPlainAndGzipImagesScaledToUnitRange() throws IOException {
    byte[] bytes = idx(0x803, new int[] {2, 3, 2}, pixels(12));
    for (Path f : new Path[] {write("plain", bytes), write("zipped.gz", gzip(bytes))}) {
      Tensor x = IdxReader.readImages(f, IdxReader.Layout.NCHW);
      assertArrayEquals(new int[] {2, 1, 3, 2}, x.shape());
      for (int i = 0; i < 12; i++) {
        assertEquals(((i * 51) & 0xFF) / 255f, x.data()[i]);
      }
      assertEquals(0f, x.data()[0]);
      assertEquals(1f, x.data()[5]); // 5 * 51 = 255
      Tensor flat = IdxReader.readImages(f, IdxReader.Layout.FLAT);
      assertArrayEquals(new int[] {2, 6}, flat.shape());
      assertTrue(flat.bitEquals(x.reshape(2, 6)));
    }
  }

  @Test
  void gzipIsDetectedByMagicBytesNotName() throws IOException {
    byte[] bytes = idx(0x801, new int[] {3}, new byte[] {0, 7, 9});
    assertArrayEquals(new int[] {0, 7, 9}, IdxReader.readLabels(write("labels", gzip(bytes))));
    assertArrayEquals(new int[] {0, 7, 9}, IdxReader.readLabels(write("labels.gz", bytes)));
  }

  @Test
  void loadsADatasetWithLabelsAndDescription() throws IOException {
    Path x = write("img.gz", gzip(idx(0x803, new int[] {3, 2, 2}, pixels(12))));
    Path y = write("lab", idx(0x801, new int[] {3}, new byte[] {2, 0, 1}));
    TensorDataset ds = IdxReader.load(x, y, IdxReader.Layout.NCHW, 3, null, "toy");
    assertEquals(3, ds.size());
    assertArrayEquals(new int[] {1, 2, 2}, ds.featureShape());
    assertArrayEquals(new int[] {2, 0, 1}, ds.batch(new int[] {0, 1, 2}).labels());
    assertTrue(ds.description().startsWith("toy: 3 examples"), ds.description());
    assertTrue(ds.description().contains(x.toString()), ds.description());
  }

  @Test
  void wrongMagicNamesFileAndOffset() throws IOException {
    Path f = write("wrong", idx(0x801, new int[] {4}, new byte[4]));
    var e = assertBad(f, "offset 0", () -> IdxReader.readImages(f, IdxReader.Layout.FLAT));
    assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    Path g = write("text", "hello, world".getBytes());
    assertBad(g, "offset 0", () -> IdxReader.readLabels(g));
  }

  @Test
  void truncatedHeaderAndData() throws IOException {
    byte[] full = idx(0x803, new int[] {2, 3, 2}, pixels(12));
    Path header = write("header", Arrays.copyOf(full, 9));
    assertBad(header, "offset 9", () -> IdxReader.readImages(header, IdxReader.Layout.NCHW));
    // A plain file's length bounds the dimensions before anything is read.
    Path data = write("data", Arrays.copyOf(full, full.length - 1));
    var e = assertBad(data, "offset 12", () -> IdxReader.readImages(data, IdxReader.Layout.NCHW));
    assertTrue(e.getMessage().contains("11 bytes after the header"), e.getMessage());
    // A gzip file is read until the data run out: a short read names the decompressed offset.
    Path gz = write("data.gz", gzip(Arrays.copyOf(full, full.length - 1)));
    assertBad(gz, "decompressed offset 27", () -> IdxReader.readImages(gz, IdxReader.Layout.NCHW));
  }

  @Test
  void dimensionsWhoseProductExceedsTheFile() throws IOException {
    Path f = write("big", idx(0x803, new int[] {60000, 28, 28}, new byte[100]));
    var e = assertBad(f, "offset 4", () -> IdxReader.readImages(f, IdxReader.Layout.NCHW));
    assertTrue(e.getMessage().contains("[60000, 28, 28]"), e.getMessage());
    assertTrue(e.getMessage().contains("100 bytes after the header"), e.getMessage());
    Path g = write("big2", idx(0x803, new int[] {10, 28, 28}, new byte[7840 - 1]));
    assertBad(g, "offset 12", () -> IdxReader.readImages(g, IdxReader.Layout.NCHW));
  }

  @Test
  void hugeDimensionsAreRejectedBeforeAllocating() throws IOException {
    int max = Integer.MAX_VALUE;
    for (String name : new String[] {"huge", "huge.gz"}) {
      byte[] bytes = idx(0x803, new int[] {max, max, max}, new byte[16]);
      Path f = write(name, name.endsWith(".gz") ? gzip(bytes) : bytes);
      // The first dimension alone exceeds the file (plain) or the gzip ratio bound.
      assertBad(f, "offset 4", () -> IdxReader.readImages(f, IdxReader.Layout.NCHW));
    }
    // Within maxBytes the product of two dimensions still overflows nothing and is caught.
    Path f = write("huge2", idx(0x803, new int[] {1, max, max}, new byte[16]));
    assertBad(f, "offset 8", () -> IdxReader.readImages(f, IdxReader.Layout.NCHW, 1L << 40));
    Path neg = write("neg", idx(0x803, new int[] {-1, 2, 2}, new byte[16]));
    var e = assertBad(neg, "offset 4", () -> IdxReader.readImages(neg, IdxReader.Layout.NCHW));
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
  }

  @Test
  void lyingGzipHeaderFailsOnAShortReadNotAnAllocation() throws IOException {
    Rng rng = new Rng(1);
    byte[] noise = new byte[4000];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (byte) rng.nextInt(256);
    }
    // Claims 8000 bytes (within what 4 KB of gzip could hold), delivers 4000.
    Path f = write("liar.gz", gzip(idx(0x803, new int[] {10, 20, 40}, noise)));
    var e =
        assertBad(
            f, "decompressed offset 4016", () -> IdxReader.readImages(f, IdxReader.Layout.FLAT));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void gzipBombIsStoppedByTheCap() throws IOException {
    // 4 MiB of zeros compress to a few KB; with a 1 MiB cap the header is rejected up front.
    int n = 4 << 20;
    Path f = write("bomb.gz", gzip(idx(0x803, new int[] {n / 1024, 32, 32}, new byte[n])));
    var e =
        assertBad(f, "offset 12", () -> IdxReader.readImages(f, IdxReader.Layout.FLAT, 1 << 20));
    assertTrue(e.getMessage().contains("maxBytes"), e.getMessage());
    // A header that understates the data leaves trailing bytes, which are reported.
    Path under = write("under.gz", gzip(idx(0x801, new int[] {10}, new byte[n])));
    assertBad(under, "decompressed offset 18", () -> IdxReader.readLabels(under));
  }

  @Test
  void corruptAndCutGzipStreams() throws IOException {
    byte[] z = gzip(idx(0x803, new int[] {2, 3, 2}, pixels(12)));
    Path cut = write("cut.gz", Arrays.copyOf(z, z.length - 12));
    var e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    byte[] garbage = z.clone();
    for (int i = 10; i < garbage.length; i++) {
      garbage[i] = (byte) 0xFF;
    }
    Path bad = write("bad.gz", garbage);
    e =
        assertThrows(
            DataFormatException.class, () -> IdxReader.readImages(bad, IdxReader.Layout.FLAT));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset"), e.getMessage());
  }

  @Test
  void imageLabelCountMismatchNamesBothFiles() throws IOException {
    Path x = write("img", idx(0x803, new int[] {3, 2, 2}, pixels(12)));
    Path y = write("lab", idx(0x801, new int[] {2}, new byte[] {0, 1}));
    var e =
        assertBad(
            x, "offset 4", () -> IdxReader.load(x, y, IdxReader.Layout.FLAT, 10, null, "bad"));
    assertTrue(e.getMessage().contains(y.toString()), e.getMessage());
    Path big = write("lab2", idx(0x801, new int[] {3}, new byte[] {0, 1, 12}));
    assertBad(
        big, "offset 10", () -> IdxReader.load(x, big, IdxReader.Layout.FLAT, 10, null, "bad"));
  }

  @Test
  void byteDatasetBatchesAreBitIdenticalToTheFloatDataset() throws IOException {
    // Every byte value 0..255 occurs, so every pixel's conversion is compared.
    int n = 37;
    int rows = 5;
    int cols = 7;
    byte[] data = new byte[n * rows * cols];
    Rng rng = new Rng(11);
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i < 256 ? i : rng.nextInt(256));
    }
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) rng.nextInt(10);
    }
    Path x = write("img.gz", gzip(idx(0x803, new int[] {n, rows, cols}, data)));
    Path y = write("lab", idx(0x801, new int[] {n}, labels));
    for (IdxReader.Layout layout : IdxReader.Layout.values()) {
      TensorDataset floats = IdxReader.load(x, y, layout, 10, null, "toy");
      ByteImageDataset bytes = IdxReader.loadBytes(x, y, layout, 10, null, "toy");
      assertEquals(floats.size(), bytes.size());
      assertArrayEquals(floats.featureShape(), bytes.featureShape());
      assertArrayEquals(floats.targetShape(), bytes.targetShape());
      assertEquals(floats.numClasses(), bytes.numClasses());
      assertEquals(floats.description(), bytes.description());
      assertEquals(floats.classNames(), bytes.classNames());
      for (int size : new int[] {1, 2, 3, 8, 17, n, 2 * n + 1}) {
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
          indices[i] = size == n ? i : rng.nextInt(n); // repeats allowed
        }
        Batch a = floats.batch(indices);
        Batch b = bytes.batch(indices);
        assertArrayEquals(a.inputs().shape(), b.inputs().shape(), layout + " " + size);
        assertTrue(a.inputs().bitEquals(b.inputs()), layout + " " + size);
        assertTrue(a.targets().bitEquals(b.targets()), layout + " " + size);
      }
    }
  }

  @Test
  void byteDatasetLoadReportsTheSameErrors() throws IOException {
    Path x = write("img", idx(0x803, new int[] {3, 2, 2}, pixels(12)));
    Path y = write("lab", idx(0x801, new int[] {2}, new byte[] {0, 1}));
    var e =
        assertBad(
            x, "offset 4", () -> IdxReader.loadBytes(x, y, IdxReader.Layout.FLAT, 10, null, "bad"));
    assertTrue(e.getMessage().contains(y.toString()), e.getMessage());
    Path big = write("lab2", idx(0x801, new int[] {3}, new byte[] {0, 1, 12}));
    assertBad(
        big,
        "offset 10",
        () -> IdxReader.loadBytes(x, big, IdxReader.Layout.FLAT, 10, null, "bad"));
    Path bad = write("bad", idx(0x801, new int[] {12}, pixels(12)));
    assertBad(
        bad, "offset 0", () -> IdxReader.loadBytes(bad, y, IdxReader.Layout.FLAT, 10, null, "bad"));
  }
}
