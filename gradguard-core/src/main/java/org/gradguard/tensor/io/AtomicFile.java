package org.gradguard.tensor.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old complete file or the new complete file, never a
 * half-written one: the content goes to a temporary file in the same directory ({@code
 * .NAME.RANDOM.tmp}), which is flushed to disk and then renamed over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE} (falling back to {@link StandardCopyOption#REPLACE_EXISTING}
 * where the file system cannot move atomically). If writing fails, the temporary file is deleted
 * and the target is left as it was.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Produces the content of a file. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the whole content to {@code out}; the stream is buffered and must not be closed.
     *
     * @throws IOException to abandon the write, leaving the target untouched
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically with the content {@code content} produces. A {@link
   * RuntimeException} or {@link Error} thrown by {@code content} abandons the write just like an
   * {@link IOException} and is rethrown unchanged. The new file gets the default permissions of
   * newly created files. If {@code target} is a symbolic link, the link itself is replaced.
   *
   * @throws IOException when the temporary file cannot be created, written, flushed or renamed, or
   *     when {@code content} throws it
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path tmp = createTemp(dir, absolute.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original exception matters more than a leftover temporary file
        }
      }
    }
    syncDirectory(dir);
  }

  private static Path createTemp(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
      Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /** Makes the rename durable where the platform allows opening a directory (not on Windows). */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort: the file itself is already on disk
    }
  }
}
