package org.gradguard.tensor;

/**
 * A right-hand matrix operand {@code op(B)} ({@code k×n}) prepared once by {@link
 * Backend#packOperand} for many products {@link Backend#addPackedProduct}: a recurrent layer's
 * weight, multiplied at every time step. Each backend keeps it in the layout its kernel reads (the
 * reference a row-major copy, the vector backend column panels), so it is used only with the
 * backend that made it. Holds a copy: later changes to the source array do not reach it. One thread
 * at a time multiplies by it (a backend may keep scratch space in it).
 */
public interface PackedOperand {
  /** The depth k (rows of op(B)). */
  int depth();

  /** The columns n of op(B). */
  int columns();

  /** op(B) as a row-major {@code k×n} copy: what {@link Backend#packOperand} does by default. */
  record RowMajor(float[] values, int depth, int columns) implements PackedOperand {
    /**
     * Copies {@code op(B)} from {@code b} ({@code k×n} from {@code bOff}, or {@code n×k} when
     * {@code transB}).
     */
    static RowMajor of(float[] b, int bOff, int k, int n, boolean transB) {
      float[] v = new float[k * n];
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < n; j++) {
          v[p * n + j] = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
        }
      }
      return new RowMajor(v, k, n);
    }
  }
}
