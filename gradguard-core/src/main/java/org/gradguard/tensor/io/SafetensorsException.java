package org.gradguard.tensor.io;

import java.io.IOException;

/**
 * A safetensors file whose content is malformed or unsupported. The message starts with the file
 * and says what is wrong, e.g. {@code model.safetensors: tensor 'fc.weight': data_offsets [0, 400]
 * hold 100 F32 values but shape [10, 20] needs 200}.
 */
public final class SafetensorsException extends IOException {
  /** An error with the given message (which names the file). */
  public SafetensorsException(String message) {
    super(message);
  }

  /** An error with the given message (which names the file) and cause. */
  public SafetensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
