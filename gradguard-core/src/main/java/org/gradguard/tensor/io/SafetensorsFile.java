package org.gradguard.tensor.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Tensor;

/**
 * The content of a safetensors file: named float32 tensors in the order their names appear in the
 * header, and the string-to-string {@code __metadata__} (empty when the file has none).
 *
 * <p>Both maps are unmodifiable copies; the tensors themselves are the ones passed in (not copied)
 * and stay mutable.
 *
 * @param tensors name → tensor, in header order
 * @param metadata the {@code __metadata__} entries, in header order
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
  /** Copies both maps (keeping their order) into unmodifiable maps. */
  public SafetensorsFile {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * The tensor with the given name.
   *
   * @throws IllegalArgumentException naming the tensor and the names present when there is none
   */
  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "safetensors: no tensor '" + name + "'; present: " + tensors.keySet());
    }
    return t;
  }
}
