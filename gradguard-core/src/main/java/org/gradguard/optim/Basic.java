package org.gradguard.optim;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Tensor;

/** Stateless or nearly stateless transformations behind {@link Transforms}' factories. */
final class Basic {
  private Basic() {}

  record Identity() implements GradientTransformation {
    @Override
    public TransformState init(Params params) {
      return TransformState.create();
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {}
  }

  record Scale(double factor) implements GradientTransformation {
    Scale {
      Check.finite("scale", "factor", factor);
    }

    @Override
    public TransformState init(Params params) {
      return TransformState.create();
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      Backend be = Backends.current();
      for (Tensor u : updates) {
        be.scaleInPlace(u.data(), u.numel(), factor);
      }
    }
  }

  /** State: {@code count}, {@code lr} (the rate used by the last step), {@code lr_scale}. */
  record ScaleByLearningRate(Schedule schedule) implements GradientTransformation {
    static final String COUNT = "count";
    static final String LR = "lr";
    static final String LR_SCALE = "lr_scale";

    ScaleByLearningRate {
      Check.notNull("scaleByLearningRate", "schedule", schedule);
    }

    @Override
    public TransformState init(Params params) {
      return TransformState.create()
          .putNumber(COUNT, 0)
          .putNumber(LR, schedule.at(0))
          .putNumber(LR_SCALE, 1.0);
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      long count = (long) state.number(COUNT);
      double lr = state.number(LR_SCALE) * schedule.at(count);
      double minusLr = -lr;
      Backend be = Backends.current();
      for (Tensor u : updates) {
        be.scaleInPlace(u.data(), u.numel(), minusLr);
      }
      state.setNumber(LR, lr);
      state.setNumber(COUNT, count + 1);
    }
  }

  record AddDecayedWeights(double weightDecay, ParamMask mask) implements GradientTransformation {
    AddDecayedWeights {
      Check.nonNegative("addDecayedWeights", "weightDecay", weightDecay);
      Check.notNull("addDecayedWeights", "mask", mask);
    }

    @Override
    public TransformState init(Params params) {
      return TransformState.create();
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      if (weightDecay == 0) {
        return;
      }
      for (int i = 0; i < updates.length; i++) {
        if (!mask.includes(params, i)) {
          continue;
        }
        float[] d = updates[i].data();
        Backends.current().addScaledInPlace(d, params.value(i).data(), d.length, weightDecay);
      }
    }
  }
}
