package org.gradguard.config;

import org.gradguard.data.TensorDataset;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Generates {@link DataConfig.LinearRegression}: inputs {@code [n, k]} with {@code x_j ~ N(0,
 * scale_j²)}, targets {@code [n, 1]} with {@code y = Σ_j w_j x_j / scale_j + b + N(0, noise²)}. The
 * weights {@code w ~ N(0, I)} and {@code b ~ N(0, 1)} are drawn first, then the examples one after
 * another, all from one {@link Rng} of the seed.
 *
 * <p>TODO(data): this belongs in {@code org.gradguard.data.SyntheticTasks}; move it there.
 */
final class LinearRegressionTask {
  private LinearRegressionTask() {}

  static TensorDataset generate(DataConfig.LinearRegression r) {
    int n = r.n();
    int k = r.scales().size();
    Rng rng = new Rng(r.seed());
    double[] w = new double[k];
    for (int j = 0; j < k; j++) {
      w[j] = rng.nextGaussian();
    }
    double b = rng.nextGaussian();
    float[] x = new float[n * k];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double sum = b;
      for (int j = 0; j < k; j++) {
        double s = r.scales().get(j);
        double xij = s * rng.nextGaussian();
        x[i * k + j] = (float) xij;
        sum += w[j] * xij / s;
      }
      y[i] = (float) (sum + r.noise() * rng.nextGaussian());
    }
    String description =
        String.format(
            "linear-regression: %d examples, feature scales %s, noise %s, seed %d",
            n, r.scales(), Numbers.format(r.noise()), r.seed());
    return TensorDataset.regression(Tensor.wrap(x, n, k), Tensor.wrap(y, n, 1), description);
  }
}
