package org.gradguard.optim;

import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Tensor;

/**
 * One buffer per parameter for the copy of its gradient that a step hands to a {@link
 * GradientTransformation} as the incoming updates, reused from step to step.
 *
 * <p>Why reuse is safe: the transformation's contract is that it keeps no reference to the update
 * tensors after {@link GradientTransformation#update} returns (it may replace array entries, which
 * leaves the buffers alone), and the step applies and observes the updates before the next step
 * copies into the buffers again. The copy is still needed: the gradients themselves are not
 * modified by a step. Without the reuse every step allocates the parameters' size again, in memory
 * the garbage collector must then reclaim.
 *
 * <p>Not thread-safe; one per optimizer or training step.
 */
public final class UpdateBuffers {
  private final Tensor[] buffers;

  /** Buffers for {@code count} parameters, each allocated on its first use. */
  public UpdateBuffers(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("UpdateBuffers: count must be >= 0, got " + count);
    }
    this.buffers = new Tensor[count];
  }

  /**
   * Buffer {@code i} holding a copy of {@code parameter}'s gradient, or zeros when it has none. The
   * result is valid until the next call with the same {@code i}. Modified: buffer {@code i}. Not
   * modified: {@code parameter} and its gradient.
   */
  public Tensor copyGradient(int i, Variable parameter) {
    Tensor g = parameter.grad();
    Tensor b = buffer(i, parameter);
    return g == null ? b.fillInPlace(0f) : b.copyFromInPlace(g);
  }

  /**
   * Buffer {@code i} with {@code parameter}'s shape, for a caller that fills it itself (its
   * contents are whatever the last step left, or zeros when new). Valid until the next call with
   * the same {@code i}. Modified: buffer {@code i}.
   */
  public Tensor buffer(int i, Variable parameter) {
    Tensor b = buffers[i];
    if (b == null || !b.sameShape(parameter.value())) {
      b = Tensor.zeros(parameter.shape());
      buffers[i] = b;
    }
    return b;
  }
}
