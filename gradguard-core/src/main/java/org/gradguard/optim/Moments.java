package org.gradguard.optim;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Tensor;

/**
 * The per-parameter moment transformations behind {@link Transforms}' factories. Arithmetic is in
 * double per element; the moments are stored in float32, as PyTorch stores them for float32
 * parameters.
 */
final class Moments {
  private Moments() {}

  static final String COUNT = "count";

  static TransformState zerosLike(Params params, TransformState s, String field, float value) {
    for (int i = 0; i < params.size(); i++) {
      Tensor t = Tensor.zeros(params.value(i).shape());
      if (value != 0) {
        t.fillInPlace(value);
      }
      s.putTensor(TransformState.paramKey(field, i), t);
    }
    return s;
  }

  /** State: {@code trace.i} (the momentum buffer), {@code count}. */
  record Trace(Schedule momentum, double dampening, boolean nesterov)
      implements GradientTransformation {
    static final String TRACE = "trace";

    Trace {
      Check.notNull("trace", "momentum", momentum);
      Check.unitClosed("trace", "dampening", dampening);
      if (nesterov && dampening != 0) {
        throw new IllegalArgumentException(
            "trace: nesterov requires dampening 0, got " + Check.fmt(dampening));
      }
    }

    @Override
    public TransformState init(Params params) {
      return zerosLike(params, TransformState.create(), TRACE, 0).putNumber(COUNT, 0);
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      long count = (long) state.number(COUNT);
      double mom = momentum.at(count);
      double keep = 1 - dampening;
      Backend be = Backends.current();
      for (int i = 0; i < updates.length; i++) {
        float[] d = updates[i].data();
        float[] buf = state.tensor(TRACE, i).data();
        // PyTorch: the first step stores the gradient itself, without dampening.
        be.momentumUpdate(d, buf, d.length, mom, keep, nesterov, count == 0);
      }
      state.setNumber(COUNT, count + 1);
    }
  }

  /** State: {@code mu.i}, {@code nu.i}, {@code nu_max.i} (AMSGrad only), {@code count}. */
  record ScaleByAdam(Schedule b1, double b2, double eps, boolean amsgrad)
      implements GradientTransformation {
    static final String MU = "mu";
    static final String NU = "nu";
    static final String NU_MAX = "nu_max";

    ScaleByAdam {
      Check.notNull("scaleByAdam", "b1", b1);
      Check.unitHalfOpen("scaleByAdam", "b2", b2);
      Check.nonNegative("scaleByAdam", "eps", eps);
    }

    @Override
    public TransformState init(Params params) {
      TransformState s = TransformState.create();
      zerosLike(params, s, MU, 0);
      zerosLike(params, s, NU, 0);
      if (amsgrad) {
        zerosLike(params, s, NU_MAX, 0);
      }
      return s.putNumber(COUNT, 0);
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      long t = (long) state.number(COUNT) + 1;
      double b1 = this.b1.at(t - 1);
      if (!(b1 >= 0 && b1 < 1)) {
        throw new IllegalArgumentException(
            "scaleByAdam: b1 must be in [0, 1), got " + Check.fmt(b1) + " at step " + (t - 1));
      }
      double bc1 = 1 - Math.pow(b1, t);
      double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
      Backend be = Backends.current();
      for (int i = 0; i < updates.length; i++) {
        float[] d = updates[i].data();
        float[] m = state.tensor(MU, i).data();
        float[] v = state.tensor(NU, i).data();
        if (!amsgrad) {
          be.adamUpdate(d, m, v, d.length, b1, b2, bc1, bc2Sqrt, eps);
          continue;
        }
        float[] vmax = state.tensor(NU_MAX, i).data();
        for (int j = 0; j < d.length; j++) {
          double g = d[j];
          m[j] = (float) (b1 * m[j] + (1 - b1) * g);
          v[j] = (float) (b2 * v[j] + (1 - b2) * g * g);
          vmax[j] = Math.max(vmax[j], v[j]);
          d[j] = (float) ((m[j] / bc1) / (Math.sqrt(vmax[j]) / bc2Sqrt + eps));
        }
      }
      state.setNumber(COUNT, t);
    }
  }

  /** State: {@code square_avg.i}, {@code grad_avg.i} (centered only). */
  record ScaleByRms(double alpha, double eps, boolean centered) implements GradientTransformation {
    static final String SQUARE_AVG = "square_avg";
    static final String GRAD_AVG = "grad_avg";

    ScaleByRms {
      Check.unitClosed("scaleByRms", "alpha", alpha);
      Check.nonNegative("scaleByRms", "eps", eps);
    }

    @Override
    public TransformState init(Params params) {
      TransformState s = zerosLike(params, TransformState.create(), SQUARE_AVG, 0);
      return centered ? zerosLike(params, s, GRAD_AVG, 0) : s;
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      for (int i = 0; i < updates.length; i++) {
        float[] d = updates[i].data();
        float[] sq = state.tensor(SQUARE_AVG, i).data();
        float[] ga = centered ? state.tensor(GRAD_AVG, i).data() : null;
        for (int j = 0; j < d.length; j++) {
          double g = d[j];
          sq[j] = (float) (alpha * sq[j] + (1 - alpha) * g * g);
          double var = sq[j];
          if (centered) {
            ga[j] = (float) (alpha * ga[j] + (1 - alpha) * g);
            // Mathematically >= 0; clamped so float rounding cannot produce sqrt(-tiny) = NaN.
            var = Math.max(0.0, var - (double) ga[j] * ga[j]);
          }
          d[j] = (float) (g / (Math.sqrt(var) + eps));
        }
      }
    }
  }

  /** State: {@code sum.i}, starting at the initial accumulator value. */
  record ScaleByAdagrad(double initialAccumulatorValue, double eps)
      implements GradientTransformation {
    static final String SUM = "sum";

    ScaleByAdagrad {
      Check.nonNegative("scaleByAdagrad", "initialAccumulatorValue", initialAccumulatorValue);
      Check.nonNegative("scaleByAdagrad", "eps", eps);
    }

    @Override
    public TransformState init(Params params) {
      return zerosLike(params, TransformState.create(), SUM, (float) initialAccumulatorValue);
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      for (int i = 0; i < updates.length; i++) {
        float[] d = updates[i].data();
        float[] sum = state.tensor(SUM, i).data();
        for (int j = 0; j < d.length; j++) {
          double g = d[j];
          sum[j] = (float) (sum[j] + g * g);
          d[j] = (float) (g / (Math.sqrt(sum[j]) + eps));
        }
      }
    }
  }
}
