package org.gradguard.nn.init;

import org.gradguard.tensor.Rng;

/**
 * The (semi-)orthogonal matrix of PyTorch's {@code orthogonal_}, computed in double: a {@code rows
 * × cols} matrix of standard normal draws (row-major, one {@code nextGaussian} per element),
 * transposed when wide so that it is tall, factored {@code A = QR} by Householder reflections, and
 * {@code Q}'s columns multiplied by {@code sign(diag R)}. The sign correction makes the
 * factorisation unique (R with a positive diagonal), so the result is Haar-distributed (Mezzadri
 * 2007) and does not depend on the reflection convention of the QR routine.
 */
final class Orthogonal {
  private Orthogonal() {}

  /** A {@code rows × cols} row-major matrix with orthonormal rows or columns, whichever fewer. */
  static double[] draw(int rows, int cols, Rng rng) {
    double[] flat = new double[rows * cols];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = rng.nextGaussian();
    }
    boolean wide = rows < cols;
    int m = wide ? cols : rows;
    int n = wide ? rows : cols;
    double[] a = wide ? transpose(flat, rows, cols) : flat;
    double[] q = orthonormalFactor(a, m, n);
    return wide ? transpose(q, m, n) : q;
  }

  private static double[] transpose(double[] x, int r, int c) {
    double[] t = new double[x.length];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        t[j * r + i] = x[i * c + j];
      }
    }
    return t;
  }

  /**
   * The {@code m × n} factor Q of {@code A = QR} ({@code m ≥ n}) with {@code diag R > 0}. Modified:
   * {@code a} (overwritten by the reflectors).
   */
  static double[] orthonormalFactor(double[] a, int m, int n) {
    double[] tau = new double[n];
    double[] diag = new double[n];
    for (int k = 0; k < n; k++) {
      double norm2 = 0;
      for (int i = k; i < m; i++) {
        norm2 += a[i * n + k] * a[i * n + k];
      }
      double alpha = a[k * n + k];
      double norm = Math.sqrt(norm2);
      if (norm == 0) {
        diag[k] = 0;
        continue;
      }
      double beta = alpha >= 0 ? -norm : norm;
      // H = I − τ v vᵀ with v = (1, a[k+1:, k] / (α − β)) maps a[k:, k] to (β, 0, …, 0).
      double scale = 1.0 / (alpha - beta);
      for (int i = k + 1; i < m; i++) {
        a[i * n + k] *= scale;
      }
      tau[k] = (beta - alpha) / beta;
      diag[k] = beta;
      for (int j = k + 1; j < n; j++) {
        double s = a[k * n + j];
        for (int i = k + 1; i < m; i++) {
          s += a[i * n + k] * a[i * n + j];
        }
        s *= tau[k];
        a[k * n + j] -= s;
        for (int i = k + 1; i < m; i++) {
          a[i * n + j] -= s * a[i * n + k];
        }
      }
    }
    // Q = H₀ H₁ … H_{n−1} applied to the first n columns of the identity, innermost first.
    double[] q = new double[m * n];
    for (int j = 0; j < n; j++) {
      q[j * n + j] = 1;
    }
    for (int k = n - 1; k >= 0; k--) {
      if (tau[k] == 0) {
        continue;
      }
      for (int j = k; j < n; j++) {
        double s = q[k * n + j];
        for (int i = k + 1; i < m; i++) {
          s += a[i * n + k] * q[i * n + j];
        }
        s *= tau[k];
        q[k * n + j] -= s;
        for (int i = k + 1; i < m; i++) {
          q[i * n + j] -= s * a[i * n + k];
        }
      }
    }
    for (int j = 0; j < n; j++) {
      if (diag[j] < 0) {
        for (int i = 0; i < m; i++) {
          q[i * n + j] = -q[i * n + j];
        }
      }
    }
    return q;
  }
}
