package org.gradguard.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Tensor;

/**
 * A flat, detached copy of a {@link TransformState} tree: what a checkpoint writes (tensors to
 * safetensors, numbers to JSON) and what a roll-back restores.
 *
 * <p>Keys are paths: a child's keys are prefixed with its index and a slash, so the second element
 * of a chain that holds Adam moments exports {@code 1/mu.0}, {@code 1/nu.0}, {@code 1/count}. Both
 * maps are unmodifiable and keep the state's order; the tensors are copies owned by the snapshot.
 *
 * @param tensors named tensors, e.g. {@code 1/mu.0}
 * @param numbers named numbers, e.g. {@code 1/count}, {@code 0/last_norm}
 */
public record StateSnapshot(Map<String, Tensor> tensors, Map<String, Double> numbers) {

  public StateSnapshot {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
  }
}
