package org.gradguard.autograd;

import java.util.function.Function;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Checks analytic gradients against central finite differences, like {@code
 * torch.autograd.gradcheck}, for float32 operations.
 *
 * <p>The function's output is reduced to the scalar {@code L = Σ out ⊙ u} with a fixed random
 * upstream {@code u}, so one backward pass checks the whole Jacobian–vector product. For every
 * input element, {@code ∂L/∂x ≈ (L(x+h) − L(x−h)) / (x₊ − x₋)}, where {@code x±} are the float32
 * values actually reached and {@code L} is accumulated in double.
 *
 * <p><b>Tolerance scheme.</b> The ops compute in float32, whose rounding (about 6e-8 relative)
 * divided by the step {@code 2h} bounds how well the difference quotient can agree; with the
 * default {@code h = 4e-3} that noise is about {@code 1e-5·√(outputs)}, and the truncation error
 * {@code h²·f'''/6} about {@code 3e-6}. An element passes when {@code |analytic − numeric| ≤ atol +
 * rtol·|numeric|}, by default {@code atol = 1e-3}, {@code rtol = 1e-2}: far above the noise, far
 * below the O(1) errors of a wrong derivative rule. Choose inputs away from kinks (ReLU at 0, ties
 * of a maximum), where no derivative exists.
 */
public final class GradCheck {
  private GradCheck() {}

  /**
   * Settings: finite-difference step {@code eps}, tolerances, and the seed of the upstream
   * projection.
   */
  public record Options(double eps, double atol, double rtol, long seed) {
    public Options {
      if (!(eps > 0)) {
        throw new IllegalArgumentException("GradCheck: eps must be > 0, got " + eps);
      }
      if (!(atol >= 0) || !(rtol >= 0)) {
        throw new IllegalArgumentException(
            "GradCheck: tolerances must be >= 0, got atol " + atol + ", rtol " + rtol);
      }
    }

    /** {@code eps 4e-3, atol 1e-3, rtol 1e-2, seed 0}. */
    public static Options defaults() {
      return new Options(4e-3, 1e-3, 1e-2, 0);
    }

    public Options withTolerance(double atol, double rtol) {
      return new Options(eps, atol, rtol, seed);
    }
  }

  /**
   * The outcome: the worst element (largest excess over its tolerance), where it is, and both
   * derivative estimates.
   */
  public record Result(
      boolean passed, int input, int element, double analytic, double numeric, double maxAbsError) {
    @Override
    public String toString() {
      return (passed ? "gradcheck passed" : "gradcheck FAILED")
          + String.format(
              java.util.Locale.ROOT,
              ": worst at input %d, element %d: analytic %.6g, numeric %.6g (max |error| %.3g)",
              input,
              element,
              analytic,
              numeric,
              maxAbsError);
    }
  }

  /** Runs the check with default options. */
  public static Result check(Function<Variable[], Variable> f, Tensor... inputs) {
    return check(f, Options.defaults(), inputs);
  }

  /**
   * Runs the check. {@code f} receives one leaf per input (copies, so the inputs are not modified)
   * and must build its output from them with differentiable ops.
   */
  public static Result check(Function<Variable[], Variable> f, Options options, Tensor... inputs) {
    Variable[] leaves = new Variable[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      leaves[i] = Variable.leaf(inputs[i].copy());
    }
    Variable out = f.apply(leaves);
    Tensor upstream = Tensor.randn(new Rng(options.seed()), out.shape());
    if (out.requiresGrad()) {
      out.backward(upstream);
    }
    boolean passed = true;
    double worstExcess = Double.NEGATIVE_INFINITY;
    double maxAbs = 0;
    int wi = -1;
    int we = -1;
    double wa = 0;
    double wn = 0;
    for (int i = 0; i < inputs.length; i++) {
      Tensor grad = leaves[i].grad();
      float[] x = inputs[i].data();
      for (int e = 0; e < x.length; e++) {
        float plus = (float) (x[e] + options.eps());
        float minus = (float) (x[e] - options.eps());
        double lp = projected(f, inputs, i, e, plus, upstream);
        double lm = projected(f, inputs, i, e, minus, upstream);
        double numeric = (lp - lm) / ((double) plus - (double) minus);
        double analytic = grad == null ? 0 : grad.data()[e];
        double err = Math.abs(analytic - numeric);
        double allowed = options.atol() + options.rtol() * Math.abs(numeric);
        if (!(err <= allowed)) {
          passed = false;
        }
        maxAbs = Math.max(maxAbs, err);
        double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err - allowed;
        if (excess > worstExcess) {
          worstExcess = excess;
          wi = i;
          we = e;
          wa = analytic;
          wn = numeric;
        }
      }
    }
    return new Result(passed, wi, we, wa, wn, maxAbs);
  }

  /** Like {@link #check} but throws an {@link AssertionError} describing the worst element. */
  public static void assertGradients(Function<Variable[], Variable> f, Tensor... inputs) {
    assertGradients(f, Options.defaults(), inputs);
  }

  public static void assertGradients(
      Function<Variable[], Variable> f, Options options, Tensor... inputs) {
    Result r = check(f, options, inputs);
    if (!r.passed()) {
      throw new AssertionError(r.toString());
    }
  }

  private static double projected(
      Function<Variable[], Variable> f,
      Tensor[] inputs,
      int which,
      int element,
      float value,
      Tensor upstream) {
    Variable[] args = new Variable[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i].copy();
      if (i == which) {
        t.data()[element] = value;
      }
      args[i] = Variable.constant(t);
    }
    Tensor y;
    try (NoGrad.Scope s = NoGrad.enter()) {
      y = f.apply(args).value();
    }
    double sum = 0;
    float[] yd = y.data();
    float[] ud = upstream.data();
    for (int k = 0; k < yd.length; k++) {
      sum += (double) yd[k] * ud[k];
    }
    return sum;
  }
}
