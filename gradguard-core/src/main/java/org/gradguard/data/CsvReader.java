package org.gradguard.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

  final String labelColumn;
  final List<String> targetColumns;
  final List<String> featureColumns;
  private final char delimiter;
  final boolean allowNonFinite;
  private final int maxLineLength;
  final int maxRows;

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
        return new CsvParse(this, file, tok).run();
      } catch (CharacterCodingException e) {
        throw new DataFormatException(
            "CSV file " + file + ", line " + tok.line() + ": not valid UTF-8", e);
      }
    }
  }
}
