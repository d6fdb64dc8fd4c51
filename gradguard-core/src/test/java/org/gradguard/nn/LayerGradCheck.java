package org.gradguard.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * A finite-difference check of a whole layer: the gradients of {@code L = Σ out ⊙ u} (fixed random
 * u) with respect to the input and every parameter, against central differences, with {@link
 * org.gradguard.autograd.GradCheck}'s step and tolerances ({@code h 4e-3, atol 1e-3, rtol 1e-2}).
 * Parameters are perturbed in place and restored.
 */
final class LayerGradCheck {
  private static final double H = 4e-3;
  private static final double ATOL = 1e-3;
  private static final double RTOL = 1e-2;

  private LayerGradCheck() {}

  /** Checks the input gradient (if {@code differentiableInput}) and every parameter gradient. */
  static void assertGradients(Module m, Tensor input, boolean differentiableInput) {
    Tensor x = input.copy();
    Variable xv = differentiableInput ? Variable.leaf(x) : Variable.constant(x);
    m.zeroGrad();
    Variable out = m.forward(xv);
    Tensor upstream = Tensor.randn(new Rng(99), out.shape());
    out.backward(upstream);
    List<String> names = new ArrayList<>();
    List<Tensor> values = new ArrayList<>();
    List<Tensor> grads = new ArrayList<>();
    if (differentiableInput) {
      names.add("input");
      values.add(x);
      grads.add(xv.grad());
    }
    for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
      names.add(e.getKey());
      values.add(e.getValue().value());
      grads.add(e.getValue().grad());
    }
    for (int k = 0; k < values.size(); k++) {
      float[] d = values.get(k).data();
      for (int i = 0; i < d.length; i++) {
        float saved = d[i];
        float plus = (float) (saved + H);
        float minus = (float) (saved - H);
        d[i] = plus;
        double lp = projected(m, x, upstream);
        d[i] = minus;
        double lm = projected(m, x, upstream);
        d[i] = saved;
        double numeric = (lp - lm) / ((double) plus - minus);
        double analytic = grads.get(k) == null ? 0 : grads.get(k).data()[i];
        if (!(Math.abs(analytic - numeric) <= ATOL + RTOL * Math.abs(numeric))) {
          throw new AssertionError(
              m
                  + ": gradient of "
                  + names.get(k)
                  + " element "
                  + i
                  + ": analytic "
                  + analytic
                  + ", numeric "
                  + numeric);
        }
      }
    }
  }

  private static double projected(Module m, Tensor x, Tensor upstream) {
    Tensor y;
    try (NoGrad.Scope s = NoGrad.enter()) {
      y = m.forward(Variable.constant(x)).value();
    }
    double sum = 0;
    for (int k = 0; k < y.numel(); k++) {
      sum += (double) y.data()[k] * upstream.data()[k];
    }
    return sum;
  }
}
