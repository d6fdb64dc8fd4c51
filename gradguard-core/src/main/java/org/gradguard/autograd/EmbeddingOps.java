package org.gradguard.autograd;

import java.util.Arrays;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/** The embedding lookup, a fused gather of table rows by integer index. */
public final class EmbeddingOps {
  private EmbeddingOps() {}

  /**
   * Rows of {@code weight [V, D]} looked up by integer indices, as {@code
   * torch.nn.functional.embedding}: {@code out[i…, :] = weight[indices[i…], :]}, of shape {@code
   * indicesShape + [D]}.
   *
   * <p>Gradient: the upstream rows are scatter-added into a {@code [V, D]} zero tensor, so repeated
   * indices accumulate; the row {@code paddingIdx} (if not null) receives zero gradient although
   * the forward still returns it, as PyTorch's {@code padding_idx}. {@code max_norm}
   * renormalisation is not supported. No argument is modified.
   *
   * @param weight the table {@code [V, D]}
   * @param indices flat row-major indices, each in {@code [0, V)}
   * @param indicesShape their shape (any rank, {@code []} for one index); its product must equal
   *     {@code indices.length}
   * @param paddingIdx a row in {@code [0, V)} excluded from the gradient, or null
   */
  public static Variable embedding(
      Variable weight, int[] indices, int[] indicesShape, Integer paddingIdx) {
    Tensor w = weight.value();
    if (w.dim() != 2) {
      throw new IllegalArgumentException(
          "embedding: weight must be [V, D], got " + Shapes.format(w.shape()));
    }
    int v = w.size(0);
    int dim = w.size(1);
    if (Shapes.numel(indicesShape) != indices.length) {
      throw new IllegalArgumentException(
          "embedding: "
              + indices.length
              + " indices do not fill the shape "
              + Shapes.format(indicesShape));
    }
    if (paddingIdx != null && (paddingIdx < 0 || paddingIdx >= v)) {
      throw new IllegalArgumentException(
          "embedding: paddingIdx must be in [0, " + v + "), got " + paddingIdx);
    }
    int[] idx = indices.clone();
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= v) {
        throw new IllegalArgumentException(
            "embedding: index "
                + idx[i]
                + " at position "
                + i
                + " is out of range for a table of "
                + v
                + " rows "
                + Shapes.format(w.shape()));
      }
    }
    float[] wd = w.data();
    float[] y = new float[idx.length * dim];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(wd, idx[i] * dim, y, i * dim, dim);
    }
    int[] outShape = Arrays.copyOf(indicesShape, indicesShape.length + 1);
    outShape[indicesShape.length] = dim;
    Tensor out = Tensor.wrap(y, outShape);
    int pad = paddingIdx == null ? -1 : paddingIdx;
    return Graph.record(
        Op.EMBEDDING,
        out,
        g -> {
          float[] gd = g.data();
          float[] r = new float[v * dim];
          for (int i = 0; i < idx.length; i++) {
            if (idx[i] == pad) {
              continue;
            }
            int dst = idx[i] * dim;
            int src = i * dim;
            for (int e = 0; e < dim; e++) {
              r[dst + e] += gd[src + e];
            }
          }
          return new Tensor[] {Tensor.wrap(r, v, dim)};
        },
        weight);
  }
}
