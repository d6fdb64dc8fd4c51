package org.gradguard.optim;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.tensor.Tensor;

/**
 * Transformations that wrap an inner one: {@link Transforms#accumulate}, {@link Transforms#masked}.
 */
final class Wrappers {
  private Wrappers() {}

  /**
   * State: {@code acc.i} (the running sum of incoming updates), {@code micro} (micro-batches summed
   * so far), {@code applied} (inner steps taken); child 0 is the inner state.
   */
  record Accumulate(int every, GradientTransformation inner) implements GradientTransformation {
    static final String ACC = "acc";
    static final String MICRO = "micro";
    static final String APPLIED = "applied";

    Accumulate {
      Check.positive("accumulate", "every", every);
      Check.notNull("accumulate", "inner", inner);
    }

    @Override
    public TransformState init(Params params) {
      TransformState s = TransformState.withChildren(List.of(inner.init(params)));
      Moments.zerosLike(params, s, ACC, 0);
      return s.putNumber(MICRO, 0).putNumber(APPLIED, 0);
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      long micro = (long) state.number(MICRO) + 1;
      for (int i = 0; i < updates.length; i++) {
        state.tensor(ACC, i).addInPlace(updates[i]);
      }
      if (micro < every) {
        for (Tensor u : updates) {
          u.fillInPlace(0f);
        }
        state.setNumber(MICRO, micro);
        return;
      }
      for (int i = 0; i < updates.length; i++) {
        Tensor acc = state.tensor(ACC, i);
        float[] a = acc.data();
        float[] d = updates[i].data();
        for (int j = 0; j < d.length; j++) {
          d[j] = every == 1 ? a[j] : (float) ((double) a[j] / every);
        }
        acc.fillInPlace(0f);
      }
      state.setNumber(MICRO, 0);
      state.setNumber(APPLIED, state.number(APPLIED) + 1);
      inner.update(updates, state.child(0), params, ctx);
    }
  }

  /** Runs {@code inner} on the included parameters only; child 0 is its state. */
  record Masked(GradientTransformation inner, ParamMask mask) implements GradientTransformation {
    Masked {
      Check.notNull("masked", "inner", inner);
      Check.notNull("masked", "mask", mask);
    }

    private int[] selected(Params params) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        if (mask.includes(params, i)) {
          idx.add(i);
        }
      }
      return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Params subset(Params params, int[] idx) {
      List<Params.Entry> e = new ArrayList<>(idx.length);
      for (int i : idx) {
        e.add(params.get(i));
      }
      return Params.of(e);
    }

    @Override
    public TransformState init(Params params) {
      return TransformState.withChildren(List.of(inner.init(subset(params, selected(params)))));
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      int[] idx = selected(params);
      Tensor[] sub = new Tensor[idx.length];
      for (int k = 0; k < idx.length; k++) {
        sub[k] = updates[idx[k]];
      }
      inner.update(sub, state.child(0), subset(params, idx), ctx);
      for (int k = 0; k < idx.length; k++) {
        updates[idx[k]] = sub[k];
      }
    }
  }
}
