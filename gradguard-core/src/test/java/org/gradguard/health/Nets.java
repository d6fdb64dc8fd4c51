package org.gradguard.health;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/** Networks built by hand for the health tests: Linear + Activation stacks with chosen init. */
final class Nets {
  private Nets() {}

  /**
   * {@code depth} blocks of {@code Linear(width, width)} followed by an activation; the first block
   * takes {@code inputs} features. Weights {@code N(0, σw²/fan_in)}, biases {@code N(0, σb²)}.
   */
  static Sequential mlp(
      int inputs,
      int width,
      int depth,
      Supplier<Activation> act,
      double sigmaW2,
      double sigmaB2,
      Rng rng) {
    List<Module> layers = new ArrayList<>();
    for (int l = 0; l < depth; l++) {
      int in = l == 0 ? inputs : width;
      Linear lin = new Linear(in, width, rng);
      setNormal(lin, sigmaW2, sigmaB2, rng);
      layers.add(lin);
      layers.add(act.get());
    }
    return new Sequential(layers);
  }

  /** Like {@link #mlp} but with PyTorch's default Linear initialization (uniform ±1/√fan_in). */
  static Sequential mlpDefaultInit(
      int inputs, int width, int depth, Supplier<Activation> act, Rng rng) {
    List<Module> layers = new ArrayList<>();
    for (int l = 0; l < depth; l++) {
      layers.add(new Linear(l == 0 ? inputs : width, width, rng));
      layers.add(act.get());
    }
    return new Sequential(layers);
  }

  /**
   * The spectral radius of a square matrix by Gelfand's formula, {@code ‖W^k v‖^(1/k)} for k = 400
   * (in double, renormalising as it goes), which converges for complex leading eigenvalues too.
   */
  static double spectralRadius(Tensor w, Rng rng) {
    int n = w.size(0);
    float[] a = w.data();
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextGaussian();
    }
    double logNorm = 0;
    int k = 400;
    for (int it = 0; it < k; it++) {
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += a[i * n + j] * v[j];
        }
        next[i] = s;
      }
      double norm = 0;
      for (double x : next) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      logNorm += Math.log(norm);
      for (int i = 0; i < n; i++) {
        v[i] = next[i] / norm;
      }
    }
    return Math.exp(logNorm / k);
  }

  /** Sets {@code W ~ N(0, σw²/fan_in)} and {@code b ~ N(0, σb²)} (b = 0 when σb² = 0). */
  static void setNormal(Linear lin, double sigmaW2, double sigmaB2, Rng rng) {
    int in = lin.inFeatures();
    int out = lin.outFeatures();
    lin.weight().value().copyFromInPlace(Tensor.normal(rng, 0, Math.sqrt(sigmaW2 / in), out, in));
    if (lin.bias() != null) {
      lin.bias().value().copyFromInPlace(Tensor.normal(rng, 0, Math.sqrt(sigmaB2), out));
    }
  }

  /** {@code loss = Σ y ⊙ u}: a random projection of the output, as in mean-field experiments. */
  static Variable projection(Variable y, Tensor u) {
    return y.mul(Variable.constant(u)).sum();
  }

  /** One monitored forward/backward at step {@code step}; returns the statistics. */
  static StepStats probe(Monitor monitor, Module model, Tensor x, Tensor u, long step) {
    model.zeroGrad();
    monitor.beginStep(step);
    Variable loss = projection(model.forward(Variable.constant(x)), u);
    loss.backward();
    monitor.observeGradients(loss.item());
    return monitor.endStep();
  }

  /**
   * A vanilla (Elman) RNN built from layers, {@code h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1})},
   * with PyTorch's sequence-major input {@code [T, N, I]} and {@code h_0 = 0}; returns {@code h_T}.
   * The one tanh module runs T times, so the monitor sees the gradient of every time step.
   */
  static final class VanillaRnn extends Module {
    @Override
    public Role role() {
      return Role.RECURRENT;
    }

    final Linear ih;
    final Linear hh;
    final Activation act;
    final int hidden;

    VanillaRnn(int inputs, int hidden, Rng rng) {
      this.hidden = hidden;
      this.ih = registerModule("ih", new Linear(inputs, hidden, rng));
      this.hh = registerModule("hh", new Linear(hidden, hidden, false, rng));
      this.act = registerModule("act", Activation.tanh());
    }

    @Override
    protected Variable compute(Variable x) {
      int steps = x.shape()[0];
      Variable h = Variable.constant(Tensor.zeros(x.shape()[1], hidden));
      for (int t = 0; t < steps; t++) {
        Variable xt = x.slice(0, t, t + 1).reshape(x.shape()[1], x.shape()[2]);
        h = act.forward(ih.forward(xt).add(hh.forward(h)));
      }
      return h;
    }
  }
}
