package org.gradguard.data;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Small classification tasks generated from a seed: interleaved spirals and Gaussian blobs. Example
 * {@code i} belongs to class {@code i mod k}, so the classes are balanced (their counts differ by
 * at most one) and every prefix of the dataset is nearly balanced too.
 */
public final class SyntheticTasks {
  private SyntheticTasks() {}

  /**
   * {@code arms} interleaved spiral arms in the plane, one class per arm. Example {@code i} is the
   * {@code m}-th of the {@code c} examples of class {@code j = i mod arms} ({@code m = i / arms});
   * with {@code t = (m + 0.5) / c} it lies at radius {@code r = t} and angle {@code θ = 2πj/arms +
   * 2πt} (one full turn), plus independent {@code N(0, noise²)} noise on each coordinate: {@code x
   * = (r cos θ + ε₁, r sin θ + ε₂)}.
   *
   * @param n examples, {@code >= arms}
   * @param arms classes, {@code >= 2}
   * @param noise standard deviation of the noise, {@code >= 0}
   * @param seed determines the noise
   * @return inputs {@code [n, 2]}, labels {@code [n]}
   */
  public static TensorDataset spirals(int n, int arms, double noise, long seed) {
    check("spirals", "arms", arms, 2);
    check("spirals", "n", n, arms);
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("spirals: noise must be finite and >= 0, got " + noise);
    }
    Rng rng = new Rng(seed);
    float[] x = new float[Shapes.numel(new int[] {n, 2})];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int j = i % arms;
      int count = n / arms + (j < n % arms ? 1 : 0);
      double t = (i / arms + 0.5) / count;
      double theta = 2 * Math.PI * j / arms + 2 * Math.PI * t;
      x[2 * i] = (float) (t * Math.cos(theta) + noise * rng.nextGaussian());
      x[2 * i + 1] = (float) (t * Math.sin(theta) + noise * rng.nextGaussian());
      y[i] = j;
    }
    String description =
        String.format("spirals: %d examples, %d arms, noise %s, seed %d", n, arms, noise, seed);
    return TensorDataset.classification(Tensor.wrap(x, n, 2), Tensor.wrap(y, n), arms, description);
  }

  /**
   * {@code centers} isotropic Gaussian blobs in {@code dim} dimensions, one class per blob, like
   * scikit-learn's {@code make_blobs}: centers uniform in {@code [-10, 10]^dim}, then example
   * {@code i} of class {@code j = i mod centers} drawn from {@code N(c_j, std² I)}.
   *
   * @param n examples, {@code >= centers}
   * @param centers classes, {@code >= 2}
   * @param dim input dimension, {@code >= 1}
   * @param std standard deviation of every blob, {@code >= 0}
   * @param seed determines the centers (drawn first) and the points
   * @return inputs {@code [n, dim]}, labels {@code [n]}
   */
  public static TensorDataset blobs(int n, int centers, int dim, double std, long seed) {
    check("blobs", "centers", centers, 2);
    check("blobs", "n", n, centers);
    check("blobs", "dim", dim, 1);
    if (!(std >= 0) || Double.isInfinite(std)) {
      throw new IllegalArgumentException("blobs: std must be finite and >= 0, got " + std);
    }
    Rng rng = new Rng(seed);
    double[] c = new double[Shapes.numel(new int[] {centers, dim})];
    for (int i = 0; i < c.length; i++) {
      c[i] = -10 + 20 * rng.nextDouble();
    }
    float[] x = new float[Shapes.numel(new int[] {n, dim})];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int j = i % centers;
      for (int k = 0; k < dim; k++) {
        x[i * dim + k] = (float) (c[j * dim + k] + std * rng.nextGaussian());
      }
      y[i] = j;
    }
    String description =
        String.format(
            "blobs: %d examples, %d centers in [-10, 10]^%d, std %s, seed %d",
            n, centers, dim, std, seed);
    return TensorDataset.classification(
        Tensor.wrap(x, n, dim), Tensor.wrap(y, n), centers, description);
  }

  private static void check(String task, String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          task + ": " + name + " must be >= " + min + ", got " + value);
    }
  }
}
