package org.gradguard.nn;

import org.gradguard.autograd.ActivationOps;
import org.gradguard.autograd.Variable;

/**
 * An elementwise activation layer. Its {@link Kind} tells the gradient-health monitor how to read
 * its outputs: saturating kinds (sigmoid, tanh) are checked for saturation, rectifying kinds (ReLU
 * family) for dead units.
 */
public final class Activation extends Module {
  /** The activation functions, with PyTorch's definitions. */
  public enum Kind {
    IDENTITY(false, false),
    SIGMOID(true, false),
    TANH(true, false),
    RELU(false, true),
    LEAKY_RELU(false, true),
    ELU(false, true),
    GELU(false, true),
    GELU_TANH(false, true),
    SOFTPLUS(false, false),
    SILU(false, true);

    private final boolean saturating;
    private final boolean rectifying;

    Kind(boolean saturating, boolean rectifying) {
      this.saturating = saturating;
      this.rectifying = rectifying;
    }

    /** True for functions with flat tails (sigmoid, tanh) whose units can saturate. */
    public boolean saturating() {
      return saturating;
    }

    /** True for the ReLU family, whose units can die (output 0 for every input). */
    public boolean rectifying() {
      return rectifying;
    }
  }

  private final Kind kind;
  private final double alpha;
  private final double threshold;

  private Activation(Kind kind, double alpha, double threshold) {
    this.kind = kind;
    this.alpha = alpha;
    this.threshold = threshold;
  }

  public static Activation identity() {
    return new Activation(Kind.IDENTITY, 0, 0);
  }

  public static Activation sigmoid() {
    return new Activation(Kind.SIGMOID, 0, 0);
  }

  public static Activation tanh() {
    return new Activation(Kind.TANH, 0, 0);
  }

  public static Activation relu() {
    return new Activation(Kind.RELU, 0, 0);
  }

  /** Leaky ReLU with PyTorch's default slope 0.01. */
  public static Activation leakyRelu() {
    return leakyRelu(0.01);
  }

  public static Activation leakyRelu(double negativeSlope) {
    return new Activation(Kind.LEAKY_RELU, negativeSlope, 0);
  }

  /** ELU with PyTorch's default α = 1. */
  public static Activation elu() {
    return elu(1.0);
  }

  public static Activation elu(double alpha) {
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("elu: alpha must be > 0, got " + alpha);
    }
    return new Activation(Kind.ELU, alpha, 0);
  }

  /** Exact GELU, {@code x·Φ(x)}. */
  public static Activation gelu() {
    return new Activation(Kind.GELU, 0, 0);
  }

  /** GELU with the tanh approximation. */
  public static Activation geluTanh() {
    return new Activation(Kind.GELU_TANH, 0, 0);
  }

  /** Softplus with PyTorch's defaults β = 1, threshold 20. */
  public static Activation softplus() {
    return softplus(1.0, 20.0);
  }

  public static Activation softplus(double beta, double threshold) {
    if (!(beta > 0)) {
      throw new IllegalArgumentException("softplus: beta must be > 0, got " + beta);
    }
    return new Activation(Kind.SOFTPLUS, beta, threshold);
  }

  public static Activation silu() {
    return new Activation(Kind.SILU, 0, 0);
  }

  public Kind kind() {
    return kind;
  }

  @Override
  protected Variable compute(Variable x) {
    return switch (kind) {
      case IDENTITY -> x;
      case SIGMOID -> ActivationOps.sigmoid(x);
      case TANH -> ActivationOps.tanh(x);
      case RELU -> ActivationOps.relu(x);
      case LEAKY_RELU -> ActivationOps.leakyRelu(x, alpha);
      case ELU -> ActivationOps.elu(x, alpha);
      case GELU -> ActivationOps.gelu(x);
      case GELU_TANH -> ActivationOps.geluTanh(x);
      case SOFTPLUS -> ActivationOps.softplus(x, alpha, threshold);
      case SILU -> ActivationOps.silu(x);
    };
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
