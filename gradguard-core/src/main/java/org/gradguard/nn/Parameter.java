package org.gradguard.nn;

import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Tensor;

/**
 * A trainable tensor of a {@link Module}: a leaf variable that requires a gradient. Optimizers
 * update its {@link #value()} in place. Non-trainable state (running statistics) is a buffer, not a
 * parameter: see {@link Module#registerBuffer}.
 */
public final class Parameter extends Variable {
  public Parameter(Tensor value) {
    super(value, true);
  }
}
