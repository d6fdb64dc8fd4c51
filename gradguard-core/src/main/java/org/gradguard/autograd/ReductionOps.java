package org.gradguard.autograd;

import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/** Reductions along axes, with or without keeping the reduced axes as length 1. */
public final class ReductionOps {
  private ReductionOps() {}

  /** The shape {@code x} has with the reduced axes kept as 1: the gradient's broadcast shape. */
  private static int[] keptShape(int[] shape, int[] axes, String op) {
    boolean[] mask = Shapes.axisMask(op, axes, shape.length);
    return Shapes.reduced(shape, mask, true);
  }

  /** Sum over {@code axes} (all when none); the gradient broadcasts back. */
  public static Variable sum(Variable a, boolean keepDims, int... axes) {
    Tensor x = a.value();
    int[] shape = x.shape();
    int[] kept = keptShape(shape, axes, "sum");
    Tensor out = x.sum(keepDims, axes);
    return Graph.record(Op.SUM, out, g -> new Tensor[] {g.reshape(kept).broadcastTo(shape)}, a);
  }

  /** Mean over {@code axes}: a sum scaled by the reciprocal count (composite). */
  public static Variable mean(Variable a, boolean keepDims, int... axes) {
    int[] shape = a.shape();
    boolean[] mask = Shapes.axisMask("mean", axes, shape.length);
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      if (mask[i]) {
        count *= shape[i];
      }
    }
    return sum(a, keepDims, axes).mul(1f / count);
  }

  /**
   * Maximum over {@code axes}. The gradient is shared evenly among the elements equal to the
   * maximum, like {@code torch.amax}.
   */
  public static Variable max(Variable a, boolean keepDims, int... axes) {
    Tensor x = a.value();
    int[] shape = x.shape();
    int[] kept = keptShape(shape, axes, "max");
    Tensor out = x.max(keepDims, axes);
    return Graph.record(
        Op.MAX,
        out,
        g -> {
          Tensor hit = x.eq(out.reshape(kept));
          Tensor count = hit.sum(true, axes);
          return new Tensor[] {hit.mul(g.reshape(kept).div(count))};
        },
        a);
  }

  /**
   * Variance over {@code axes} with {@code correction} (0 biased, 1 unbiased), built from
   * primitives: {@code Σ(x-μ)²/(n-correction)}.
   */
  public static Variable variance(Variable a, int correction, boolean keepDims, int... axes) {
    int[] shape = a.shape();
    boolean[] mask = Shapes.axisMask("variance", axes, shape.length);
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      if (mask[i]) {
        n *= shape[i];
      }
    }
    if (n - correction <= 0) {
      throw new IllegalArgumentException(
          "variance: "
              + n
              + " elements with correction "
              + correction
              + " leave no degrees of freedom");
    }
    Variable dev = a.sub(mean(a, true, axes));
    return sum(dev.square(), keepDims, axes).mul(1f / (n - correction));
  }
}
