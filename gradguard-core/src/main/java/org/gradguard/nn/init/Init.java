package org.gradguard.nn.init;

import java.util.Objects;
import org.gradguard.nn.Module;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Weight initialisers, after {@code torch.nn.init} and the variance-scaling initialisers of Keras
 * and JAX.
 *
 * <p>Every function <b>overwrites the given tensor in place</b> (Modified: {@code tensor}) with
 * draws from the given {@link Rng} and returns it. Draws are made in double and rounded to float
 * once, in row-major order, one {@code nextDouble} (uniform, truncated normal) or one {@code
 * nextGaussian} (normal) per element, so a seed fixes the result. Fans follow PyTorch's weight
 * layout {@code [out, in, k...]} ({@link Fans}). A tensor with no elements is left as it is.
 * Invalid hyper-parameters throw {@link IllegalArgumentException} naming the function, the
 * parameter and its value.
 *
 * <p>Why these scales: for {@code y = Wx} with i.i.d. zero-mean weights of variance {@code v},
 * {@code Var(yᵢ) = fanIn·v·E[xⱼ²]}; choosing {@code v = gain²/fanIn} keeps the signal's scale
 * through depth (LeCun 1998, He et al. 2015), {@code v = gain²/fanOut} keeps the gradient's, and
 * Glorot and Bengio (2010) compromise with {@code 2/(fanIn + fanOut)}. A mean-field weight variance
 * {@code W ~ N(0, σ_w²/N)} (Poole et al. 2016, Schoenholz et al. 2017) is {@code varianceScaling(t,
 * σ_w², FAN_IN, NORMAL, rng)}.
 */
public final class Init {
  /**
   * The standard deviation of a standard normal truncated to {@code [−2, 2]}; variance scaling
   * divides by it so that the truncated draws have the requested variance (Keras, JAX).
   */
  public static final double TRUNCATED_NORMAL_STD = 0.87962566103423978;

  private Init() {}

  // ------------------------------------------------------------ gains and fans

  /**
   * {@code torch.nn.init.calculate_gain(nonlinearity, param)}; see {@link Nonlinearity} for the
   * values. {@code param} is leaky ReLU's negative slope, {@code null} for 0.01.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the valid ones)
   */
  public static double calculateGain(String nonlinearity, Double param) {
    return Nonlinearity.fromTorchName(nonlinearity).gain(param);
  }

  /** {@link #calculateGain(String, Double)} by enum. */
  public static double calculateGain(Nonlinearity nonlinearity, Double param) {
    return Objects.requireNonNull(nonlinearity, "calculateGain: nonlinearity").gain(param);
  }

  /** PyTorch's {@code _calculate_fan_in_and_fan_out} for {@code shape}; see {@link Fans#of}. */
  public static Fans fans(int[] shape) {
    return Fans.of(shape);
  }

  // ------------------------------------------------------------ plain distributions

  /** {@code U(a, b)}: each element {@code a + (b − a)·u}. Modified: tensor. Requires a ≤ b. */
  public static Tensor uniform(Tensor tensor, double a, double b, Rng rng) {
    checkFinite("uniform", "a", a);
    checkFinite("uniform", "b", b);
    if (!(a <= b)) {
      throw new IllegalArgumentException("Init.uniform: a must be <= b, got a " + a + ", b " + b);
    }
    fillUniform(tensor.data(), a, b, rng);
    return tensor;
  }

  /** {@code N(mean, std²)}. Modified: tensor. Requires std ≥ 0. */
  public static Tensor normal(Tensor tensor, double mean, double std, Rng rng) {
    checkFinite("normal", "mean", mean);
    checkNonNegative("normal", "std", std);
    fillNormal(tensor.data(), mean, std, rng);
    return tensor;
  }

  /**
   * {@code N(mean, std²)} conditioned on {@code [a, b]}, as {@code trunc_normal_} (defaults there:
   * mean 0, std 1, a −2, b 2). The bounds are absolute values, not multiples of std. Drawn by the
   * inverse distribution function in double, accurate also when the interval lies far in a tail.
   * Modified: tensor. Requires std &gt; 0 and a &lt; b.
   */
  public static Tensor truncatedNormal(
      Tensor tensor, double mean, double std, double a, double b, Rng rng) {
    checkFinite("truncatedNormal", "mean", mean);
    checkPositive("truncatedNormal", "std", std);
    checkFinite("truncatedNormal", "a", a);
    checkFinite("truncatedNormal", "b", b);
    if (!(a < b)) {
      throw new IllegalArgumentException(
          "Init.truncatedNormal: a must be < b, got a " + a + ", b " + b);
    }
    TruncatedNormal.fill(tensor.data(), mean, std, a, b, rng);
    return tensor;
  }

  /** Every element {@code value}. Modified: tensor. */
  public static Tensor constant(Tensor tensor, double value) {
    return tensor.fillInPlace((float) value);
  }

  /** Every element 0. Modified: tensor. */
  public static Tensor zeros(Tensor tensor) {
    return tensor.fillInPlace(0f);
  }

  /** Every element 1. Modified: tensor. */
  public static Tensor ones(Tensor tensor) {
    return tensor.fillInPlace(1f);
  }

  // ------------------------------------------------------------ Glorot / Xavier

  /**
   * Glorot uniform: {@code U(−b, b)}, {@code b = gain·√(6/(fanIn + fanOut))} (Glorot and Bengio
   * 2010, "Understanding the difficulty of training deep feedforward neural networks"), as {@code
   * xavier_uniform_}. Modified: tensor (rank ≥ 2). Requires gain &gt; 0.
   */
  public static Tensor xavierUniform(Tensor tensor, double gain, Rng rng) {
    double bound = Math.sqrt(3.0) * xavierStd("xavierUniform", tensor.shape(), gain);
    fillUniform(tensor.data(), -bound, bound, rng);
    return tensor;
  }

  /** {@link #xavierUniform(Tensor, double, Rng)} with gain 1. Modified: tensor. */
  public static Tensor xavierUniform(Tensor tensor, Rng rng) {
    return xavierUniform(tensor, 1.0, rng);
  }

  /**
   * Glorot normal: {@code N(0, std²)}, {@code std = gain·√(2/(fanIn + fanOut))} (Glorot and Bengio
   * 2010), as {@code xavier_normal_}. Modified: tensor (rank ≥ 2). Requires gain &gt; 0.
   */
  public static Tensor xavierNormal(Tensor tensor, double gain, Rng rng) {
    double std = xavierStd("xavierNormal", tensor.shape(), gain);
    fillNormal(tensor.data(), 0.0, std, rng);
    return tensor;
  }

  /** {@link #xavierNormal(Tensor, double, Rng)} with gain 1. Modified: tensor. */
  public static Tensor xavierNormal(Tensor tensor, Rng rng) {
    return xavierNormal(tensor, 1.0, rng);
  }

  /**
   * The standard deviation Glorot's initialisers give a weight of {@code shape}: {@code
   * gain·√(2/(fanIn + fanOut))}. The uniform bound is {@code √3} times this.
   */
  public static double xavierStd(int[] shape, double gain) {
    return xavierStd("xavierStd", shape, gain);
  }

  private static double xavierStd(String fn, int[] shape, double gain) {
    checkPositive(fn, "gain", gain);
    Fans f = Fans.of(shape);
    return gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
  }

  // ------------------------------------------------------------ He / Kaiming

  /**
   * He uniform: {@code U(−b, b)}, {@code b = √3·gain/√fan}, {@code gain =
   * calculateGain(nonlinearity, a)} (He et al. 2015, "Delving deep into rectifiers"), as {@code
   * kaiming_uniform_}. {@code a} is the negative slope of a following leaky ReLU (ignored by other
   * nonlinearities); {@code mode} FAN_IN preserves forward variance, FAN_OUT backward variance.
   * Modified: tensor (rank ≥ 2).
   */
  public static Tensor kaimingUniform(
      Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
    double std = kaimingStd("kaimingUniform", tensor.shape(), a, mode, nonlinearity);
    double bound = Math.sqrt(3.0) * std;
    fillUniform(tensor.data(), -bound, bound, rng);
    return tensor;
  }

  /** PyTorch's defaults: {@code a = 0}, FAN_IN, leaky ReLU (so gain √2). Modified: tensor. */
  public static Tensor kaimingUniform(Tensor tensor, Rng rng) {
    return kaimingUniform(tensor, 0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, rng);
  }

  /**
   * He normal: {@code N(0, std²)}, {@code std = gain/√fan} (He et al. 2015), as {@code
   * kaiming_normal_}; arguments as {@link #kaimingUniform(Tensor, double, FanMode, Nonlinearity,
   * Rng)}. Modified: tensor (rank ≥ 2).
   */
  public static Tensor kaimingNormal(
      Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
    double std = kaimingStd("kaimingNormal", tensor.shape(), a, mode, nonlinearity);
    fillNormal(tensor.data(), 0.0, std, rng);
    return tensor;
  }

  /** PyTorch's defaults: {@code a = 0}, FAN_IN, leaky ReLU (so gain √2). Modified: tensor. */
  public static Tensor kaimingNormal(Tensor tensor, Rng rng) {
    return kaimingNormal(tensor, 0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, rng);
  }

  /**
   * The standard deviation He's initialisers give a weight of {@code shape}: {@code gain/√fan} with
   * {@code gain = calculateGain(nonlinearity, a)}. The uniform bound is {@code √3} times this.
   */
  public static double kaimingStd(int[] shape, double a, FanMode mode, Nonlinearity nonlinearity) {
    return kaimingStd("kaimingStd", shape, a, mode, nonlinearity);
  }

  private static double kaimingStd(
      String fn, int[] shape, double a, FanMode mode, Nonlinearity nonlinearity) {
    checkFinite(fn, "a", a);
    Objects.requireNonNull(nonlinearity, "Init." + fn + ": nonlinearity");
    if (mode != FanMode.FAN_IN && mode != FanMode.FAN_OUT) {
      throw new IllegalArgumentException(
          "Init." + fn + ": mode must be FAN_IN or FAN_OUT, got " + mode);
    }
    double fan = Fans.of(shape).select(mode);
    return nonlinearity.gain(a) / Math.sqrt(fan);
  }

  // ------------------------------------------------------------ orthogonal

  /**
   * A (semi-)orthogonal matrix times {@code gain} (Saxe et al. 2014, "Exact solutions to the
   * nonlinear dynamics of learning in deep linear neural networks"), as {@code orthogonal_}: the
   * tensor is viewed as {@code [rows, numel/rows]} (trailing dimensions flattened), the Q factor of
   * a Gaussian matrix is taken with PyTorch's sign correction by {@code diag R}, in double. Rows
   * are orthonormal when {@code rows ≤ cols} ({@code WWᵀ = gain²·I}), columns otherwise ({@code WᵀW
   * = gain²·I}). Modified: tensor (rank ≥ 2). Requires gain &gt; 0.
   */
  public static Tensor orthogonal(Tensor tensor, double gain, Rng rng) {
    checkPositive("orthogonal", "gain", gain);
    if (tensor.dim() < 2) {
      throw new IllegalArgumentException(
          "Init.orthogonal: only tensors with 2 or more dimensions are supported, got shape "
              + Shapes.format(tensor.shape()));
    }
    if (tensor.numel() == 0) {
      return tensor;
    }
    int rows = tensor.size(0);
    int cols = tensor.numel() / rows;
    double[] q = Orthogonal.draw(rows, cols, rng);
    float[] d = tensor.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (gain * q[i]);
    }
    return tensor;
  }

  /** {@link #orthogonal(Tensor, double, Rng)} with gain 1. Modified: tensor. */
  public static Tensor orthogonal(Tensor tensor, Rng rng) {
    return orthogonal(tensor, 1.0, rng);
  }

  // ------------------------------------------------------------ variance scaling

  /**
   * Variance scaling, as Keras' {@code VarianceScaling} and JAX's {@code variance_scaling}: draws
   * with variance {@code scale / n}, {@code n} the fan that {@code mode} names. NORMAL draws {@code
   * N(0, scale/n)}; TRUNCATED_NORMAL draws a normal truncated to ±2 of its standard deviation
   * {@code √(scale/n) / 0.8796…} (the divisor restores the requested variance after truncation);
   * UNIFORM draws {@code U(−√(3·scale/n), √(3·scale/n))}.
   *
   * <p>The family contains the others: LeCun normal is {@code (1, FAN_IN, TRUNCATED_NORMAL)}, He
   * normal {@code (2, FAN_IN, …)}, Glorot uniform {@code (1, FAN_AVG, UNIFORM)}, and the mean-field
   * {@code W ~ N(0, σ_w²/N)} is {@code (σ_w², FAN_IN, NORMAL)}.
   *
   * <p>Convention: fans follow PyTorch's layout {@code [out, in, k...]} ({@link Fans}), not JAX's
   * default {@code in_axis=-2, out_axis=-1}, so the same call gives the same scale for our weights
   * as JAX does for its transposed ones. Modified: tensor (rank ≥ 2). Requires scale &gt; 0.
   */
  public static Tensor varianceScaling(
      Tensor tensor, double scale, FanMode mode, Distribution distribution, Rng rng) {
    checkPositive("varianceScaling", "scale", scale);
    Objects.requireNonNull(mode, "Init.varianceScaling: mode");
    Objects.requireNonNull(distribution, "Init.varianceScaling: distribution");
    double variance = scale / Math.max(1.0, Fans.of(tensor.shape()).select(mode));
    if (tensor.numel() == 0) {
      return tensor;
    }
    switch (distribution) {
      case NORMAL -> fillNormal(tensor.data(), 0.0, Math.sqrt(variance), rng);
      case TRUNCATED_NORMAL -> {
        double std = Math.sqrt(variance) / TRUNCATED_NORMAL_STD;
        TruncatedNormal.fill(tensor.data(), 0.0, std, -2 * std, 2 * std, rng);
      }
      case UNIFORM -> {
        double limit = Math.sqrt(3.0 * variance);
        fillUniform(tensor.data(), -limit, limit, rng);
      }
    }
    return tensor;
  }

  // ------------------------------------------------------------ PyTorch's layer default

  /**
   * The default initialisation of PyTorch's Linear and Conv layers ({@code reset_parameters}): the
   * weight by {@code kaiming_uniform_(a=√5)}, i.e. {@code U(±1/√fanIn)} since {@code √3·√(2/(1+5))
   * = 1}, then the bias {@code U(±1/√fanIn)} (0 when fanIn is 0). The weight bound is computed as
   * {@code 1/√fanIn} directly; PyTorch's floating-point route may differ from it by one ulp of a
   * double. Draws the weight first, then the bias.
   *
   * @param weight a rank ≥ 2 weight in PyTorch's layout (Modified)
   * @param bias the bias, or {@code null} for a layer without one (Modified)
   */
  public static void pytorchDefault(Tensor weight, Tensor bias, Rng rng) {
    double bound = pytorchDefaultBound(weight.shape());
    fillUniform(weight.data(), -bound, bound, rng);
    if (bias != null) {
      fillUniform(bias.data(), -bound, bound, rng);
    }
  }

  /**
   * The bound of {@link #pytorchDefault} for a weight of {@code shape}: {@code 1/√fanIn}, or 0 when
   * fanIn is 0.
   */
  public static double pytorchDefaultBound(int[] shape) {
    long fanIn = Fans.of(shape).fanIn();
    return fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0;
  }

  // ------------------------------------------------------------ data-dependent

  /**
   * LSUV with the paper's defaults (tolerance 0.1, 10 iterations); see {@link Lsuv}. Modified: the
   * weights of {@code model}.
   */
  public static Lsuv.Report lsuv(Module model, Tensor batch, Rng rng) {
    return Lsuv.initialize(model, batch, Lsuv.DEFAULT_TOLERANCE, Lsuv.DEFAULT_MAX_ITERATIONS, rng);
  }

  // ------------------------------------------------------------ kernels and checks

  /** The formula of {@code Tensor.uniform}, so that both give the same numbers. */
  static void fillUniform(float[] d, double low, double high, Rng rng) {
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (low + (high - low) * rng.nextDouble());
    }
  }

  /** The formula of {@code Tensor.normal}, so that both give the same numbers. */
  static void fillNormal(float[] d, double mean, double std, Rng rng) {
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (mean + std * rng.nextGaussian());
    }
  }

  private static void checkFinite(String fn, String name, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("Init." + fn + ": " + name + " must be finite, got " + v);
    }
  }

  private static void checkNonNegative(String fn, String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(
          "Init." + fn + ": " + name + " must be finite and >= 0, got " + v);
    }
  }

  private static void checkPositive(String fn, String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(
          "Init." + fn + ": " + name + " must be finite and > 0, got " + v);
    }
  }
}
