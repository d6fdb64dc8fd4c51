package org.gradguard.nn;

import org.gradguard.autograd.MatrixOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.init.Init;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * A dense layer {@code y = x·Wᵀ + b}, with {@code weight [out, in]} and {@code bias [out]} as in
 * {@code torch.nn.Linear}. Input {@code [..., in]}, output {@code [..., out]}.
 *
 * <p>Default initialisation equals PyTorch's ({@link Init#pytorchDefault}): weight and bias uniform
 * in {@code ±1/√in} (for the weight this is {@code kaiming_uniform_(a=√5)}), weight drawn first.
 */
public final class Linear extends Module {
  private final int inFeatures;
  private final int outFeatures;
  private final Parameter weight;
  private final Parameter bias;

  /** A layer with a bias. */
  public Linear(int inFeatures, int outFeatures, Rng rng) {
    this(inFeatures, outFeatures, true, rng);
  }

  public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
    if (inFeatures <= 0 || outFeatures <= 0) {
      throw new IllegalArgumentException(
          "Linear: inFeatures and outFeatures must be > 0, got " + inFeatures + ", " + outFeatures);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    Tensor w = Tensor.zeros(outFeatures, inFeatures);
    Tensor b = bias ? Tensor.zeros(outFeatures) : null;
    Init.pytorchDefault(w, b, rng);
    this.weight = registerParameter("weight", w);
    this.bias = bias ? registerParameter("bias", b) : null;
  }

  @Override
  protected Variable compute(Variable x) {
    return MatrixOps.linear(x, weight, bias);
  }

  public Parameter weight() {
    return weight;
  }

  /** The bias, or null for a layer without one. */
  public Parameter bias() {
    return bias;
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  @Override
  public String toString() {
    return "Linear(" + inFeatures + " -> " + outFeatures + (bias == null ? ", no bias" : "") + ")";
  }
}
