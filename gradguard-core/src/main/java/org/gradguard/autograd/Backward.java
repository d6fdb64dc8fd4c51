package org.gradguard.autograd;

import org.gradguard.tensor.Tensor;

/**
 * The derivative rule of one recorded op: given the gradient of the loss with respect to the op's
 * output, the gradients with respect to each input, in input order. An entry may be {@code null}
 * for an input that does not require a gradient. Returned tensors may alias {@code gradOutput}; the
 * engine never modifies them in place.
 */
@FunctionalInterface
public interface Backward {
  Tensor[] apply(Tensor gradOutput);
}
