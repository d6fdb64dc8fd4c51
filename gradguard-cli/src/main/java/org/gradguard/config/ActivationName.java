package org.gradguard.config;

import java.util.List;
import org.gradguard.nn.Activation;

/** The activation functions configs may name, with PyTorch's definitions and defaults. */
public enum ActivationName implements Named {
  IDENTITY("identity"),
  SIGMOID("sigmoid"),
  TANH("tanh"),
  RELU("relu"),
  LEAKY_RELU("leaky_relu"),
  ELU("elu"),
  GELU("gelu"),
  GELU_TANH("gelu_tanh"),
  SOFTPLUS("softplus"),
  SILU("silu", "swish");

  private final String id;
  private final List<String> aliases;

  ActivationName(String id, String... aliases) {
    this.id = id;
    this.aliases = List.of(aliases);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public List<String> aliases() {
    return aliases;
  }

  /** The layer with PyTorch's default parameters. */
  public Activation create() {
    return create(0.01, 1.0, 1.0, 20.0);
  }

  /**
   * The layer with the given parameters (each used only by its function).
   *
   * @param negativeSlope leaky ReLU's slope
   * @param alpha ELU's α
   * @param beta softplus's β
   * @param threshold softplus's threshold
   */
  public Activation create(double negativeSlope, double alpha, double beta, double threshold) {
    return switch (this) {
      case IDENTITY -> Activation.identity();
      case SIGMOID -> Activation.sigmoid();
      case TANH -> Activation.tanh();
      case RELU -> Activation.relu();
      case LEAKY_RELU -> Activation.leakyRelu(negativeSlope);
      case ELU -> Activation.elu(alpha);
      case GELU -> Activation.gelu();
      case GELU_TANH -> Activation.geluTanh();
      case SOFTPLUS -> Activation.softplus(beta, threshold);
      case SILU -> Activation.silu();
    };
  }

  /**
   * The gain of the variance-preserving initializers for this function: PyTorch's {@code
   * calculate_gain} for identity (1), sigmoid (1), tanh (5/3), relu (√2) and leaky_relu
   * (√(2/(1+slope²))); √2 for the other rectifiers (elu, gelu, silu), which {@code calculate_gain}
   * does not cover; 1 for softplus.
   */
  public double gain(double negativeSlope) {
    return switch (this) {
      case IDENTITY, SIGMOID, SOFTPLUS -> 1.0;
      case TANH -> 5.0 / 3.0;
      case RELU, ELU, GELU, GELU_TANH, SILU -> Math.sqrt(2.0);
      case LEAKY_RELU -> Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
    };
  }
}
