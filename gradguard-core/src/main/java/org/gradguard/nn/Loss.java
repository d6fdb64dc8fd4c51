package org.gradguard.nn;

import org.gradguard.autograd.Variable;

/**
 * A loss function: a scalar {@link Variable} from a prediction and a target, differentiable in the
 * prediction. Implementations are immutable, hold their configuration (validated at construction)
 * and modify neither argument.
 *
 * @param <T> the target's type: {@code int[]} class indices for {@link CrossEntropyLoss}, a {@link
 *     Variable} of the prediction's shape for {@link MSELoss} and {@link BCEWithLogitsLoss}
 */
@FunctionalInterface
public interface Loss<T> {
  /** The mean loss over every element of the batch, a scalar of shape {@code []}. */
  Variable apply(Variable prediction, T target);
}
