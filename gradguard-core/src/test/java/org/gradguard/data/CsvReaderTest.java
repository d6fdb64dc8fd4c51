package org.gradguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("t.csv"), text, StandardCharsets.UTF_8);
  }

  /** Asserts the read fails with a message naming the file and containing each fragment. */
  private void assertBad(CsvReader reader, String text, String... fragments) throws IOException {
    Path f = write(text);
    DataFormatException e = assertThrows(DataFormatException.class, () -> reader.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    for (String s : fragments) {
      assertTrue(e.getMessage().contains(s), "\"" + s + "\" missing from: " + e.getMessage());
    }
  }

  private static final CsvReader BY_Y = CsvReader.classification("y");

  @Test
  void integerLabelsAreClassIndices() throws IOException {
    TensorDataset ds = BY_Y.read(write("a,y,b\n1,2,3\n4,0,-6e-1\n"));
    assertEquals(2, ds.size());
    assertArrayEquals(new int[] {2}, ds.featureShape());
    assertEquals(3, ds.numClasses());
    assertArrayEquals(new float[] {1, 3, 4, -0.6f}, ds.inputs().data());
    assertArrayEquals(new int[] {2, 0}, ds.batch(new int[] {0, 1}).labels());
    assertTrue(ds.description().contains("integer labels"), ds.description());
  }

  @Test
  void stringLabelsAreNumberedInOrderOfFirstAppearance() throws IOException {
    TensorDataset ds = BY_Y.read(write("x,y\n1,cat\n2, dog\n3,cat\n4,7\n"));
    assertEquals(List.of("cat", "dog", "7"), ds.classNames());
    assertArrayEquals(new int[] {0, 1, 0, 2}, ds.batch(new int[] {0, 1, 2, 3}).labels());
  }

  @Test
  void regressionTargetsAndChosenFeatures() throws IOException {
    Path f = write("a,b,t1,c,t2\r\n1,2,3,4,5\r\n6,7,8,9,10\r\n");
    TensorDataset ds = CsvReader.regression("t2", "t1").withFeatureColumns("c", "a").read(f);
    assertArrayEquals(new int[] {2, 2}, ds.targets().shape());
    assertArrayEquals(new float[] {5, 3, 10, 8}, ds.targets().data());
    assertArrayEquals(new float[] {4, 1, 9, 6}, ds.inputs().data());
    assertEquals(0, ds.numClasses());
  }

  @Test
  void quotedFieldsPerRfc4180() throws IOException {
    String text =
        "\uFEFF\"x\",\"the, \"\"label\"\"\"\n\"1.5\",\"a,b\"\n\n2,\"multi\nline\"\n3,a,b\n";
    Path f = write(text.replace("3,a,b\n", "3,\"a,b\"\n"));
    TensorDataset ds = CsvReader.classification("the, \"label\"").read(f);
    assertEquals(List.of("a,b", "multi\nline"), ds.classNames());
    assertArrayEquals(new float[] {1.5f, 2, 3}, ds.inputs().data());
    // Line numbers count the line break inside the quoted field.
    assertBad(
        CsvReader.classification("y"),
        "x,y\n1,\"a\nb\"\nzz,c\n",
        "line 4, column 1 (\"x\")",
        "not a number: \"zz\"");
    assertBad(BY_Y, "x,y\n1,\"open\n", "line 2, column 2", "not closed");
    assertBad(BY_Y, "x,y\n1,\"a\"b\n", "line 2, column 2", "after a closing quote");
  }

  @Test
  void nonNumericCell() throws IOException {
    assertBad(BY_Y, "a,b,y\n1,2,0\n3,x1,1\n", "line 3, column 2 (\"b\")", "not a number: \"x1\"");
    assertBad(BY_Y, "a,y\n1f,0\n", "line 2, column 1 (\"a\")");
    assertBad(BY_Y, "a,y\n,0\n", "line 2, column 1 (\"a\")", "empty cell");
    assertBad(BY_Y, "a,y\n1e39,0\n", "line 2, column 1", "float32 range");
  }

  @Test
  void nanAndInfinityRejectedByDefault() throws IOException {
    assertBad(BY_Y, "a,b,y\n1,NaN,0\n", "line 2, column 2 (\"b\")", "non-finite", "NaN");
    assertBad(BY_Y, "a,b,y\n1,2,0\n-Infinity,2,1\n", "line 3, column 1 (\"a\")");
    assertBad(CsvReader.regression("t"), "a,t\n1,inf\n", "line 2, column 2 (\"t\")");
    TensorDataset ds = BY_Y.withAllowNonFinite(true).read(write("a,b,y\nnan,-inf,0\n"));
    assertTrue(Float.isNaN(ds.inputs().data()[0]));
    assertEquals(Float.NEGATIVE_INFINITY, ds.inputs().data()[1]);
  }

  @Test
  void raggedRows() throws IOException {
    assertBad(BY_Y, "a,b,y\n1,2,0\n1,2\n", "line 3", "2 fields", "column 3 \"y\" is missing");
    assertBad(BY_Y, "a,b,y\n1,2,0,9\n", "line 2", "4 fields", "column 4 has no header");
  }

  @Test
  void missingLabelColumnAndEmptyFile() throws IOException {
    assertBad(BY_Y, "a,b,label\n1,2,0\n", "line 1", "no label column \"y\"", "[a, b, label]");
    assertBad(CsvReader.regression("t"), "a,b\n1,2\n", "line 1", "no target column \"t\"");
    assertBad(BY_Y, "", "line 1", "empty file");
    assertBad(BY_Y, "\n\n", "line 1", "empty file");
    assertBad(BY_Y, "a,y\n", "line 1", "no data rows");
    assertBad(BY_Y, "a,y,a\n1,2,3\n", "line 1", "repeats the header name \"a\"");
    assertBad(BY_Y, "a,y\n1,\n", "line 2, column 2 (\"y\")", "empty label");
  }

  @Test
  void boundsLineLengthAndRows() throws IOException {
    CsvReader small = BY_Y.withLimits(12, 2);
    assertBad(small, "a,y\n1,0\n123456789012345,1\n", "line 3", "maxLineLength = 12");
    assertBad(small, "a,y\n1,0\n2,1\n3,0\n", "line 4", "maxRows = 2");
    assertBad(BY_Y, "a,y\n1,70000\n", "line 2, column 2", "MAX_CLASSES");
    var e = assertThrows(IllegalArgumentException.class, () -> BY_Y.withLimits(0, 1));
    assertEquals("CsvReader: maxLineLength must be > 0, got 0", e.getMessage());
  }

  @Test
  void invalidUtf8NamesTheLine() throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.write(f, new byte[] {'a', ',', 'y', '\n', '1', ',', (byte) 0xC3, '\n'});
    var e = assertThrows(DataFormatException.class, () -> BY_Y.read(f));
    assertTrue(e.getMessage().contains("UTF-8") && e.getMessage().contains(f.toString()));
  }
}
