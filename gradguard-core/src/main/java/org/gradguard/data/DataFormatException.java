package org.gradguard.data;

/**
 * Input data that cannot be read as the format it claims to be: a wrong magic number, a truncated
 * file, a size that exceeds the file or a limit, a non-numeric CSV cell. The message names the file
 * and the byte offset, or the line and column.
 */
public class DataFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message, which should name the file and the place. */
  public DataFormatException(String message) {
    super(message);
  }

  /** An exception with the given message and underlying cause (an I/O or decompression error). */
  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
