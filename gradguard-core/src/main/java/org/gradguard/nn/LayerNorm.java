package org.gradguard.nn;

import java.util.Arrays;
import org.gradguard.autograd.NormOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Layer normalisation (Ba, Kiros &amp; Hinton 2016, "Layer Normalization"), as {@code
 * torch.nn.LayerNorm}: every input is normalised over its last {@code normalizedShape.length} axes,
 * which must equal {@code normalizedShape},
 *
 * <pre>
 * y = (x − E[x]) / √(Var[x] + eps) ⊙ γ + β     (biased variance over the normalised axes)
 * </pre>
 *
 * The same computation in training and evaluation mode; there are no running statistics. With
 * {@code elementwiseAffine}, parameters {@code weight} (γ, initialised to 1) and {@code bias} (β,
 * 0) have the shape {@code normalizedShape}. Implemented by the fused {@link NormOps#layerNorm}
 * primitive.
 */
public final class LayerNorm extends Module {

  private final int[] normalizedShape;
  private final double eps;
  private final Parameter weight;
  private final Parameter bias;

  /** PyTorch's defaults: eps 1e-5, elementwise affine. */
  public LayerNorm(int... normalizedShape) {
    this(normalizedShape, BatchNorm.DEFAULT_EPS, true);
  }

  /**
   * @param normalizedShape the trailing axes to normalise over, each &gt; 0 (at least one)
   * @param eps added to the variance, &gt; 0
   * @param elementwiseAffine whether to learn γ and β
   */
  public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
    if (normalizedShape == null || normalizedShape.length == 0) {
      throw new IllegalArgumentException("LayerNorm: normalizedShape must have at least one axis");
    }
    for (int d : normalizedShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "LayerNorm: normalizedShape must be positive, got " + Shapes.format(normalizedShape));
      }
    }
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("LayerNorm: eps must be > 0, got " + eps);
    }
    this.normalizedShape = normalizedShape.clone();
    this.eps = eps;
    this.weight =
        elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
    this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
  }

  @Override
  protected Variable compute(Variable x) {
    int[] s = x.shape();
    int k = normalizedShape.length;
    if (s.length < k
        || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
      throw new IllegalArgumentException(
          "LayerNorm: input "
              + Shapes.format(s)
              + " does not end with the normalized shape "
              + Shapes.format(normalizedShape));
    }
    return NormOps.layerNorm(x, k, weight, bias, eps);
  }

  /** A copy of the normalised shape. */
  public int[] normalizedShape() {
    return normalizedShape.clone();
  }

  public double eps() {
    return eps;
  }

  /** γ, or null without elementwise affine. */
  public Parameter weight() {
    return weight;
  }

  /** β, or null without elementwise affine. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public String toString() {
    return "LayerNorm("
        + Shapes.format(normalizedShape)
        + ", eps="
        + eps
        + (weight == null ? ", elementwiseAffine=false" : "")
        + ")";
  }

  @Override
  public Role role() {
    return Role.NORMALIZATION;
  }
}
