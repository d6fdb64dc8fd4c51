package org.gradguard.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.gradguard.tensor.Tensor;

/**
 * Reads a numeric table from a UTF-8 CSV file with a header line into a {@link TensorDataset}:
 * inputs {@code [N, F]} from the feature columns and, for classification, labels {@code [N]} from
 * one label column, or for regression targets {@code [N, k]} from {@code k} target columns.
 *
 * <p>Class labels: when every label cell is a non-negative decimal integer ({@code 0}, {@code 7},
 * {@code 012}) the integers are the class indices and there are {@code max + 1} classes; otherwise
 * every label is a string (surrounding spaces trimmed), and the distinct strings are numbered
 * {@code 0, 1, …} in order of first appearance in the file, and become the {@link
 * Dataset#classNames() class names}.
 *
 * <p>Numbers are decimal ({@code -1.5}, {@code 2e-3}; surrounding spaces allowed). {@code NaN} and
 * {@code Infinity} (also {@code nan}, {@code inf}, signed) are rejected unless {@link
 * #withAllowNonFinite(boolean)} allows them; a value outside the float32 range is always rejected.
 * Quoting follows RFC 4180's basics (see {@link CsvTokenizer}). Records longer than {@code
 * maxLineLength} characters and files of more than {@code maxRows} data rows are rejected before
 * they are stored. Every error names the file, the line and, for a cell, the column (1-based, with
 * its header name).
 *
 * <p>Instances are immutable; the {@code with…} methods return modified copies.
 */
public final class CsvReader {
  /** The default bound on one record's length in characters: 1 Mi. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 1 << 20;

  /** The default bound on the number of data rows: 10 million. */
  public static final int DEFAULT_MAX_ROWS = 10_000_000;

  /** The largest number of classes, and one more than the largest integer label accepted. */
  public static final int MAX_CLASSES = 1 << 16;

  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Pattern INTEGER_LABEL = Pattern.compile("\\d{1,9}");

  private final String labelColumn;
  private final List<String> targetColumns;
  private final List<String> featureColumns;
  private final char delimiter;
  private final boolean allowNonFinite;
  private final int maxLineLength;
  private final int maxRows;

  private CsvReader(
      String labelColumn,
      List<String> targetColumns,
      List<String> featureColumns,
      char delimiter,
      boolean allowNonFinite,
      int maxLineLength,
      int maxRows) {
    this.labelColumn = labelColumn;
    this.targetColumns = targetColumns;
    this.featureColumns = featureColumns;
    this.delimiter = delimiter;
    this.allowNonFinite = allowNonFinite;
    this.maxLineLength = maxLineLength;
    this.maxRows = maxRows;
  }

  /** A reader for classification with labels in the column named {@code labelColumn}. */
  public static CsvReader classification(String labelColumn) {
    if (labelColumn == null || labelColumn.isEmpty()) {
      throw new IllegalArgumentException("CsvReader: labelColumn must be a column name, got \"\"");
    }
    return new CsvReader(
        labelColumn, List.of(), null, ',', false, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_ROWS);
  }

  /** A reader for regression with targets {@code [N, k]} from the {@code k} named columns. */
  public static CsvReader regression(String... targetColumns) {
    if (targetColumns.length == 0) {
      throw new IllegalArgumentException("CsvReader: regression needs at least one target column");
    }
    return new CsvReader(
        null, List.of(targetColumns), null, ',', false, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_ROWS);
  }

  /**
   * This reader taking features from exactly these columns, in this order; by default every column
   * other than the label or target columns, in file order.
   */
  public CsvReader withFeatureColumns(String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("CsvReader: featureColumns must not be empty");
    }
    return new CsvReader(
        labelColumn,
        targetColumns,
        List.of(columns),
        delimiter,
        allowNonFinite,
        maxLineLength,
        maxRows);
  }

  /** This reader with another field delimiter (default {@code ','}). */
  public CsvReader withDelimiter(char delimiter) {
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      throw new IllegalArgumentException(
          "CsvReader: delimiter must not be a quote or line break, got '" + delimiter + "'");
    }
    return new CsvReader(
        labelColumn,
        targetColumns,
        featureColumns,
        delimiter,
        allowNonFinite,
        maxLineLength,
        maxRows);
  }

  /** This reader accepting (true) or rejecting (false, the default) NaN and infinite values. */
  public CsvReader withAllowNonFinite(boolean allow) {
    return new CsvReader(
        labelColumn, targetColumns, featureColumns, delimiter, allow, maxLineLength, maxRows);
  }

  /** This reader with other bounds on record length (characters) and data rows. */
  public CsvReader withLimits(int maxLineLength, int maxRows) {
    if (maxLineLength <= 0) {
      throw new IllegalArgumentException(
          "CsvReader: maxLineLength must be > 0, got " + maxLineLength);
    }
    if (maxRows <= 0) {
      throw new IllegalArgumentException("CsvReader: maxRows must be > 0, got " + maxRows);
    }
    return new CsvReader(
        labelColumn,
        targetColumns,
        featureColumns,
        delimiter,
        allowNonFinite,
        maxLineLength,
        maxRows);
  }

  /**
   * Reads {@code file}. Not modified: the file.
   *
   * @throws DataFormatException naming the file, line and column, for malformed content
   * @throws IOException if the file cannot be read
   */
  public TensorDataset read(Path file) throws IOException {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
      CsvTokenizer tok = new CsvTokenizer(in, file.toString(), delimiter, maxLineLength);
      try {
        return new Parse(file, tok).run();
      } catch (CharacterCodingException e) {
        throw new DataFormatException(
            "CSV file " + file + ", line " + tok.line() + ": not valid UTF-8", e);
      }
    }
  }

  /** The state of reading one file. */
  private final class Parse {
    private final Path file;
    private final CsvTokenizer tok;
    private List<String> header;

    Parse(Path file, CsvTokenizer tok) {
      this.file = file;
      this.tok = tok;
    }

    private DataFormatException error(int line, String what) {
      return new DataFormatException("CSV file " + file + ", line " + line + ": " + what);
    }

    private DataFormatException cellError(int column, String what) {
      return new DataFormatException(
          "CSV file "
              + file
              + ", line "
              + tok.recordLine()
              + ", column "
              + (column + 1)
              + " (\""
              + header.get(column)
              + "\"): "
              + what);
    }

    private int column(String name, String role) {
      int i = header.indexOf(name);
      if (i < 0) {
        throw error(1, "no " + role + " column \"" + name + "\" in the header " + header);
      }
      return i;
    }

    TensorDataset run() throws IOException {
      header = tok.next();
      if (header == null) {
        throw error(1, "empty file, expected a header line");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < header.size(); i++) {
        if (!seen.add(header.get(i))) {
          throw error(
              tok.recordLine(),
              "column " + (i + 1) + " repeats the header name \"" + header.get(i) + "\"");
        }
      }
      boolean classify = labelColumn != null;
      int[] targetCols =
          classify
              ? new int[] {column(labelColumn, "label")}
              : targetColumns.stream().mapToInt(n -> column(n, "target")).toArray();
      int[] featureCols = featureColumns(targetCols);
      FloatBuffer x = new FloatBuffer();
      FloatBuffer y = new FloatBuffer();
      List<String> labels = new ArrayList<>();
      int[] labelLines = null;
      int rows = 0;
      for (List<String> rec = tok.next(); rec != null; rec = tok.next()) {
        if (rec.size() != header.size()) {
          throw error(
              tok.recordLine(),
              rec.size()
                  + " fields, but the header has "
                  + header.size()
                  + " columns"
                  + (rec.size() < header.size()
                      ? " (column "
                          + (rec.size() + 1)
                          + " \""
                          + header.get(rec.size())
                          + "\" is missing)"
                      : " (column " + (header.size() + 1) + " has no header)"));
        }
        if (rows == maxRows) {
          throw error(tok.recordLine(), "more than maxRows = " + maxRows + " data rows");
        }
        if ((long) (rows + 1) * featureCols.length > Integer.MAX_VALUE - 8) {
          throw error(tok.recordLine(), "too many values for one tensor");
        }
        for (int c : featureCols) {
          x.add(number(rec.get(c), c));
        }
        if (classify) {
          String label = rec.get(targetCols[0]).strip();
          if (label.isEmpty()) {
            throw cellError(targetCols[0], "empty label");
          }
          labels.add(label);
          if (labelLines == null || labelLines.length == rows) {
            labelLines =
                Arrays.copyOf(labelLines == null ? new int[16] : labelLines, rows * 2 + 16);
          }
          labelLines[rows] = tok.recordLine();
        } else {
          for (int c : targetCols) {
            y.add(number(rec.get(c), c));
          }
        }
        rows++;
      }
      if (rows == 0) {
        throw error(1, "no data rows after the header");
      }
      Tensor inputs = Tensor.wrap(x.toArray(), rows, featureCols.length);
      String source = "csv " + file + ": " + rows + " rows, " + featureCols.length + " features, ";
      if (!classify) {
        return TensorDataset.regression(
            inputs,
            Tensor.wrap(y.toArray(), rows, targetCols.length),
            source + "regression targets " + targetColumns);
      }
      return classes(inputs, labels, labelLines, targetCols[0], source);
    }

    private int[] featureColumns(int[] targetCols) {
      if (featureColumns != null) {
        int[] cols = featureColumns.stream().mapToInt(n -> column(n, "feature")).toArray();
        for (int c : cols) {
          for (int t : targetCols) {
            if (c == t) {
              throw error(1, "column \"" + header.get(c) + "\" is both a feature and a target");
            }
          }
        }
        return cols;
      }
      List<Integer> cols = new ArrayList<>();
      outer:
      for (int i = 0; i < header.size(); i++) {
        for (int t : targetCols) {
          if (i == t) {
            continue outer;
          }
        }
        cols.add(i);
      }
      if (cols.isEmpty()) {
        throw error(1, "no feature columns besides the targets in the header " + header);
      }
      return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    private float number(String cell, int column) {
      String s = cell.strip();
      if (s.isEmpty()) {
        throw cellError(column, "empty cell, expected a number");
      }
      if (NON_FINITE.matcher(s).matches()) {
        if (!allowNonFinite) {
          throw cellError(
              column,
              "non-finite value \""
                  + s
                  + "\" rejected (CsvReader.withAllowNonFinite(true) accepts NaN and Infinity)");
        }
        String lower = s.toLowerCase();
        return lower.contains("nan")
            ? Float.NaN
            : s.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
      }
      if (!NUMBER.matcher(s).matches()) {
        throw cellError(column, "not a number: \"" + abbreviate(s) + "\"");
      }
      float v = (float) Double.parseDouble(s);
      if (Float.isInfinite(v)) {
        throw cellError(column, "value " + s + " is outside the float32 range");
      }
      return v;
    }

    private TensorDataset classes(
        Tensor inputs, List<String> labels, int[] lines, int column, String source) {
      boolean integers = labels.stream().allMatch(l -> INTEGER_LABEL.matcher(l).matches());
      float[] t = new float[labels.size()];
      String label = "label column \"" + header.get(column) + "\"";
      if (integers) {
        int max = 0;
        for (int i = 0; i < t.length; i++) {
          int v = Integer.parseInt(labels.get(i));
          if (v >= MAX_CLASSES) {
            throw new DataFormatException(
                "CSV file "
                    + file
                    + ", line "
                    + lines[i]
                    + ", column "
                    + (column + 1)
                    + " (\""
                    + header.get(column)
                    + "\"): integer label "
                    + v
                    + " is not below MAX_CLASSES = "
                    + MAX_CLASSES);
          }
          t[i] = v;
          max = Math.max(max, v);
        }
        return TensorDataset.classification(
            inputs,
            Tensor.wrap(t, t.length),
            max + 1,
            source + label + ", " + (max + 1) + " classes (integer labels)");
      }
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < t.length; i++) {
        String l = labels.get(i);
        Integer k = index.get(l);
        if (k == null) {
          if (index.size() == MAX_CLASSES) {
            throw new DataFormatException(
                "CSV file "
                    + file
                    + ", line "
                    + lines[i]
                    + ": more than "
                    + MAX_CLASSES
                    + " classes");
          }
          k = index.size();
          index.put(l, k);
        }
        t[i] = k;
      }
      List<String> names = new ArrayList<>(index.keySet());
      String shown = names.size() <= 20 ? names.toString() : names.subList(0, 20) + "…";
      return TensorDataset.classification(
          inputs,
          Tensor.wrap(t, t.length),
          names.size(),
          names,
          source + label + ", " + names.size() + " classes in order of first appearance " + shown);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  /** A growable float array. */
  private static final class FloatBuffer {
    private float[] a = new float[1024];
    private int n;

    void add(float v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, (int) Math.min(Integer.MAX_VALUE - 8, 2L * a.length));
      }
      a[n++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
