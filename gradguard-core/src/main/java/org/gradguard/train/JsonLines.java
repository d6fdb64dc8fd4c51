package org.gradguard.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.gradguard.tensor.io.AtomicFile;
import org.gradguard.tensor.io.Json;
import org.gradguard.tensor.io.JsonException;

/**
 * JSON Lines files (one JSON object per line, UTF-8, {@code \n}-terminated): an appending writer
 * that flushes every line, and a reader that tolerates exactly one kind of damage, the truncated
 * last line a killed process leaves behind.
 */
final class JsonLines implements AutoCloseable {
  /** The longest line read, in chars. */
  static final int MAX_LINE = 1 << 20;

  private final Path file;
  private final Writer out;

  private JsonLines(Path file, Writer out) {
    this.file = file;
    this.out = out;
  }

  /** Opens {@code file} for appending, creating it. */
  static JsonLines append(Path file) throws IOException {
    return new JsonLines(
        file,
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  /**
   * Writes one object as a line and flushes it, so a crash loses at most the line being written.
   */
  void write(Map<String, Object> record) {
    try {
      out.write(Json.write(record));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /**
   * The objects of {@code file}, in order. A last line that is not valid JSON and has no final
   * newline (a write cut short) is left out; any other bad line is an error naming the file and the
   * line number.
   */
  static List<Map<String, Object>> read(Path file) throws IOException {
    String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
    // A file ending in a newline splits into a last, empty element; otherwise the last element is
    // a line without its newline.
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        out.add(Json.parseObject(lines[i], MAX_LINE));
      } catch (JsonException e) {
        if (i == lines.length - 1) {
          break; // the truncated last line of a killed writer
        }
        throw new IllegalArgumentException(file + ": line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * Rewrites {@code file} atomically, keeping the lines {@code keep} accepts (a truncated last line
   * is dropped); used on resume to drop the records of steps that will be redone.
   */
  static void filter(Path file, Predicate<Map<String, Object>> keep) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<Map<String, Object>> kept = new ArrayList<>();
    for (Map<String, Object> m : read(file)) {
      if (keep.test(m)) {
        kept.add(m);
      }
    }
    AtomicFile.write(
        file,
        o -> {
          Writer w = new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8));
          for (Map<String, Object> m : kept) {
            w.write(Json.write(m));
            w.write('\n');
          }
          w.flush();
        });
  }
}
