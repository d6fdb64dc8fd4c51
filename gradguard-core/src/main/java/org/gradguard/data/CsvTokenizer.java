package org.gradguard.data;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records of fields, following RFC 4180's basics: fields separated by the
 * delimiter, records by LF, CRLF or CR; a field that starts with a double quote runs to the
 * matching quote, may contain delimiters and line breaks, and writes a quote as two ({@code ""}). A
 * quote inside an unquoted field is kept as an ordinary character. Empty lines are skipped. A
 * leading byte-order mark is dropped.
 */
final class CsvTokenizer {
  private final Reader in;
  private final String file;
  private final char delimiter;
  private final int maxRecordLength;
  private int line = 1;
  private int recordLine;
  private int pushedBack = -2;
  private boolean started;

  CsvTokenizer(Reader in, String file, char delimiter, int maxRecordLength) {
    this.in = in;
    this.file = file;
    this.delimiter = delimiter;
    this.maxRecordLength = maxRecordLength;
  }

  /** The line on which the last record returned by {@link #next()} starts (1-based). */
  int recordLine() {
    return recordLine;
  }

  /** The line the reader is on, for errors raised while reading. */
  int line() {
    return line;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    int c = in.read();
    if (!started) {
      started = true;
      if (c == '\uFEFF') {
        c = in.read();
      }
    }
    return c;
  }

  private DataFormatException error(String what) {
    return new DataFormatException("CSV file " + file + ", line " + line + ": " + what);
  }

  /** The next non-empty record, or null at the end of the input. */
  List<String> next() throws IOException {
    while (true) {
      recordLine = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      int length = 0;
      boolean quoted = false;
      boolean afterQuote = false;
      boolean any = false;
      while (true) {
        int c = read();
        if (c >= 0 && ++length > maxRecordLength) {
          throw error("record longer than maxLineLength = " + maxRecordLength + " characters");
        }
        if (quoted) {
          if (c < 0) {
            throw new DataFormatException(
                "CSV file "
                    + file
                    + ", line "
                    + recordLine
                    + ", column "
                    + (fields.size() + 1)
                    + ": quoted field is not closed before the end of the file");
          } else if (c == '"') {
            int d = read();
            if (d == '"') {
              field.append('"');
              length++;
            } else {
              pushedBack = d;
              quoted = false;
              afterQuote = true;
            }
          } else {
            field.append((char) c);
            if (c == '\n' || (c == '\r' && !peekLf())) {
              line++;
            }
          }
          continue;
        }
        if (c < 0 || c == '\n' || c == '\r') {
          if (c == '\r' && peekLf()) {
            read();
          }
          if (c >= 0) {
            line++;
          }
          if (!any && field.length() == 0) {
            if (c < 0) {
              return null;
            }
            break; // an empty line
          }
          fields.add(field.toString());
          return fields;
        }
        any = true;
        if (c == delimiter) {
          fields.add(field.toString());
          field.setLength(0);
          afterQuote = false;
        } else if (afterQuote) {
          throw new DataFormatException(
              "CSV file "
                  + file
                  + ", line "
                  + line
                  + ", column "
                  + (fields.size() + 1)
                  + ": unexpected character '"
                  + (char) c
                  + "' after a closing quote");
        } else if (c == '"' && field.length() == 0) {
          quoted = true;
        } else {
          field.append((char) c);
        }
      }
    }
  }

  /** Whether the next character is LF; it stays unread. */
  private boolean peekLf() throws IOException {
    int d = read();
    pushedBack = d;
    return d == '\n';
  }
}
