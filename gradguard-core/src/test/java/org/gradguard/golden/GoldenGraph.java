package org.gradguard.golden;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Tensor;

/**
 * Runs a differentiable golden case: makes a leaf for every input the file expects a gradient of (a
 * constant for the others), builds the outputs, back-propagates the file's loss {@code Σ_k
 * sum(outputs[k] ⊙ upstream[k])} by seeding each output with its upstream, and collects outputs and
 * gradients by the file's names.
 */
final class GoldenGraph {
  private GoldenGraph() {}

  /** The case's inputs as variables: leaves where the file has a gradient, else constants. */
  static Map<String, Variable> inputs(GoldenCase c) {
    Map<String, Variable> vars = new LinkedHashMap<>();
    for (String name : c.inputNames()) {
      if ("int64".equals(c.inputs().get(name).dtype())) {
        continue;
      }
      Tensor t = c.input(name);
      vars.put(name, c.expectedGrads().containsKey(name) ? Variable.leaf(t) : Variable.constant(t));
    }
    return vars;
  }

  /** Builds outputs with {@code forward}, back-propagates the upstream, returns everything. */
  static GoldenResult run(
      GoldenCase c, Function<Map<String, Variable>, Map<String, Variable>> forward) {
    Map<String, Variable> in = inputs(c);
    Map<String, Variable> out = forward.apply(in);
    return collect(c, in, out, Map.of());
  }

  /**
   * Back-propagates the upstream through {@code out} and collects the gradients of {@code in};
   * {@code extraOutputs} are non-differentiated outputs (e.g. running statistics).
   */
  static GoldenResult collect(
      GoldenCase c,
      Map<String, Variable> in,
      Map<String, Variable> out,
      Map<String, Tensor> extraOutputs) {
    Variable loss = null;
    for (String name : c.upstreamNames()) {
      Variable o = out.get(name);
      if (o == null) {
        throw new IllegalStateException("case has upstream '" + name + "' but no such output");
      }
      Variable term = o.mul(Variable.constant(c.upstream(name))).sum();
      loss = loss == null ? term : loss.add(term);
    }
    if (loss != null && loss.requiresGrad()) {
      loss.backward();
    }
    GoldenResult.Builder b = GoldenResult.builder();
    out.forEach((k, v) -> b.output(k, v.value()));
    extraOutputs.forEach(b::output);
    for (String name : c.expectedGrads().keySet()) {
      Variable v = in.get(name);
      Tensor g = v == null ? null : v.grad();
      b.grad(name, g == null ? Tensor.zeros(c.inputShape(name)) : g);
    }
    return b.build();
  }
}
