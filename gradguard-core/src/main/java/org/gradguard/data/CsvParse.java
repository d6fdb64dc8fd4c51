package org.gradguard.data;

import java.io.IOException;
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
 * Reads one CSV file for a {@link CsvReader}: header, rows, labels, errors with line and column.
 */
final class CsvParse {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Pattern INTEGER_LABEL = Pattern.compile("\\d{1,9}");

  private final CsvReader options;
  private int headerLine = 1;
  private final Path file;
  private final CsvTokenizer tok;
  private List<String> header;

  CsvParse(CsvReader options, Path file, CsvTokenizer tok) {
    this.options = options;
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
      throw error(headerLine, "no " + role + " column \"" + name + "\" in the header " + header);
    }
    return i;
  }

  TensorDataset run() throws IOException {
    header = tok.next();
    if (header == null) {
      throw error(1, "empty file, expected a header line");
    }
    headerLine = tok.recordLine();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      if (!seen.add(header.get(i))) {
        throw error(
            tok.recordLine(),
            "column " + (i + 1) + " repeats the header name \"" + header.get(i) + "\"");
      }
    }
    boolean classify = options.labelColumn != null;
    int[] targetCols =
        classify
            ? new int[] {column(options.labelColumn, "label")}
            : options.targetColumns.stream().mapToInt(n -> column(n, "target")).toArray();
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
      if (rows == options.maxRows) {
        throw error(tok.recordLine(), "more than maxRows = " + options.maxRows + " data rows");
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
          labelLines = Arrays.copyOf(labelLines == null ? new int[16] : labelLines, rows * 2 + 16);
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
      throw error(headerLine, "no data rows after the header");
    }
    Tensor inputs = Tensor.wrap(x.toArray(), rows, featureCols.length);
    String source = "csv " + file + ": " + rows + " rows, " + featureCols.length + " features, ";
    if (!classify) {
      return TensorDataset.regression(
          inputs,
          Tensor.wrap(y.toArray(), rows, targetCols.length),
          source + "regression targets " + options.targetColumns);
    }
    return classes(inputs, labels, labelLines, targetCols[0], source);
  }

  private int[] featureColumns(int[] targetCols) {
    if (options.featureColumns != null) {
      int[] cols = options.featureColumns.stream().mapToInt(n -> column(n, "feature")).toArray();
      for (int c : cols) {
        for (int t : targetCols) {
          if (c == t) {
            throw error(
                headerLine, "column \"" + header.get(c) + "\" is both a feature and a target");
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
      throw error(headerLine, "no feature columns besides the targets in the header " + header);
    }
    return cols.stream().mapToInt(Integer::intValue).toArray();
  }

  private float number(String cell, int column) {
    String s = cell.strip();
    if (s.isEmpty()) {
      throw cellError(column, "empty cell, expected a number");
    }
    if (NON_FINITE.matcher(s).matches()) {
      if (!options.allowNonFinite) {
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
        if (v >= CsvReader.MAX_CLASSES) {
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
                  + " is not below CsvReader.MAX_CLASSES = "
                  + CsvReader.MAX_CLASSES);
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
        if (index.size() == CsvReader.MAX_CLASSES) {
          throw new DataFormatException(
              "CSV file "
                  + file
                  + ", line "
                  + lines[i]
                  + ": more than "
                  + CsvReader.MAX_CLASSES
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
