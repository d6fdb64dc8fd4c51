package org.gradguard.nn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.gradguard.tensor.io.Json;
import org.gradguard.tensor.io.Safetensors;
import org.gradguard.tensor.io.SafetensorsException;
import org.gradguard.tensor.io.SafetensorsFile;

/**
 * Saves a module's state dict to a safetensors file and loads it back, like {@code
 * safetensors.torch.save_model / load_model}: the file holds {@link StateDict#of} under PyTorch's
 * names and layouts, so it can be opened by {@code safetensors.torch.load_file} and given to {@code
 * load_state_dict}, and a file written by PyTorch loads here.
 *
 * <p>Dtypes: every tensor of a module is float32 and is written as {@code F32}. Loading accepts
 * {@code F32} and the types that widen to it exactly ({@code F16}, {@code BF16}); {@code F64}
 * (which would be rounded) and integer types are reported as problems. Convert such a checkpoint
 * first (e.g. {@code model.float()} in PyTorch).
 */
public final class ModuleFiles {
  private static final Set<String> LOADABLE = Set.of("F32", "F16", "BF16");

  private ModuleFiles() {}

  /**
   * What a load did.
   *
   * @param result the keys a non-strict load skipped
   * @param metadata the file's {@code __metadata__} (empty when none)
   */
  public record Loaded(StateDict.LoadResult result, Map<String, String> metadata) {
    public Loaded {
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  /**
   * Writes {@code module}'s parameters and buffers to {@code file} in PyTorch's state-dict order,
   * atomically (a temporary file renamed over {@code file}; an existing file is replaced only by a
   * complete new one). Not modified: {@code module}.
   *
   * @param metadata string entries for the file's {@code __metadata__} (e.g. seed, step, version);
   *     {@code null} or empty for none
   * @throws IOException when the file cannot be written
   */
  public static void save(Module module, Path file, Map<String, String> metadata)
      throws IOException {
    Safetensors.write(file, StateDict.of(module), metadata);
  }

  /**
   * Loads {@code file} into {@code module} in place, with {@link StateDict#load}'s rules (missing
   * and unexpected names are problems when {@code strict}; shapes must match) plus the dtype rule
   * above. Every problem is reported in one {@link IllegalArgumentException} that names the file,
   * and the module is unchanged when one is thrown, e.g.
   *
   * <pre>
   * ModuleFiles.load m.safetensors into Sequential(...): nothing was loaded because of 2 problems:
   *   2.weight: checkpoint has [3, 8], model has [2, 8]
   *   2.bias: checkpoint dtype F64, model dtype F32 (loadable: BF16, F16, F32)
   * </pre>
   *
   * @param module the module (Modified: its parameters and buffers)
   * @throws SafetensorsException when the file is malformed (module unchanged)
   * @throws IOException when the file cannot be read
   */
  public static Loaded load(Module module, Path file, boolean strict) throws IOException {
    Objects.requireNonNull(module, "ModuleFiles.load: module");
    SafetensorsFile f = Safetensors.read(file);
    Map<String, String> dtypes = dtypes(file);
    StateDict.LoadResult r =
        StateDict.load(
            "ModuleFiles.load " + file + " into " + module,
            module,
            f.tensors(),
            strict,
            key -> {
              String dtype = dtypes.get(key);
              return LOADABLE.contains(dtype)
                  ? null
                  : "checkpoint dtype " + dtype + ", model dtype F32 (loadable: BF16, F16, F32)";
            });
    return new Loaded(r, f.metadata());
  }

  /**
   * Each tensor's dtype as the header names it. {@link Safetensors#read} has already validated the
   * header; the length is checked again in case the file changed in between.
   */
  private static Map<String, String> dtypes(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0, file);
      long n = len.getLong(0);
      if (n < 0 || n > Safetensors.MAX_HEADER_BYTES || n > ch.size() - 8) {
        throw new SafetensorsException(file + ": header length changed while loading");
      }
      ByteBuffer header = ByteBuffer.allocate((int) n);
      readFully(ch, header, 8, file);
      Map<String, String> out = new LinkedHashMap<>();
      if (Json.parse(header.array(), (int) n) instanceof Map<?, ?> m) {
        m.forEach(
            (k, v) -> {
              if (v instanceof Map<?, ?> info && info.get("dtype") instanceof String d) {
                out.put((String) k, d);
              }
            });
      }
      return out;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file)
      throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw new SafetensorsException(file + ": file ended at byte " + p + " while loading");
      }
      p += r;
    }
  }
}
