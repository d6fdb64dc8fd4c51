package org.gradguard.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OrthogonalTest {
  /** Asserts {@code W Wᵀ = gain² I} (rows) or {@code Wᵀ W = gain² I} (columns), in double. */
  private static void assertOrthonormal(Tensor w, double gain) {
    int rows = w.size(0);
    int cols = w.numel() / rows;
    float[] d = w.data();
    boolean byRows = rows <= cols;
    int k = byRows ? rows : cols;
    int len = byRows ? cols : rows;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double s = 0;
        for (int t = 0; t < len; t++) {
          s +=
              byRows
                  ? (double) d[i * cols + t] * d[j * cols + t]
                  : (double) d[t * cols + i] * d[t * cols + j];
        }
        assertEquals(i == j ? gain * gain : 0.0, s, 1e-5 * gain * gain, "entry " + i + "," + j);
      }
    }
  }

  @Test
  void tallWideSquareAndConvWeightsAreOrthonormal() {
    assertOrthonormal(Init.orthogonal(Tensor.zeros(96, 40), new Rng(1)), 1);
    assertOrthonormal(Init.orthogonal(Tensor.zeros(40, 96), new Rng(2)), 1);
    assertOrthonormal(Init.orthogonal(Tensor.zeros(50, 50), 2.0, new Rng(3)), 2);
    assertOrthonormal(Init.orthogonal(Tensor.zeros(32, 4, 3, 3), new Rng(4)), 1);
    assertOrthonormal(Init.orthogonal(Tensor.zeros(64, 2, 3), 0.5, new Rng(5)), 0.5);
    assertOrthonormal(Init.orthogonal(Tensor.zeros(1, 7), new Rng(6)), 1);
  }

  /**
   * With PyTorch's sign correction, Q is the Gram–Schmidt orthonormalisation of the Gaussian
   * matrix's columns (the unique QR with diag R &gt; 0): rebuild it independently and compare.
   */
  @Test
  void matchesGramSchmidtOfTheSameDraws() {
    checkAgainstGramSchmidt(7, 4, 11);
    checkAgainstGramSchmidt(3, 8, 12);
    checkAgainstGramSchmidt(5, 5, 13);
  }

  private static void checkAgainstGramSchmidt(int rows, int cols, long seed) {
    Rng r = new Rng(seed);
    double[] flat = new double[rows * cols];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = r.nextGaussian();
    }
    boolean wide = rows < cols;
    int m = wide ? cols : rows;
    int n = wide ? rows : cols;
    double[][] col = new double[n][m];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        if (wide) {
          col[i][j] = flat[i * cols + j];
        } else {
          col[j][i] = flat[i * cols + j];
        }
      }
    }
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < j; p++) {
        double dot = 0;
        for (int i = 0; i < m; i++) {
          dot += col[p][i] * col[j][i];
        }
        for (int i = 0; i < m; i++) {
          col[j][i] -= dot * col[p][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < m; i++) {
        norm += col[j][i] * col[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < m; i++) {
        col[j][i] /= norm;
      }
    }
    Tensor w = Init.orthogonal(Tensor.zeros(rows, cols), new Rng(seed));
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double expected = wide ? col[i][j] : col[j][i];
        assertEquals(expected, w.get(i, j), 1e-6, "[" + i + ", " + j + "] of " + rows + "x" + cols);
      }
    }
  }
}
