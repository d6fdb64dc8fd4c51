package org.gradguard.nn;

import org.gradguard.tensor.Tensor;

/**
 * Straight-loop double-precision RNN and LSTM recurrences, written from PyTorch's documented
 * equations independently of the layers, to test them against.
 */
final class NaiveRecurrence {
  private NaiveRecurrence() {}

  /**
   * Reads the parameters of layer {@code l} of a module with PyTorch's names (bias may be null).
   */
  static Tensor[] layer(Module m, int l) {
    var p = m.namedParameters();
    Tensor bih = p.containsKey("bias_ih_l" + l) ? p.get("bias_ih_l" + l).value() : null;
    Tensor bhh = p.containsKey("bias_hh_l" + l) ? p.get("bias_hh_l" + l).value() : null;
    return new Tensor[] {
      p.get("weight_ih_l" + l).value(), p.get("weight_hh_l" + l).value(), bih, bhh
    };
  }

  /** {@code z[r] = Σ_i W_ih[r,i]·x[i] + b_ih[r] + Σ_k W_hh[r,k]·h[k] + b_hh[r]}. */
  private static double[] preactivation(Tensor[] w, double[] x, double[] h) {
    int rows = w[0].size(0);
    double[] z = new double[rows];
    for (int r = 0; r < rows; r++) {
      double s = (w[2] == null ? 0 : w[2].get(r)) + (w[3] == null ? 0 : w[3].get(r));
      for (int i = 0; i < x.length; i++) {
        s += w[0].get(r, i) * x[i];
      }
      for (int k = 0; k < h.length; k++) {
        s += w[1].get(r, k) * h[k];
      }
      z[r] = s;
    }
    return z;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  private static double[] row(Tensor t, int a, int b) {
    double[] r = new double[t.size(2)];
    for (int i = 0; i < r.length; i++) {
      r[i] = t.get(a, b, i);
    }
    return r;
  }

  /**
   * Runs the module's recurrence; returns {@code {out [T·N·H], hN [L·N·H], cN [L·N·H]}} flattened
   * row-major ({@code cN} is null for an RNN). {@code h0}/{@code c0} may be null (zeros).
   */
  static double[][] run(
      Module m, int layers, boolean lstm, boolean relu, Tensor x, Tensor h0, Tensor c0) {
    int t = x.size(0);
    int n = x.size(1);
    double[][][] seq = new double[t][n][];
    for (int s = 0; s < t; s++) {
      for (int b = 0; b < n; b++) {
        seq[s][b] = row(x, s, b);
      }
    }
    int hidden = layer(m, 0)[1].size(1);
    double[] hN = new double[layers * n * hidden];
    double[] cN = new double[layers * n * hidden];
    for (int l = 0; l < layers; l++) {
      Tensor[] w = layer(m, l);
      for (int b = 0; b < n; b++) {
        double[] h = h0 == null ? new double[hidden] : row(h0, l, b);
        double[] c = c0 == null ? new double[hidden] : row(c0, l, b);
        for (int s = 0; s < t; s++) {
          double[] z = preactivation(w, seq[s][b], h);
          double[] next = new double[hidden];
          for (int j = 0; j < hidden; j++) {
            if (lstm) {
              double i = sigmoid(z[j]);
              double f = sigmoid(z[hidden + j]);
              double g = Math.tanh(z[2 * hidden + j]);
              double o = sigmoid(z[3 * hidden + j]);
              c[j] = f * c[j] + i * g;
              next[j] = o * Math.tanh(c[j]);
            } else {
              next[j] = relu ? Math.max(0, z[j]) : Math.tanh(z[j]);
            }
          }
          h = next;
          seq[s][b] = h;
        }
        System.arraycopy(h, 0, hN, (l * n + b) * hidden, hidden);
        System.arraycopy(c, 0, cN, (l * n + b) * hidden, hidden);
      }
    }
    double[] out = new double[t * n * hidden];
    for (int s = 0; s < t; s++) {
      for (int b = 0; b < n; b++) {
        System.arraycopy(seq[s][b], 0, out, (s * n + b) * hidden, hidden);
      }
    }
    return new double[][] {out, hN, lstm ? cN : null};
  }
}
