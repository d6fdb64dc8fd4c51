package org.gradguard.tensor.io;

/**
 * A JSON document that cannot be read, or a value that cannot be written as JSON.
 *
 * <p>For parse errors the message has the form {@code JSON at char 17 (line 2, column 5): expected
 * ':' after an object key, found '}'}, optionally prefixed by the source (a file name); {@link
 * #offset()} gives the zero-based char offset. For write errors the message names the JSON path of
 * the offending value ({@code $.layers[3].lr}) and {@link #offset()} is {@code -1}.
 */
public final class JsonException extends IllegalArgumentException {
  private final long offset;

  /** An error at a char offset of the input ({@code -1} when not tied to a position). */
  public JsonException(String message, long offset) {
    super(message);
    this.offset = offset;
  }

  /** The zero-based char offset in the input where the problem was found, or {@code -1}. */
  public long offset() {
    return offset;
  }
}
