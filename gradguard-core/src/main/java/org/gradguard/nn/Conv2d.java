package org.gradguard.nn;

import java.util.Arrays;
import org.gradguard.autograd.ConvOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.init.Init;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * A 2-D convolution layer, {@code torch.nn.Conv2d} with dilation 1 and groups 1 (the only values
 * supported): the cross-correlation
 *
 * <pre>
 * out[n,o,i,j] = bias[o] + Σ_{c,u,v} weight[o,c,u,v] · xpad[n, c, i·sh + u, j·sw + v]
 * </pre>
 *
 * of an input {@code [N, inChannels, H, W]} (NCHW), zero-padded by {@code padding} on both sides,
 * giving {@code [N, outChannels, OH, OW]} with {@code OH = floor((H + 2ph − kh)/sh) + 1}, likewise
 * OW. Parameters in PyTorch's layout: {@code weight [outChannels, inChannels, kh, kw]}, {@code bias
 * [outChannels]}. Computed by {@link ConvOps#conv2d} (im2col + GEMM on the current backend).
 *
 * <p>Default initialisation equals PyTorch's ({@link Init#pytorchDefault}): weight {@code
 * kaiming_uniform_(a=√5)}, which is uniform in {@code ±1/√fanIn}, and bias uniform in {@code
 * ±1/√fanIn}, with {@code fanIn = inChannels·kh·kw}. Weight is drawn before bias.
 */
public final class Conv2d extends Module {
  private final int inChannels;
  private final int outChannels;
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;
  private final Parameter weight;
  private final Parameter bias;

  /** A square {@code kernel × kernel} convolution with a bias. */
  public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng) {
    this(
        inChannels,
        outChannels,
        new int[] {kernel, kernel},
        new int[] {stride, stride},
        new int[] {padding, padding},
        true,
        rng);
  }

  /**
   * @param kernel {@code [kh, kw]}, each ≥ 1
   * @param stride {@code [sh, sw]}, each ≥ 1
   * @param padding {@code [ph, pw]} zero rows/columns on each side, each ≥ 0
   * @param bias whether to add a learned bias per output channel
   * @param rng the source of the initial weights (advanced)
   */
  public Conv2d(
      int inChannels,
      int outChannels,
      int[] kernel,
      int[] stride,
      int[] padding,
      boolean bias,
      Rng rng) {
    if (inChannels <= 0) {
      throw new IllegalArgumentException("Conv2d: inChannels must be > 0, got " + inChannels);
    }
    if (outChannels <= 0) {
      throw new IllegalArgumentException("Conv2d: outChannels must be > 0, got " + outChannels);
    }
    this.kernel = WindowPairs.check("Conv2d", "kernel", kernel, 1);
    this.stride = WindowPairs.check("Conv2d", "stride", stride, 1);
    this.padding = WindowPairs.check("Conv2d", "padding", padding, 0);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    Tensor w = Tensor.zeros(outChannels, inChannels, kernel[0], kernel[1]);
    Tensor b = bias ? Tensor.zeros(outChannels) : null;
    Init.pytorchDefault(w, b, rng);
    this.weight = registerParameter("weight", w);
    this.bias = bias ? registerParameter("bias", b) : null;
  }

  @Override
  protected Variable compute(Variable x) {
    return ConvOps.conv2d(x, weight, bias, stride, padding);
  }

  public Parameter weight() {
    return weight;
  }

  /** The bias, or null for a layer without one. */
  public Parameter bias() {
    return bias;
  }

  public int inChannels() {
    return inChannels;
  }

  public int outChannels() {
    return outChannels;
  }

  /** {@code [kh, kw]} (a copy). */
  public int[] kernelSize() {
    return kernel.clone();
  }

  /** {@code [sh, sw]} (a copy). */
  public int[] stride() {
    return stride.clone();
  }

  /** {@code [ph, pw]} (a copy). */
  public int[] padding() {
    return padding.clone();
  }

  @Override
  public String toString() {
    return "Conv2d("
        + inChannels
        + " -> "
        + outChannels
        + ", kernel "
        + Arrays.toString(kernel)
        + ", stride "
        + Arrays.toString(stride)
        + ", padding "
        + Arrays.toString(padding)
        + (bias == null ? ", no bias" : "")
        + ")";
  }
}
