package org.gradguard.optim;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.tensor.Tensor;

/** {@link Transforms#chain}: inner transformations in order; child state {@code i} is inner i's. */
record Chain(List<GradientTransformation> inner) implements GradientTransformation {
  Chain {
    Check.notNull("chain", "transformations", inner);
    for (int i = 0; i < inner.size(); i++) {
      Check.notNull("chain", "transformations[" + i + "]", inner.get(i));
    }
    inner = List.copyOf(inner);
  }

  @Override
  public TransformState init(Params params) {
    List<TransformState> states = new ArrayList<>(inner.size());
    for (GradientTransformation t : inner) {
      states.add(t.init(params));
    }
    return TransformState.withChildren(states);
  }

  @Override
  public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
    for (int i = 0; i < inner.size(); i++) {
      inner.get(i).update(updates, state.child(i), params, ctx);
    }
  }
}
