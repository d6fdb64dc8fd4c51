package org.gradguard.tensor;

/**
 * Whole-sequence kernels of one LSTM layer (Hochreiter and Schmidhuber 1997, forget gate of Gers et
 * al. 2000), in PyTorch's gate order i, f, g, o: the input projection of all steps and the weight
 * gradients of all steps are single products on the given {@link Backend}; only the recurrence —
 * one {@code [N, H] × [H, 4H]} product per step and the cell update — is sequential.
 *
 * <p>Layout, for T steps, batch N, input size I and hidden size H: {@code x [T·N, I]}, {@code h0},
 * {@code c0} {@code [N, H]} (or null for zeros), {@code wIh [4H, I]}, {@code wHh [4H, H]}; saved
 * for the backward pass: {@code out [T·N, H]} ({@code h_1..h_T}), {@code cells [T·N, H]} ({@code
 * c_1..c_T}) and {@code gates [T·N, 4H]} (the activated {@code i, f, g, o}).
 */
public final class LstmKernels {
  private LstmKernels() {}

  /**
   * The forward pass over all steps:
   *
   * <pre>
   * z = x_t·W_ihᵀ + b + h_{t−1}·W_hhᵀ;  i, f, o = σ(z_i, z_f, z_o);  g = tanh(z_g)
   * c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
   * </pre>
   *
   * with {@code b = b_ih + b_hh} ({@code 4H}, or null). Modified: {@code out}, {@code cells},
   * {@code gates} (overwritten); no input is modified.
   */
  public static void forward(
      Backend be,
      int steps,
      int batch,
      int inputSize,
      int hidden,
      float[] x,
      float[] h0,
      float[] c0,
      float[] wIh,
      float[] wHh,
      float[] bias,
      float[] out,
      float[] cells,
      float[] gates) {
    int g4 = 4 * hidden;
    int rows = steps * batch;
    be.gemm(false, true, rows, g4, inputSize, x, 0, wIh, 0, gates, 0, false);
    if (bias != null) {
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < g4; j++) {
          gates[r * g4 + j] += bias[j];
        }
      }
    }
    int nh = batch * hidden;
    int step = batch * g4;
    // W_hhᵀ, multiplied at every step, packed once for the backend's kernel
    PackedOperand whhT = be.packOperand(wHh, 0, hidden, g4, true);
    // the activations go through the backend's map, which vectorises them (element by element,
    // Math.tanh and Math.exp took most of the layer's time, about ten times an Elman RNN's): the
    // sigmoid over the step's whole block (three of its four gates), the tanh over the g gate's
    // columns gathered
    float[] z = new float[step];
    float[] sig = new float[step];
    float[] gz = new float[nh];
    float[] g = new float[nh];
    float[] c = new float[nh];
    float[] tc = new float[nh];
    for (int t = 0; t < steps; t++) {
      int zAt = t * step;
      float[] hPrev = t > 0 ? out : h0;
      if (hPrev != null) {
        int hAt = t > 0 ? (t - 1) * nh : 0;
        be.addPackedProduct(batch, hPrev, hAt, whhT, gates, zAt);
      }
      System.arraycopy(gates, zAt, z, 0, step);
      be.map(UnaryOp.SIGMOID, z, sig, step);
      for (int n = 0; n < batch; n++) {
        System.arraycopy(z, n * g4 + 2 * hidden, gz, n * hidden, hidden);
      }
      be.map(UnaryOp.TANH, gz, g, nh);
      float[] cPrev = t > 0 ? cells : c0;
      int cPrevAt = t > 0 ? (t - 1) * nh : 0;
      for (int n = 0; n < batch; n++) {
        int r = n * g4;
        for (int j = 0; j < hidden; j++) {
          float ig = sig[r + j];
          float fg = sig[r + hidden + j];
          float gg = g[n * hidden + j];
          gates[zAt + r + j] = ig;
          gates[zAt + r + hidden + j] = fg;
          gates[zAt + r + 2 * hidden + j] = gg;
          gates[zAt + r + 3 * hidden + j] = sig[r + 3 * hidden + j];
          float cp = cPrev == null ? 0f : cPrev[cPrevAt + n * hidden + j];
          c[n * hidden + j] = fg * cp + ig * gg;
        }
      }
      System.arraycopy(c, 0, cells, t * nh, nh);
      be.map(UnaryOp.TANH, c, tc, nh);
      for (int n = 0; n < batch; n++) {
        int o = zAt + n * g4 + 3 * hidden;
        int s = t * nh + n * hidden;
        for (int j = 0; j < hidden; j++) {
          out[s + j] = gates[o + j] * tc[n * hidden + j];
        }
      }
    }
  }

  /**
   * The gradients by backpropagation through time. Per step, from the last, with {@code dh = G_t +
   * dh_next} and {@code dc = dc_next} (plus {@code gCell} at the last step):
   *
   * <pre>
   * dc += dh ⊙ o ⊙ (1 − tanh²c_t)
   * dz_i = dc ⊙ g ⊙ i(1−i);  dz_f = dc ⊙ c_{t−1} ⊙ f(1−f);  dz_g = dc ⊙ i ⊙ (1−g²)
   * dz_o = dh ⊙ tanh c_t ⊙ o(1−o);  dc_next = dc ⊙ f;  dh_next = dZ_t·W_hh
   * </pre>
   *
   * then over all steps at once {@code ∂W_hh = Σ_t dZ_tᵀ·h_{t−1}} and the input side {@code ∂W_ih =
   * dZᵀ·X}, {@code ∂b = Σ dZ}, {@code ∂X = dZ·W_ih} ({@link RecurrentKernels#inputSideGradients}).
   *
   * <p>Modified: the non-null result arrays ({@code dx [T·N·I]}, {@code dh0}, {@code dc0} {@code
   * [N·H]}, {@code dWih [4H·I]}, {@code dWhh [4H·H]}, {@code dBias [4H]}), each overwritten. Not
   * modified: everything else; {@code gOut [T·N·H]} and {@code gCell [N·H]} (or null) are the
   * upstream gradients of the outputs and of {@code c_T}.
   */
  public static void backward(
      Backend be,
      int steps,
      int batch,
      int inputSize,
      int hidden,
      float[] x,
      float[] h0,
      float[] c0,
      float[] wIh,
      float[] wHh,
      float[] out,
      float[] cells,
      float[] gates,
      float[] gOut,
      float[] gCell,
      float[] dx,
      float[] dh0,
      float[] dc0,
      float[] dWih,
      float[] dWhh,
      float[] dBias) {
    int g4 = 4 * hidden;
    int rows = steps * batch;
    int nh = batch * hidden;
    float[] dZ = new float[rows * g4];
    float[] dh = new float[nh];
    float[] dc = gCell == null ? new float[nh] : gCell.clone();
    PackedOperand whh = be.packOperand(wHh, 0, g4, hidden, false);
    float[] tanhCells = new float[rows * hidden];
    be.map(UnaryOp.TANH, cells, tanhCells, rows * hidden); // as the forward pass computed them
    for (int t = steps - 1; t >= 0; t--) {
      float[] cPrev = t > 0 ? cells : c0;
      int cPrevAt = t > 0 ? (t - 1) * nh : 0;
      for (int n = 0; n < batch; n++) {
        int z = t * batch * g4 + n * g4;
        int s = t * nh + n * hidden;
        for (int j = 0; j < hidden; j++) {
          int e = n * hidden + j;
          float ig = gates[z + j];
          float fg = gates[z + hidden + j];
          float gg = gates[z + 2 * hidden + j];
          float og = gates[z + 3 * hidden + j];
          float tc = tanhCells[s + j];
          float dhv = gOut[s + j] + dh[e];
          float dcv = dc[e] + dhv * og * (1f - tc * tc);
          float cp = cPrev == null ? 0f : cPrev[cPrevAt + e];
          dZ[z + j] = dcv * gg * ig * (1f - ig);
          dZ[z + hidden + j] = dcv * cp * fg * (1f - fg);
          dZ[z + 2 * hidden + j] = dcv * ig * (1f - gg * gg);
          dZ[z + 3 * hidden + j] = dhv * tc * og * (1f - og);
          dc[e] = dcv * fg;
        }
      }
      if (t > 0 || dh0 != null) {
        java.util.Arrays.fill(dh, 0f);
        be.addPackedProduct(batch, dZ, t * batch * g4, whh, dh, 0);
      }
    }
    if (dh0 != null) {
      System.arraycopy(dh, 0, dh0, 0, nh);
    }
    if (dc0 != null) {
      System.arraycopy(dc, 0, dc0, 0, nh);
    }
    if (dWhh != null) {
      RecurrentKernels.recurrentWeightGradient(be, dZ, steps, batch, g4, hidden, out, h0, dWhh);
    }
    RecurrentKernels.inputSideGradients(be, dZ, rows, g4, x, inputSize, wIh, dx, dWih, dBias);
  }
}
