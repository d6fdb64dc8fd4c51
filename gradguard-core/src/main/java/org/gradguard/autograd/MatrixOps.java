package org.gradguard.autograd;

import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/** Matrix products and the fused affine map of a dense layer. */
public final class MatrixOps {
  private MatrixOps() {}

  /**
   * {@code A·B} for {@code [m,k]×[k,n]}, {@code [b,m,k]×[b,k,n]} or {@code [b,m,k]×[k,n]}.
   * Gradients: {@code ∂A = G·Bᵀ}, {@code ∂B = Aᵀ·G} (summed over the batch when B is shared).
   */
  public static Variable matmul(Variable a, Variable b) {
    Tensor av = a.value();
    Tensor bv = b.value();
    Tensor out = av.matmul(bv);
    return Graph.record(
        Op.MATMUL,
        out,
        g -> {
          Tensor ga = a.requiresGrad() ? g.matmul(bv, false, true) : null;
          Tensor gb = null;
          if (b.requiresGrad()) {
            if (av.dim() == 3 && bv.dim() == 2) {
              int k = av.size(2);
              int n = bv.size(1);
              gb = av.reshape(-1, k).matmul(g.reshape(-1, n), true, false);
            } else {
              gb = av.matmul(g, true, false);
            }
          }
          return new Tensor[] {ga, gb};
        },
        a,
        b);
  }

  /**
   * The affine map of {@code torch.nn.functional.linear}: {@code y = x·Wᵀ + b}, with {@code x [...,
   * in]}, {@code W [out, in]} (PyTorch's layout), {@code b [out]} or {@code null}. Gradients:
   * {@code ∂x = G·W}, {@code ∂W = Gᵀ·x}, {@code ∂b = Σ G} over all leading axes.
   */
  public static Variable linear(Variable x, Variable weight, Variable bias) {
    Tensor xv = x.value();
    Tensor w = weight.value();
    int[] xs = xv.shape();
    if (w.dim() != 2 || xs.length < 1 || xs[xs.length - 1] != w.size(1)) {
      throw new IllegalArgumentException(
          "linear: input "
              + Shapes.format(xs)
              + " x weight "
              + Shapes.format(w.shape())
              + ": expected input [..., "
              + (w.dim() == 2 ? w.size(1) : "in")
              + "] and weight [out, in]");
    }
    int in = w.size(1);
    int outF = w.size(0);
    if (bias != null && (bias.value().dim() != 1 || bias.value().size(0) != outF)) {
      throw new IllegalArgumentException(
          "linear: bias "
              + Shapes.format(bias.shape())
              + " for weight "
              + Shapes.format(w.shape())
              + ": expected ["
              + outF
              + "]");
    }
    Tensor x2 = xv.reshape(-1, in);
    Tensor y = x2.matmul(w, false, true);
    if (bias != null) {
      y.addInPlace(bias.value());
    }
    int[] outShape = xs.clone();
    outShape[outShape.length - 1] = outF;
    Tensor out = y.reshape(outShape);
    Backward rule =
        g -> {
          Tensor g2 = g.reshape(-1, outF);
          Tensor gx = x.requiresGrad() ? g2.matmul(w).reshape(xs) : null;
          Tensor gw = weight.requiresGrad() ? g2.matmul(x2, true, false) : null;
          Tensor gb = bias != null && bias.requiresGrad() ? g2.sum(false, 0) : null;
          return new Tensor[] {gx, gw, gb};
        };
    return bias == null
        ? Graph.record(Op.LINEAR, out, g -> java.util.Arrays.copyOf(rule.apply(g), 2), x, weight)
        : Graph.record(Op.LINEAR, out, rule, x, weight, bias);
  }
}
