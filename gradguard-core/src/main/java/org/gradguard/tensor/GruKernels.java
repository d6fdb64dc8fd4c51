package org.gradguard.tensor;

/**
 * Whole-sequence kernels of one GRU layer (Cho et al. 2014) as PyTorch computes it, gate order r,
 * z, n: the input projection of all steps and the weight gradients of all steps are single products
 * on the given {@link Backend}; only the recurrence — one {@code [N, H] × [H, 3H]} product per step
 * and the gate update — is sequential.
 *
 * <p>Layout, for T steps, batch N, input size I and hidden size H: {@code x [T·N, I]}, {@code h0
 * [N, H]} (or null for zeros), {@code wIh [3H, I]}, {@code wHh [3H, H]}, {@code bIh}, {@code bHh}
 * {@code [3H]} (or null); saved for the backward pass: {@code out [T·N, H]} ({@code h_1..h_T}) and
 * {@code saved [T·N, 4H]}, per row the activated {@code r}, {@code z}, {@code n} and the hidden
 * part of the new gate's pre-activation {@code b_n = h_{t−1}·W_hnᵀ + b_hn}.
 */
public final class GruKernels {
  private GruKernels() {}

  /**
   * The forward pass over all steps:
   *
   * <pre>
   * a = x_t·W_ihᵀ + b_ih;  b = h_{t−1}·W_hhᵀ + b_hh
   * r = σ(a_r + b_r);  z = σ(a_z + b_z);  n = tanh(a_n + r ⊙ b_n);  h_t = (h_{t−1} − n) ⊙ z + n
   * </pre>
   *
   * Modified: {@code out}, {@code saved} (overwritten); no input is modified.
   */
  public static void forward(
      Backend be,
      int steps,
      int batch,
      int inputSize,
      int hidden,
      float[] x,
      float[] h0,
      float[] wIh,
      float[] wHh,
      float[] bIh,
      float[] bHh,
      float[] out,
      float[] saved) {
    int g3 = 3 * hidden;
    int rows = steps * batch;
    int nh = batch * hidden;
    float[] a = new float[rows * g3];
    be.gemm(false, true, rows, g3, inputSize, x, 0, wIh, 0, a, 0, false);
    if (bIh != null) {
      addRows(a, rows, bIh);
    }
    // W_hhᵀ, multiplied at every step, packed once for the backend's kernel
    PackedOperand whhT = be.packOperand(wHh, 0, hidden, g3, true);
    float[] b = new float[batch * g3];
    float[] rz = new float[2 * nh];
    float[] rzAct = new float[2 * nh];
    float[] pn = new float[nh];
    float[] n = new float[nh];
    for (int t = 0; t < steps; t++) {
      float[] hPrev = t > 0 ? out : h0;
      int hAt = t > 0 ? (t - 1) * nh : 0;
      if (bHh != null) {
        fillRows(b, batch, bHh);
      } else {
        java.util.Arrays.fill(b, 0f);
      }
      if (hPrev != null) {
        be.addPackedProduct(batch, hPrev, hAt, whhT, b, 0);
      }
      int aAt = t * batch * g3;
      // the activations through the backend's map, which vectorises them: r and z of every row
      // side by side, then n
      for (int r = 0; r < batch; r++) {
        int ar = aAt + r * g3;
        int br = r * g3;
        for (int j = 0; j < 2 * hidden; j++) {
          rz[r * 2 * hidden + j] = a[ar + j] + b[br + j];
        }
      }
      be.map(UnaryOp.SIGMOID, rz, rzAct, 2 * nh);
      for (int r = 0; r < batch; r++) {
        int ar = aAt + r * g3 + 2 * hidden;
        int br = r * g3 + 2 * hidden;
        for (int j = 0; j < hidden; j++) {
          pn[r * hidden + j] = a[ar + j] + rzAct[r * 2 * hidden + j] * b[br + j];
        }
      }
      be.map(UnaryOp.TANH, pn, n, nh);
      for (int r = 0; r < batch; r++) {
        int s = t * nh + r * hidden;
        int sv = (t * batch + r) * 4 * hidden;
        for (int j = 0; j < hidden; j++) {
          float rv = rzAct[r * 2 * hidden + j];
          float zv = rzAct[r * 2 * hidden + hidden + j];
          float nv = n[r * hidden + j];
          float hp = hPrev == null ? 0f : hPrev[hAt + r * hidden + j];
          out[s + j] = (hp - nv) * zv + nv;
          saved[sv + j] = rv;
          saved[sv + hidden + j] = zv;
          saved[sv + 2 * hidden + j] = nv;
          saved[sv + 3 * hidden + j] = b[r * g3 + 2 * hidden + j];
        }
      }
    }
  }

  /**
   * The gradients by backpropagation through time. Per step, from the last, with {@code dh = G_t +
   * dh_next}:
   *
   * <pre>
   * dn = dh ⊙ (1 − z) ⊙ (1 − n²);  dz = dh ⊙ (h_{t−1} − n) ⊙ z(1 − z);  dr = dn ⊙ b_n ⊙ r(1 − r)
   * dA_t = [dr, dz, dn];  dB_t = [dr, dz, dn ⊙ r];  dh_next = dh ⊙ z + dB_t·W_hh
   * </pre>
   *
   * then over all steps at once {@code ∂W_hh = Σ_t dB_tᵀ·h_{t−1}}, {@code ∂b_hh = Σ dB} (in double)
   * and the input side {@code ∂W_ih = dAᵀ·X}, {@code ∂b_ih = Σ dA}, {@code ∂X = dA·W_ih} ({@link
   * RecurrentKernels#inputSideGradients}).
   *
   * <p>Modified: the non-null result arrays ({@code dx [T·N·I]}, {@code dh0 [N·H]}, {@code dWih
   * [3H·I]}, {@code dWhh [3H·H]}, {@code dbIh}, {@code dbHh} {@code [3H]}), each overwritten. Not
   * modified: everything else; {@code gOut [T·N·H]} is the upstream gradient of the outputs.
   */
  public static void backward(
      Backend be,
      int steps,
      int batch,
      int inputSize,
      int hidden,
      float[] x,
      float[] h0,
      float[] wIh,
      float[] wHh,
      float[] out,
      float[] saved,
      float[] gOut,
      float[] dx,
      float[] dh0,
      float[] dWih,
      float[] dWhh,
      float[] dbIh,
      float[] dbHh) {
    int g3 = 3 * hidden;
    int rows = steps * batch;
    int nh = batch * hidden;
    PackedOperand whh = be.packOperand(wHh, 0, g3, hidden, false);
    float[] dA = new float[rows * g3];
    float[] dB = new float[rows * g3];
    float[] dh = new float[nh];
    for (int t = steps - 1; t >= 0; t--) {
      float[] hPrev = t > 0 ? out : h0;
      int hAt = t > 0 ? (t - 1) * nh : 0;
      for (int r = 0; r < batch; r++) {
        int s = t * nh + r * hidden;
        int sv = (t * batch + r) * 4 * hidden;
        int row = (t * batch + r) * g3;
        for (int j = 0; j < hidden; j++) {
          int e = r * hidden + j;
          float rv = saved[sv + j];
          float zv = saved[sv + hidden + j];
          float nv = saved[sv + 2 * hidden + j];
          float bn = saved[sv + 3 * hidden + j];
          float hp = hPrev == null ? 0f : hPrev[hAt + e];
          float dhv = gOut[s + j] + dh[e];
          float dn = dhv * (1f - zv) * (1f - nv * nv);
          float dz = dhv * (hp - nv) * zv * (1f - zv);
          float dr = dn * bn * rv * (1f - rv);
          dA[row + j] = dr;
          dA[row + hidden + j] = dz;
          dA[row + 2 * hidden + j] = dn;
          dB[row + j] = dr;
          dB[row + hidden + j] = dz;
          dB[row + 2 * hidden + j] = dn * rv;
          dh[e] = dhv * zv;
        }
      }
      if (t > 0 || dh0 != null) {
        be.addPackedProduct(batch, dB, t * batch * g3, whh, dh, 0);
      }
    }
    if (dh0 != null) {
      System.arraycopy(dh, 0, dh0, 0, nh);
    }
    if (dWhh != null) {
      RecurrentKernels.recurrentWeightGradient(be, dB, steps, batch, g3, hidden, out, h0, dWhh);
    }
    RecurrentKernels.inputSideGradients(be, dA, rows, g3, x, inputSize, wIh, dx, dWih, dbIh);
    if (dbHh != null) {
      be.reduce(ReduceOp.SUM, dB, 1, rows, g3, dbHh);
    }
  }

  /** {@code m[r, :] += v} for each of {@code rows} rows. */
  private static void addRows(float[] m, int rows, float[] v) {
    int w = v.length;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < w; j++) {
        m[r * w + j] += v[j];
      }
    }
  }

  /** {@code m[r, :] = v} for each of {@code rows} rows. */
  private static void fillRows(float[] m, int rows, float[] v) {
    int w = v.length;
    for (int r = 0; r < rows; r++) {
      System.arraycopy(v, 0, m, r * w, w);
    }
  }
}
