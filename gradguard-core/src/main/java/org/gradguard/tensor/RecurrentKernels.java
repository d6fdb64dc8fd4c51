package org.gradguard.tensor;

/**
 * Whole-sequence kernels of one Elman recurrent layer (the cuDNN/PyTorch way of running a recurrent
 * net): the input projection of all T steps and the weight gradients of all T steps are single
 * matrix products, and only the recurrence itself — one {@code [N, H] × [H, H]} product per step —
 * is sequential. All products run on the given {@link Backend}.
 *
 * <p>Layout, for T steps, batch N, input size I and hidden size H: {@code x [T·N, I]}, {@code h0
 * [N, H]} (or null for zeros), {@code wIh [H, I]}, {@code wHh [H, H]}, output {@code out [T·N, H]}
 * holding {@code h_1..h_T}. The layer computes {@code h_t = act(x_t·W_ihᵀ + b + h_{t−1}·W_hhᵀ)}
 * with {@code b = b_ih + b_hh} and {@code act} tanh or ReLU.
 */
public final class RecurrentKernels {
  private RecurrentKernels() {}

  /**
   * The forward pass over all steps. Modified: {@code out} ({@code T·N·H}, overwritten); no input
   * is modified.
   *
   * @param bias {@code b_ih + b_hh} ({@code H}), or null for none
   */
  public static void elmanForward(
      Backend be,
      boolean tanh,
      int steps,
      int batch,
      int inputSize,
      int hidden,
      float[] x,
      float[] h0,
      float[] wIh,
      float[] wHh,
      float[] bias,
      float[] out) {
    int rows = steps * batch;
    int nh = batch * hidden;
    // the input projection of every step at once: out = X·W_ihᵀ (+ b)
    be.gemm(false, true, rows, hidden, inputSize, x, 0, wIh, 0, out, 0, false);
    if (bias != null) {
      for (int r = 0; r < rows; r++) {
        int o = r * hidden;
        for (int j = 0; j < hidden; j++) {
          out[o + j] += bias[j];
        }
      }
    }
    be.elmanForwardSteps(tanh, steps, batch, hidden, wHh, h0, out);
  }

  /**
   * The gradients of a layer run by {@link #elmanForward}, by backpropagation through time.
   *
   * <p>Per step, from the last: {@code dA_t = (G_t + dh_t) ⊙ act'(h_t)}, {@code dh_{t−1} = dA_t·
   * W_hh}. Then, over all steps at once: {@code ∂W_hh = Σ_t dA_tᵀ·h_{t−1}}, {@code ∂W_ih = dAᵀ·X},
   * {@code ∂b = Σ dA} ({@link #columnProducts}, which also gives {@code ∂W_ih} for a narrow input),
   * {@code ∂X = dA·W_ih}. The activation's derivative is taken from the outputs: {@code 1 − h²} for
   * tanh, {@code [h > 0]} for ReLU.
   *
   * <p>Modified: the non-null result arrays ({@code dx [T·N·I]}, {@code dh0 [N·H]}, {@code dWih
   * [H·I]}, {@code dWhh [H·H]}, {@code dBias [H]}), each overwritten; a null one is not computed.
   * Not modified: the inputs, {@code out} and {@code gOut [T·N·H]}.
   */
  public static void elmanBackward(
      Backend be,
      boolean tanh,
      int steps,
      int batch,
      int inputSize,
      int hidden,
      float[] x,
      float[] h0,
      float[] wIh,
      float[] wHh,
      float[] out,
      float[] gOut,
      float[] dx,
      float[] dh0,
      float[] dWih,
      float[] dWhh,
      float[] dBias) {
    int rows = steps * batch;
    int nh = batch * hidden;
    float[] dA = new float[rows * hidden];
    be.elmanBackwardSteps(tanh, steps, batch, hidden, wHh, h0, out, gOut, dA, dh0, dWhh);
    inputSideGradients(be, dA, rows, hidden, x, inputSize, wIh, dx, dWih, dBias);
  }

  /**
   * The input side of a recurrent layer's gradients over all steps at once, from the gradients
   * {@code dA [rows, G]} of the pre-activations {@code x_t·W_ihᵀ + b_ih} (G = gates × hidden):
   * {@code ∂W_ih = dAᵀ·X} ({@code [G, I]}), {@code ∂b_ih = Σ_r dA} ({@code [G]}) and {@code ∂X =
   * dA·W_ih} ({@code [rows, I]}). For a narrow input the weight gradient comes from {@link
   * #columnProducts}, with the bias's, instead of a GEMM. Modified: the non-null results, each
   * overwritten; a null one is not computed.
   */
  public static void inputSideGradients(
      Backend be,
      float[] dA,
      int rows,
      int width,
      float[] x,
      int inputSize,
      float[] wIh,
      float[] dx,
      float[] dWih,
      float[] dBias) {
    boolean narrow = inputSize <= NARROW_INPUT;
    if (dWih != null && !narrow) {
      be.gemm(true, false, width, inputSize, rows, dA, 0, x, 0, dWih, 0, false);
    }
    if (dBias != null || (dWih != null && narrow)) {
      columnProducts(dA, x, rows, inputSize, width, narrow ? dWih : null, dBias);
    }
    if (dx != null) {
      be.gemm(false, false, rows, inputSize, width, dA, 0, wIh, 0, dx, 0, false);
    }
  }

  /**
   * The recurrent weight's gradient over all steps at once, {@code ∂W_hh = Σ_t dP_tᵀ·h_{t−1}}, for
   * the gradients {@code dP [T·N, G]} of the pre-activations it feeds (G = gates × hidden): steps
   * 2..T pair with {@code out} ({@code h_1..h_{T−1}}), step 1 with {@code h0} (nothing when null).
   * Modified: {@code dWhh [G·H]}, overwritten.
   */
  public static void recurrentWeightGradient(
      Backend be,
      float[] dP,
      int steps,
      int batch,
      int width,
      int hidden,
      float[] out,
      float[] h0,
      float[] dWhh) {
    int later = (steps - 1) * batch;
    be.gemm(true, false, width, hidden, later, dP, batch * width, out, 0, dWhh, 0, false);
    if (h0 != null) {
      be.gemm(true, false, width, hidden, batch, dP, 0, h0, 0, dWhh, 0, true);
    }
  }

  /** Input sizes up to this get their weight gradient from {@link #columnProducts}, not a GEMM. */
  static final int NARROW_INPUT = 8;

  /** Rows summed in float before the partial sums are added in double. */
  private static final int BLOCK_ROWS = 32;

  /**
   * One pass over {@code dA [rows, H]}: {@code dBias[j] = Σ_r dA[r, j]} and, when {@code dWih} is
   * not null, {@code dWih[j, c] = Σ_r dA[r, j]·x[r, c]} for {@code x [rows, I]} — the bias gradient
   * and, for a narrow input (a GEMM with two columns wastes most of its tile), the input weight's.
   * Blocks of {@link #BLOCK_ROWS} rows are summed in float (loops the JIT vectorises) and the
   * blocks in double. Modified: {@code dWih [H·I]}, {@code dBias [H]} (overwritten, either may be
   * null).
   */
  static void columnProducts(
      float[] dA, float[] x, int rows, int inputSize, int hidden, float[] dWih, float[] dBias) {
    int cols = dWih == null ? 0 : inputSize;
    double[] acc = new double[(cols + 1) * hidden];
    float[] part = new float[(cols + 1) * hidden];
    for (int r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
      java.util.Arrays.fill(part, 0f);
      int r1 = Math.min(rows, r0 + BLOCK_ROWS);
      for (int r = r0; r < r1; r++) {
        int row = r * hidden;
        for (int j = 0; j < hidden; j++) {
          part[j] += dA[row + j];
        }
        for (int c = 0; c < cols; c++) {
          float xv = x[r * inputSize + c];
          int at = (c + 1) * hidden;
          for (int j = 0; j < hidden; j++) {
            part[at + j] += xv * dA[row + j];
          }
        }
      }
      for (int i = 0; i < part.length; i++) {
        acc[i] += part[i];
      }
    }
    if (dBias != null) {
      for (int j = 0; j < hidden; j++) {
        dBias[j] = (float) acc[j];
      }
    }
    for (int c = 0; c < cols; c++) {
      for (int j = 0; j < hidden; j++) {
        dWih[j * inputSize + c] = (float) acc[(c + 1) * hidden + j];
      }
    }
  }

  /**
   * The reference {@link Backend#elmanForwardSteps}: each step's product by {@link Backend#gemm} on
   * {@code be} (with {@code W_hhᵀ} transposed once) and the activation by {@link Backend#map}.
   */
  public static void referenceForwardSteps(
      Backend be,
      boolean tanh,
      int steps,
      int batch,
      int hidden,
      float[] wHh,
      float[] h0,
      float[] out) {
    int nh = batch * hidden;
    float[] wHhT = transpose(wHh, hidden, hidden);
    float[] pre = new float[nh];
    UnaryOp act = tanh ? UnaryOp.TANH : UnaryOp.RELU;
    for (int t = 0; t < steps; t++) {
      int at = t * nh;
      System.arraycopy(out, at, pre, 0, nh);
      if (t > 0) {
        be.gemm(false, false, batch, hidden, hidden, out, at - nh, wHhT, 0, pre, 0, true);
      } else if (h0 != null) {
        be.gemm(false, false, batch, hidden, hidden, h0, 0, wHhT, 0, pre, 0, true);
      }
      be.map(act, pre, pre, nh);
      System.arraycopy(pre, 0, out, at, nh);
    }
  }

  /**
   * The reference {@link Backend#elmanBackwardSteps}: {@link #elmanGate} and one {@link
   * Backend#gemm} on {@code be} per step, then the weight gradient as one product over all steps.
   */
  public static void referenceBackwardSteps(
      Backend be,
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
      float[] dWhh) {
    int nh = batch * hidden;
    float[] dh = new float[nh];
    for (int t = steps - 1; t >= 0; t--) {
      int at = t * nh;
      elmanGate(tanh, out, gOut, dh, dA, at, nh);
      if (t > 0 || dh0 != null) {
        be.gemm(false, false, batch, hidden, hidden, dA, at, wHh, 0, dh, 0, false);
      }
    }
    if (dh0 != null) {
      System.arraycopy(dh, 0, dh0, 0, nh);
    }
    if (dWhh != null) {
      // steps 2..T read h_1..h_{T−1} = out[0 .. (T−1)·N); step 1 reads h0
      int k = (steps - 1) * batch;
      be.gemm(true, false, hidden, hidden, k, dA, nh, out, 0, dWhh, 0, false);
      if (h0 != null) {
        be.gemm(true, false, hidden, hidden, batch, dA, 0, h0, 0, dWhh, 0, true);
      }
    }
  }

  /**
   * One step's gradient at the pre-activation: {@code dA[at + i] = (gOut[at + i] + dh[i]) · act'},
   * with {@code act' = 1 − h²} for tanh and {@code [h > 0]} for ReLU, {@code h = out[at + i]}, for
   * {@code i < n}. Modified: {@code dA}.
   */
  public static void elmanGate(
      boolean tanh, float[] out, float[] gOut, float[] dh, float[] dA, int at, int n) {
    if (tanh) {
      for (int i = 0; i < n; i++) {
        float h = out[at + i];
        dA[at + i] = (gOut[at + i] + dh[i]) * (1f - h * h);
      }
    } else {
      for (int i = 0; i < n; i++) {
        dA[at + i] = out[at + i] > 0f ? gOut[at + i] + dh[i] : 0f;
      }
    }
  }

  /** {@code a [rows, cols]} transposed into a new {@code [cols, rows]} array. */
  static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }
}
