package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bias and narrow input-weight gradients of a recurrent layer against a naive double sum. */
class RecurrentKernelsTest {
  @Test
  void columnProductsByHand() {
    // dA = [[1, 2], [3, 4], [5, 6]], x = [[1], [0], [-1]]: Σ rows = [9, 12], dAᵀ·x = [-4, -4]
    float[] dA = {1, 2, 3, 4, 5, 6};
    float[] x = {1, 0, -1};
    float[] dW = {7, 7};
    float[] db = {7, 7};
    RecurrentKernels.columnProducts(dA, x, 3, 1, 2, dW, db);
    assertArrayEquals(new float[] {9, 12}, db);
    assertArrayEquals(new float[] {-4, -4}, dW);
  }

  @Test
  void columnProductsMatchANaiveSumOverShapes() {
    Rng rng = new Rng(7);
    for (int rows : new int[] {1, 2, 31, 32, 33, 100, 257}) {
      for (int in : new int[] {1, 2, 3, RecurrentKernels.NARROW_INPUT}) {
        for (int h : new int[] {1, 5, 16, 17}) {
          float[] dA = Tensor.randn(rng, rows * h).data();
          float[] x = Tensor.randn(rng, rows * in).data();
          float[] dW = new float[h * in];
          float[] db = new float[h];
          RecurrentKernels.columnProducts(dA, x, rows, in, h, dW, db);
          float[] dbOnly = new float[h];
          RecurrentKernels.columnProducts(dA, x, rows, in, h, null, dbOnly);
          assertArrayEquals(db, dbOnly);
          for (int j = 0; j < h; j++) {
            double s = 0;
            double abs = 0;
            for (int r = 0; r < rows; r++) {
              s += dA[r * h + j];
              abs += Math.abs(dA[r * h + j]);
            }
            assertEquals(s, db[j], 1e-6 * (1 + abs), "bias " + rows + " " + in + " " + h);
            for (int c = 0; c < in; c++) {
              double w = 0;
              double wAbs = 0;
              for (int r = 0; r < rows; r++) {
                w += (double) dA[r * h + j] * x[r * in + c];
                wAbs += Math.abs((double) dA[r * h + j] * x[r * in + c]);
              }
              assertEquals(w, dW[j * in + c], 1e-6 * (1 + wAbs), "weight " + rows + " " + in);
            }
          }
        }
      }
    }
  }
}
