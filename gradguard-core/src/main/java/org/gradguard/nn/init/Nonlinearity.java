package org.gradguard.nn.init;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The nonlinearities of {@code torch.nn.init.calculate_gain}, each with its recommended gain: the
 * factor that keeps the variance of the signal constant from layer to layer when the weights have
 * variance {@code gain²/fan}.
 *
 * <table>
 *   <caption>Gains (PyTorch's values)</caption>
 *   <tr><th>nonlinearity</th><th>gain</th></tr>
 *   <tr><td>linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid</td><td>1</td></tr>
 *   <tr><td>tanh</td><td>5/3</td></tr>
 *   <tr><td>relu</td><td>√2</td></tr>
 *   <tr><td>leaky_relu</td><td>√(2/(1 + slope²)), slope 0.01 by default</td></tr>
 *   <tr><td>selu</td><td>3/4</td></tr>
 * </table>
 *
 * <p>√2 for ReLU is He et al. 2015 (ReLU halves the second moment); 5/3 for tanh and 3/4 for SELU
 * are PyTorch's empirical choices. As PyTorch's documentation notes, self-normalising networks
 * (Klambauer et al. 2017) want weight variance {@code 1/fanIn}, i.e. {@code LINEAR}, not {@code
 * SELU}.
 */
public enum Nonlinearity {
  LINEAR,
  CONV1D,
  CONV2D,
  CONV3D,
  CONV_TRANSPOSE1D,
  CONV_TRANSPOSE2D,
  CONV_TRANSPOSE3D,
  SIGMOID,
  TANH,
  RELU,
  LEAKY_RELU,
  SELU;

  /** PyTorch's default negative slope of leaky ReLU when no parameter is given. */
  public static final double DEFAULT_LEAKY_SLOPE = 0.01;

  /** The name {@code calculate_gain} takes: {@code "leaky_relu"}, {@code "conv_transpose2d"}. */
  public String torchName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The nonlinearity that {@code calculate_gain} calls {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static Nonlinearity fromTorchName(String name) {
    for (Nonlinearity n : values()) {
      if (n.torchName().equals(name)) {
        return n;
      }
    }
    throw new IllegalArgumentException(
        "calculateGain: unsupported nonlinearity '"
            + name
            + "'; valid names are "
            + Arrays.stream(values())
                .map(Nonlinearity::torchName)
                .collect(Collectors.joining(", ")));
  }

  /**
   * The recommended gain. {@code param} is leaky ReLU's negative slope ({@code null} for the
   * default 0.01) and is ignored by every other nonlinearity, as in PyTorch.
   *
   * @throws IllegalArgumentException for a non-finite slope
   */
  public double gain(Double param) {
    return switch (this) {
      case LINEAR,
          CONV1D,
          CONV2D,
          CONV3D,
          CONV_TRANSPOSE1D,
          CONV_TRANSPOSE2D,
          CONV_TRANSPOSE3D,
          SIGMOID ->
          1.0;
      case TANH -> 5.0 / 3.0;
      case RELU -> Math.sqrt(2.0);
      case LEAKY_RELU -> {
        double slope = param == null ? DEFAULT_LEAKY_SLOPE : param;
        if (!Double.isFinite(slope)) {
          throw new IllegalArgumentException(
              "calculateGain: leaky_relu negative slope must be finite, got " + slope);
        }
        yield Math.sqrt(2.0 / (1.0 + slope * slope));
      }
      case SELU -> 3.0 / 4.0;
    };
  }
}
