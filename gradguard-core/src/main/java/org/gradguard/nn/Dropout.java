package org.gradguard.nn;

import org.gradguard.autograd.ArithmeticOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting"), as {@code torch.nn.Dropout}. In training mode each element is zeroed independently
 * with probability {@code p} and the survivors are scaled by {@code 1/(1−p)}, so the expected
 * output equals the input:
 *
 * <pre>y = x ⊙ m,   m_i = 1/(1−p) with probability 1−p, else 0</pre>
 *
 * In evaluation mode (and for {@code p = 0}) it is the identity. A composite: the product with a
 * constant mask, so the gradient is {@code g ⊙ m}.
 *
 * <p>The mask is drawn from the {@link Rng} given at construction, which every training forward
 * pass advances (modifies); the same seed and the same sequence of calls give the same masks.
 */
public final class Dropout extends Module {
  private final double p;
  private final Rng rng;

  /**
   * @param p the probability of zeroing an element, in [0, 1)
   * @param rng the source of the masks (advanced by every training forward pass)
   */
  public Dropout(double p, Rng rng) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
    }
    if (rng == null) {
      throw new IllegalArgumentException("Dropout: rng must not be null");
    }
    this.p = p;
    this.rng = rng;
  }

  @Override
  protected Variable compute(Variable x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    float scale = (float) (1 / (1 - p));
    float[] mask = new float[x.value().numel()];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = rng.nextDouble() < p ? 0f : scale;
    }
    return ArithmeticOps.mul(x, Variable.constant(Tensor.wrap(mask, x.shape())));
  }

  public double p() {
    return p;
  }

  @Override
  public String toString() {
    return "Dropout(p=" + p + ")";
  }
}
