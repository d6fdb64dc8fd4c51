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
}
