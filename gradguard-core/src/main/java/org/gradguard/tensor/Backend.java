package org.gradguard.tensor;

/**
 * The kernels every tensor operation is built on. Autograd and layers call {@link Tensor}, which
 * calls the current backend, so a faster backend (vectorised, native, GPU) replaces {@link
 * ReferenceBackend} without touching anything above this package.
 *
 * <p>Arrays are dense, row-major float32. Unless a method says otherwise, input arrays are not
 * modified and the output array is fully overwritten.
 */
public interface Backend {
  /** A short name for logs and benchmark reports, e.g. {@code "reference"}. */
  String name();

  /**
   * General matrix multiply: {@code C = op(A)·op(B)} or, when {@code accumulate}, {@code C +=
   * op(A)·op(B)}, where {@code op(A)} is {@code m×k} and {@code op(B)} is {@code k×n}.
   *
   * <p>{@code A} is stored {@code m×k} row-major, or {@code k×m} when {@code transA}; likewise
   * {@code B} is {@code k×n}, or {@code n×k} when {@code transB}. Modified: {@code c}.
   */
  void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      float[] b,
      int bOffset,
      float[] c,
      int cOffset,
      boolean accumulate);

  /** {@code out[i] = op(x[i])} for {@code i < n}. {@code out} may be {@code x}. */
  void map(UnaryOp op, float[] x, float[] out, int n);

  /**
   * Broadcasting binary op: {@code out} has shape {@code outShape}; {@code a} and {@code b} are
   * read with the given strides (0 along broadcast dimensions). {@code out} may alias an input
   * whose strides equal the output's.
   */
  void zip(
      BinaryOp op,
      float[] a,
      int[] aStrides,
      float[] b,
      int[] bStrides,
      float[] out,
      int[] outShape);

  /**
   * Reduces the middle axis of an {@code [outer, len, inner]} view of {@code x} into {@code out
   * [outer, inner]}. {@code len} must be positive.
   */
  void reduce(ReduceOp op, float[] x, int outer, int len, int inner, float[] out);

  // recurrent/convolution kernels

  /**
   * The sequential part of an Elman recurrent layer ({@link RecurrentKernels#elmanForward}): for
   * {@code t = 0..steps−1}, {@code out_t ← act(out_t + h_{t−1}·W_hhᵀ)}, where {@code out_t} is the
   * block {@code out[t·N·H ..]} of {@code [N, H]} and holds the step's input projection on entry,
   * {@code h_{t−1} = out_{t−1}} and {@code h_{−1} = h0} (zeros when null); {@code act} is tanh or
   * ReLU, {@code wHh} is {@code [H, H]}. Modified: {@code out} ({@code steps·N·H}).
   */
  void elmanForwardSteps(
      boolean tanh, int steps, int batch, int hidden, float[] wHh, float[] h0, float[] out);

  /**
   * Its backward pass through time: for {@code t = steps−1..0}, {@code dA_t = (G_t + dh_t) ⊙
   * act'(h_t)} ({@link RecurrentKernels#elmanGate}) and {@code dh_{t−1} = dA_t·W_hh}, from {@code
   * dh_{steps−1} = 0}; then the recurrent weight's gradient {@code ∂W_hh = Σ_t dA_tᵀ·h_{t−1}}.
   * {@code out} holds {@code h_0..h_{T−1}}, {@code h0} the initial state (zeros when null), {@code
   * gOut} the upstream gradients {@code G}. Modified: {@code dA} ({@code steps·N·H}) and, when not
   * null, {@code dh0} ({@code N·H}, the gradient reaching the initial state) and {@code dWhh}
   * ({@code H·H}), each overwritten.
   */
  void elmanBackwardSteps(
      boolean tanh,
      int steps,
      int batch,
      int hidden,
      float[] wHh,
      float[] h0,
      float[] out,
      float[] gOut,
      float[] dA,
      float[] dh0,
      float[] dWhh);

  // dense-step kernels: the optimizer's passes, activation gradients and batch-norm statistics.
  // Arithmetic said to be "in double" widens each float, computes in double and rounds once, so a
  // vectorised kernel that keeps the operation order gives bit-identical results. The defaults are
  // the scalar reference (DenseReference), so a backend overrides only what it accelerates.

  /** True when {@code x[0..n)} holds no NaN and no infinity. */
  default boolean allFinite(float[] x, int n) {
    return DenseReference.allFinite(x, n);
  }

  /**
   * {@code Σ x[i]²} for {@code i < n}, accumulated in double (the reference adds in index order; a
   * vectorised sum may use several partial sums, a difference far below float32 rounding).
   */
  default double sumOfSquares(float[] x, int n) {
    return DenseReference.sumOfSquares(x, n);
  }

  /** {@code x[i] = (float) (factor · x[i])}, the product in double. Modified: {@code x}. */
  default void scaleInPlace(float[] x, int n, double factor) {
    DenseReference.scaleInPlace(x, n, factor);
  }

  /** {@code x[i] = (float) (x[i] + alpha · y[i])}, in double. Modified: {@code x}. */
  default void addScaledInPlace(float[] x, float[] y, int n, double alpha) {
    DenseReference.addScaledInPlace(x, y, n, alpha);
  }

  /**
   * The ReLU gradient {@code out[i] = g[i] · (x[i] > 0 ? 1 : 0)}, a float product (so NaN and
   * infinite {@code g} propagate as PyTorch's do). {@code out} may be {@code g}.
   */
  default void reluBackward(float[] g, float[] x, float[] out, int n) {
    DenseReference.reluBackward(g, x, out, n);
  }

  /**
   * The tanh gradient from its output {@code y = tanh(x)}: {@code out[i] = g[i] · (1 − y[i]·y[i])}
   * in float, in that order. {@code out} may be {@code g}.
   */
  default void tanhBackward(float[] g, float[] y, float[] out, int n) {
    DenseReference.tanhBackward(g, y, out, n);
  }

  /**
   * PyTorch's SGD momentum buffer, in double per element: {@code b = first ? d : (float) (momentum
   * · buf + keep · d)}; {@code buf = b}; {@code d = nesterov ? (float) (d + momentum · b) : b}.
   * Modified: {@code d}, {@code buf}.
   */
  default void momentumUpdate(
      float[] d,
      float[] buf,
      int n,
      double momentum,
      double keep,
      boolean nesterov,
      boolean first) {
    DenseReference.momentumUpdate(d, buf, n, momentum, keep, nesterov, first);
  }

  /**
   * Adam's moments and direction (Kingma and Ba 2015), in double per element: {@code m = (float)
   * (b1·m + (1−b1)·d)}; {@code v = (float) (b2·v + (1−b2)·d·d)}; {@code d = (float) ((m/bc1) /
   * (√v/bc2Sqrt + eps))} with the stored (rounded) m and v. Modified: {@code d}, {@code m}, {@code
   * v}.
   */
  default void adamUpdate(
      float[] d,
      float[] m,
      float[] v,
      int n,
      double b1,
      double b2,
      double bc1,
      double bc2Sqrt,
      double eps) {
    DenseReference.adamUpdate(d, m, v, n, b1, b2, bc1, bc2Sqrt, eps);
  }

  /**
   * Per-column mean and biased variance of {@code x [rows, cols]}: {@code mean[j] = Σᵢ x[i,j] /
   * rows}, {@code variance[j] = Σᵢ (x[i,j] − mean[j])² / rows}, each sum in double in the order
   * {@code i = 0..rows−1} (two passes). Modified: {@code mean}, {@code variance}.
   */
  default void columnMeanVariance(float[] x, int rows, int cols, double[] mean, double[] variance) {
    DenseReference.columnMeanVariance(x, rows, cols, mean, variance);
  }

  /**
   * {@code y[i,j] = (float) ((x[i,j] − center[j]) · scale[j] + shift[j])}, in double. Modified:
   * {@code y}.
   */
  default void columnAffine(
      float[] x, int rows, int cols, double[] center, double[] scale, double[] shift, float[] y) {
    DenseReference.columnAffine(x, rows, cols, center, scale, shift, y);
  }

  /**
   * The per-column sums of a batch-norm backward: {@code sumG[j] = Σᵢ g[i,j]} and {@code sumGx[j] =
   * Σᵢ g[i,j]·(x[i,j] − center[j])·scale[j]}, in double in the order {@code i = 0..rows−1}.
   * Modified: {@code sumG}, {@code sumGx}.
   */
  default void columnGradSums(
      float[] g,
      float[] x,
      int rows,
      int cols,
      double[] center,
      double[] scale,
      double[] sumG,
      double[] sumGx) {
    DenseReference.columnGradSums(g, x, rows, cols, center, scale, sumG, sumGx);
  }

  /**
   * The batch-norm input gradient {@code gx[i,j] = (float) (outScale[j]·(g[i,j] − meanG[j] −
   * (x[i,j] − center[j])·scale[j]·meanGx[j]))}, in double, in that order. Modified: {@code gx}.
   */
  default void batchNormInputGrad(
      float[] g,
      float[] x,
      int rows,
      int cols,
      double[] center,
      double[] scale,
      double[] outScale,
      double[] meanG,
      double[] meanGx,
      float[] gx) {
    DenseReference.batchNormInputGrad(g, x, rows, cols, center, scale, outScale, meanG, meanGx, gx);
  }

  // measured passes: statistics for the gradient-health monitor taken in passes a training step
  // makes anyway (copying the gradients, applying the updates), so the arrays are read once

  /**
   * Copies {@code src} into {@code dst} and measures it in the same pass: {@code out[0] = Σ
   * src[i]²} (the reference adds in double in index order; a vectorised sum may add blocks of float
   * lanes, within 2⁻¹⁹ relative — a health statistic, not an input to arithmetic), {@code out[1] =
   * min src[i]} and {@code out[2] = max src[i]} as {@link Math#min(float, float)} / {@link
   * Math#max(float, float)} fold them (NaN when an entry is NaN, {@code −0 < +0}; {@code +∞} and
   * {@code −∞} when {@code n == 0}). Modified: {@code dst}, {@code out}. Not modified: {@code src}.
   */
  default void copyMeasured(float[] src, float[] dst, int n, double[] out) {
    DenseReference.copyMeasured(src, dst, n, out);
  }

  /**
   * {@code x[i] = x[i] + y[i]} (the float addition of {@code Tensor.addInPlace}) and, in the same
   * pass, {@code out[0] = Σ x[i]²}, {@code out[1] = Σ |x[i]|} of {@code x} before the addition,
   * {@code out[2] = Σ y[i]²}, {@code out[3] = Σ |y[i]|} (in double in the reference; within 2⁻¹⁹
   * relative of that elsewhere, as in {@link #copyMeasured}). Modified: {@code x}, {@code out}. Not
   * modified: {@code y}.
   */
  default void addInPlaceMeasured(float[] x, float[] y, int n, double[] out) {
    DenseReference.addInPlaceMeasured(x, y, n, out);
  }

  // packed operands: a matrix multiplied many times (a recurrent weight at every time step) is
  // prepared once in the layout the backend's kernel reads

  /**
   * {@code op(B)}, {@code k×n} ({@code b} stored {@code k×n} from {@code bOff}, or {@code n×k} when
   * {@code transB}), prepared for {@link #addPackedProduct}; a copy, so later changes to {@code b}
   * do not reach it. Not modified: {@code b}.
   */
  default PackedOperand packOperand(float[] b, int bOff, int k, int n, boolean transB) {
    return PackedOperand.RowMajor.of(b, bOff, k, n, transB);
  }

  /**
   * {@code C += A·op(B)} for {@code A} ({@code m×k} row-major from {@code aOff}) and {@code op(B)}
   * prepared by this backend's {@link #packOperand} ({@code k×n}); {@code C} is {@code m×n}
   * row-major from {@code cOff}. Sums as {@link #gemm} does (within its tolerance). Modified:
   * {@code c}.
   */
  default void addPackedProduct(int m, float[] a, int aOff, PackedOperand b, float[] c, int cOff) {
    PackedOperand.RowMajor rm = (PackedOperand.RowMajor) b;
    gemm(false, false, m, rm.columns(), rm.depth(), a, aOff, rm.values(), 0, c, cOff, true);
  }

  // data conversion

  /**
   * {@code dst[dstPos + k] = (src[srcPos + k] & 0xFF) / 255f} for {@code k < n}: 8-bit pixels as
   * float32 in [0, 1], the float division of the IDX reader (so every backend gives the same bits).
   * Modified: {@code dst}. Not modified: {@code src}.
   */
  default void unsignedBytesOver255(byte[] src, int srcPos, float[] dst, int dstPos, int n) {
    for (int k = 0; k < n; k++) {
      dst[dstPos + k] = (src[srcPos + k] & 0xFF) / 255f;
    }
  }
}
