package org.gradguard.autograd;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.SpecialFunctions;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.UnaryOp;

/**
 * Elementwise activation functions, each with its derivative beside it. Values are computed in
 * double and rounded once, with numerically stable forms for large |x|.
 */
public final class ActivationOps {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
  private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);

  private ActivationOps() {}

  /** A derivative {@code dy/dx} given the input {@code x} and the output {@code y}. */
  @FunctionalInterface
  private interface Derivative {
    double at(double x, double y);
  }

  /** A scalar function in double precision. */
  @FunctionalInterface
  private interface Fn {
    double at(double x);
  }

  private static Variable pointwise(Op op, Variable a, Fn f, Derivative d) {
    Tensor x = a.value();
    float[] xd = x.data();
    float[] yd = new float[xd.length];
    for (int i = 0; i < yd.length; i++) {
      yd[i] = (float) f.at(xd[i]);
    }
    Tensor y = Tensor.wrap(yd, x.shape());
    return Graph.record(
        op,
        y,
        g -> {
          float[] gd = g.data();
          float[] r = new float[gd.length];
          for (int i = 0; i < r.length; i++) {
            r[i] = (float) (gd[i] * d.at(xd[i], yd[i]));
          }
          return new Tensor[] {Tensor.wrap(r, x.shape())};
        },
        a);
  }

  /**
   * ReLU or tanh on the backend's kernels: the forward is {@link UnaryOp#RELU} or {@link
   * UnaryOp#TANH}; the backward is {@link Backend#reluBackward} (from the input) or {@link
   * Backend#tanhBackward} (from the output). These two dominate the activations of dense networks,
   * so they skip the double-precision scalar path of {@link #pointwise}.
   */
  private static Variable kernelPointwise(Op op, UnaryOp fn, Variable a, boolean relu) {
    Tensor x = a.value();
    float[] xd = x.data();
    float[] yd = new float[xd.length];
    Backends.current().map(fn, xd, yd, xd.length);
    Tensor y = Tensor.wrap(yd, x.shape());
    return Graph.record(
        op,
        y,
        g -> {
          float[] r = new float[xd.length];
          Backend be = Backends.current();
          if (relu) {
            be.reluBackward(g.data(), xd, r, r.length);
          } else {
            be.tanhBackward(g.data(), yd, r, r.length);
          }
          return new Tensor[] {Tensor.wrap(r, x.shape())};
        },
        a);
  }

  /** {@code σ(x) = 1/(1+e^{-x})}; {@code σ' = σ(1-σ)}. */
  public static Variable sigmoid(Variable a) {
    return pointwise(Op.SIGMOID, a, x -> UnaryOp.SIGMOID.apply((float) x), (x, y) -> y * (1 - y));
  }

  /** {@code tanh x}; {@code tanh' = 1 - tanh²}. */
  public static Variable tanh(Variable a) {
    return kernelPointwise(Op.TANH, UnaryOp.TANH, a, false);
  }

  /** {@code max(0, x)}; the derivative at exactly 0 is 0, as in PyTorch. */
  public static Variable relu(Variable a) {
    return kernelPointwise(Op.RELU, UnaryOp.RELU, a, true);
  }

  /** {@code x} for {@code x > 0}, else {@code slope·x}. */
  public static Variable leakyRelu(Variable a, double slope) {
    return pointwise(Op.LEAKY_RELU, a, x -> x > 0 ? x : slope * x, (x, y) -> x > 0 ? 1 : slope);
  }

  /** ELU (Clevert et al. 2016): {@code x} for {@code x > 0}, else {@code α(eˣ-1)}. */
  public static Variable elu(Variable a, double alpha) {
    return pointwise(
        Op.ELU,
        a,
        x -> x > 0 ? x : alpha * Math.expm1(x),
        (x, y) -> x > 0 ? 1 : alpha * Math.exp(x));
  }

  /**
   * Exact GELU (Hendrycks and Gimpel 2016): {@code x·Φ(x) = ½x(1+erf(x/√2))}; derivative {@code
   * Φ(x) + x·φ(x)}.
   */
  public static Variable gelu(Variable a) {
    return pointwise(
        Op.GELU,
        a,
        x -> 0.5 * x * (1 + SpecialFunctions.erf(x * INV_SQRT_2)),
        (x, y) -> SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x));
  }

  /**
   * GELU, tanh approximation: {@code ½x(1+tanh(√(2/π)(x+0.044715x³)))}, PyTorch's {@code
   * approximate="tanh"}.
   */
  public static Variable geluTanh(Variable a) {
    return pointwise(
        Op.GELU_TANH,
        a,
        x -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
        (x, y) -> {
          double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
          double t = Math.tanh(inner);
          double dInner = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
          return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dInner;
        });
  }

  /**
   * Softplus {@code (1/β)·ln(1+e^{βx})}, linear ({@code x}, derivative 1) where {@code βx >
   * threshold}, as PyTorch. Derivative {@code σ(βx)}.
   */
  public static Variable softplus(Variable a, double beta, double threshold) {
    if (!(beta > 0)) {
      throw new IllegalArgumentException("softplus: beta must be > 0, got " + beta);
    }
    return pointwise(
        Op.SOFTPLUS,
        a,
        x -> {
          double bx = beta * x;
          if (bx > threshold) {
            return x;
          }
          // log1p(e^{bx}) computed stably: max(bx,0) + log1p(e^{-|bx|})
          return (Math.max(bx, 0) + Math.log1p(Math.exp(-Math.abs(bx)))) / beta;
        },
        (x, y) -> {
          double bx = beta * x;
          return bx > threshold ? 1 : sigmoidD(bx);
        });
  }

  /** SiLU / swish {@code x·σ(x)}; derivative {@code σ(x)(1 + x(1-σ(x)))}. */
  public static Variable silu(Variable a) {
    return pointwise(
        Op.SILU,
        a,
        x -> x * sigmoidD(x),
        (x, y) -> {
          double s = sigmoidD(x);
          return s * (1 + x * (1 - s));
        });
  }

  private static double sigmoidD(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }
}
