package org.gradguard.optim;

import java.util.regex.Pattern;
import org.gradguard.tensor.Tensor;

/**
 * Selects the parameters a transformation acts on (optax's {@code mask}). {@code true} means the
 * parameter is included; an excluded parameter's update passes through unchanged.
 *
 * <p>The usual exclusion for weight decay is {@link #weightsOnly()}: biases and normalization
 * scales/shifts are 1-D, and decaying them toward zero regularizes nothing useful.
 */
@FunctionalInterface
public interface ParamMask {

  /**
   * @param name the parameter's full name. Not modified.
   * @param value the parameter's value. Not modified.
   */
  boolean includes(String name, Tensor value);

  /** Every parameter. */
  static ParamMask all() {
    return (n, v) -> true;
  }

  /**
   * Parameters with at least 2 dimensions: weight matrices and convolution kernels, not biases or
   * normalization weights (which are 1-D).
   */
  static ParamMask weightsOnly() {
    return (n, v) -> v.dim() >= 2;
  }

  /** Parameters whose full name matches the regular expression (anywhere, {@code find}). */
  static ParamMask nameMatches(String regex) {
    Pattern p = Pattern.compile(regex);
    return (n, v) -> p.matcher(n).find();
  }

  /** The complement. */
  default ParamMask negate() {
    return (n, v) -> !includes(n, v);
  }

  /** Included by both masks. */
  default ParamMask and(ParamMask other) {
    return (n, v) -> includes(n, v) && other.includes(n, v);
  }

  /** Whether parameter {@code i} of {@code params} is included. */
  default boolean includes(Params params, int i) {
    return includes(params.name(i), params.value(i));
  }
}
