package org.gradguard.nn;

import java.util.Arrays;
import org.gradguard.autograd.EmbeddingOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as {@code
 * torch.nn.Embedding}: integer indices of any shape map to their rows, output {@code indices.shape
 * + [embeddingDim]}. Parameter {@code weight [numEmbeddings, embeddingDim]}, initialised N(0, 1)
 * like PyTorch, with the {@code paddingIdx} row (if any) set to zero.
 *
 * <p>The row {@code paddingIdx} receives no gradient, so it stays as it is (zero, unless changed by
 * hand) while training; the forward pass still returns it. A negative {@code paddingIdx} counts
 * from the end, as in PyTorch. Implemented by the fused {@link EmbeddingOps#embedding} primitive.
 *
 * <p>Use {@link #forward(int[], int...)} for integer indices; {@link #forward(Variable)} accepts a
 * float tensor whose values are integers (validated), for use inside a {@link Sequential}.
 */
public final class Embedding extends Module {
  /** The largest integer every float32 below it represents exactly: 2²⁴. */
  private static final int MAX_EXACT = 1 << 24;

  private final int numEmbeddings;
  private final int embeddingDim;
  private final Integer paddingIdx;
  private final Parameter weight;

  /**
   * @param numEmbeddings V, the number of rows, &gt; 0
   * @param embeddingDim D, the size of each row, &gt; 0
   * @param paddingIdx a row in {@code [−V, V)} excluded from the gradient and zero-initialised, or
   *     null
   * @param rng the source of the N(0, 1) initial values
   */
  public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Rng rng) {
    if (numEmbeddings <= 0) {
      throw new IllegalArgumentException(
          "Embedding: numEmbeddings must be > 0, got " + numEmbeddings);
    }
    if (embeddingDim <= 0) {
      throw new IllegalArgumentException(
          "Embedding: embeddingDim must be > 0, got " + embeddingDim);
    }
    if (paddingIdx != null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
      throw new IllegalArgumentException(
          "Embedding: paddingIdx must be in ["
              + -numEmbeddings
              + ", "
              + numEmbeddings
              + "), got "
              + paddingIdx);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx =
        paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    Tensor w = Tensor.randn(rng, numEmbeddings, embeddingDim);
    if (this.paddingIdx != null) {
      Arrays.fill(
          w.data(), this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim, 0f);
    }
    this.weight = registerParameter("weight", w);
  }

  /** Without a padding row. */
  public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
    this(numEmbeddings, embeddingDim, null, rng);
  }

  /**
   * Looks up {@code indices} (flat, row-major) of shape {@code shape}; with no shape given, a 1-D
   * shape {@code [indices.length]} (for one scalar index, pass {@code
   * Variable.constant(Tensor.scalar(i))} to {@link #forward(Variable)}). Goes through {@link
   * #forward(Variable)}, so the forward hooks run; the indices travel as float32, exact up to 2²⁴
   * (larger ones are rejected, use {@link EmbeddingOps#embedding} directly for such tables).
   */
  public Variable forward(int[] indices, int... shape) {
    int[] s = shape.length == 0 ? new int[] {indices.length} : shape;
    if (Shapes.numel(s) != indices.length) {
      throw new IllegalArgumentException(
          "Embedding: " + indices.length + " indices do not fill the shape " + Shapes.format(s));
    }
    float[] d = new float[indices.length];
    for (int i = 0; i < d.length; i++) {
      if (Math.abs(indices[i]) > MAX_EXACT) {
        throw new IllegalArgumentException(
            "Embedding: index " + indices[i] + " at position " + i + " exceeds 2^24");
      }
      d[i] = indices[i];
    }
    return forward(Variable.constant(Tensor.wrap(d, s)));
  }

  @Override
  protected Variable compute(Variable indices) {
    float[] d = indices.value().data();
    int[] idx = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      float f = d[i];
      if (f != Math.rint(f) || Math.abs(f) > MAX_EXACT) {
        throw new IllegalArgumentException(
            "Embedding: indices must be integers, got "
                + f
                + " at position "
                + i
                + " of "
                + Shapes.format(indices.shape()));
      }
      idx[i] = (int) f;
    }
    return EmbeddingOps.embedding(weight, idx, indices.shape(), paddingIdx);
  }

  public Parameter weight() {
    return weight;
  }

  public int numEmbeddings() {
    return numEmbeddings;
  }

  public int embeddingDim() {
    return embeddingDim;
  }

  /** The padding row in {@code [0, V)}, or null. */
  public Integer paddingIdx() {
    return paddingIdx;
  }

  @Override
  public String toString() {
    return "Embedding("
        + numEmbeddings
        + ", "
        + embeddingDim
        + (paddingIdx == null ? "" : ", paddingIdx=" + paddingIdx)
        + ")";
  }
}
