package org.gradguard.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * A finite-difference check of a layer's gradients with respect to its inputs <em>and</em> its
 * parameters, with {@link org.gradguard.autograd.GradCheck}'s scheme: {@code L = Σ out ⊙ u} for a
 * fixed random {@code u}, central differences with step 4e-3 over the float32 values reached,
 * {@code |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|}. Parameters are perturbed in place and
 * restored.
 */
final class ParameterGradCheck {
  private static final double EPS = 4e-3;
  private static final double ATOL = 1e-3;
  private static final double RTOL = 1e-2;

  private ParameterGradCheck() {}

  /**
   * Checks {@code f}, which runs the layer owning {@code params} on one leaf per input, at {@code
   * inputs} (not modified); throws an {@link AssertionError} naming the first element out of
   * tolerance. Returns the number of elements checked.
   */
  static int assertGradients(
      Function<Variable[], Variable> f, List<Parameter> params, Tensor... inputs) {
    Variable[] leaves = new Variable[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      leaves[i] = Variable.leaf(inputs[i].copy());
    }
    params.forEach(Variable::zeroGrad);
    Variable out = f.apply(leaves);
    Tensor u = Tensor.randn(new Rng(0), out.shape());
    out.backward(u);

    List<Tensor> values = new ArrayList<>();
    List<Tensor> grads = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Tensor[] args = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      args[i] = inputs[i].copy();
      values.add(args[i]);
      grads.add(leaves[i].grad());
      names.add("input " + i);
    }
    for (int p = 0; p < params.size(); p++) {
      values.add(params.get(p).value());
      grads.add(params.get(p).grad());
      names.add("parameter " + p);
    }
    int checked = 0;
    for (int k = 0; k < values.size(); k++) {
      float[] d = values.get(k).data();
      for (int e = 0; e < d.length; e++) {
        float saved = d[e];
        float plus = (float) (saved + EPS);
        float minus = (float) (saved - EPS);
        d[e] = plus;
        double lp = loss(f, args, u);
        d[e] = minus;
        double lm = loss(f, args, u);
        d[e] = saved;
        double numeric = (lp - lm) / ((double) plus - (double) minus);
        double analytic = grads.get(k) == null ? 0 : grads.get(k).data()[e];
        if (!(Math.abs(analytic - numeric) <= ATOL + RTOL * Math.abs(numeric))) {
          throw new AssertionError(
              String.format(
                  Locale.ROOT,
                  "layer gradcheck failed at %s, element %d: analytic %.6g, numeric %.6g",
                  names.get(k),
                  e,
                  analytic,
                  numeric));
        }
        checked++;
      }
    }
    return checked;
  }

  private static double loss(Function<Variable[], Variable> f, Tensor[] args, Tensor u) {
    Variable[] constants = new Variable[args.length];
    for (int i = 0; i < args.length; i++) {
      constants[i] = Variable.constant(args[i]);
    }
    Tensor y;
    try (NoGrad.Scope s = NoGrad.enter()) {
      y = f.apply(constants).value();
    }
    double sum = 0;
    for (int i = 0; i < y.numel(); i++) {
      sum += (double) y.data()[i] * u.data()[i];
    }
    return sum;
  }
}
