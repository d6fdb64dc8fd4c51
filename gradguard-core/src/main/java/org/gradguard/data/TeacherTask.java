package org.gradguard.data;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Classification tasks labelled by a random "teacher" network: inputs {@code x ~ N(0, I_d)}, label
 * {@code argmax} of the teacher's output (ties go to the lowest index). The task is learnable
 * exactly by a student at least as expressive as the teacher, so failures to learn it are failures
 * of optimization, the thing GradGuard studies.
 *
 * <p>Randomness: the root {@link Rng} of the seed is split twice, the first stream drawing the
 * teacher's weights and the second the inputs, example after example. So the teacher depends only
 * on the seed and the architecture, and the first {@code n} examples of a larger pool are the pool
 * of {@code n}.
 */
public final class TeacherTask {
  /** The size of the W2 {@code deep-narrow} benchmark's pool: 65,536 = 2048 batches of 32. */
  public static final int DEEP_NARROW_POOL = 65_536;

  /** The teacher's hidden nonlinearity. */
  public enum Activation {
    /** {@code tanh(z)}. */
    TANH,
    /** {@code max(0, z)}. */
    RELU
  }

  private TeacherTask() {}

  /**
   * A deep teacher: {@code depth} hidden layers {@code h ← act(W h)} of {@code width} units, then a
   * linear read-out to {@code numClasses} logits; no biases. Every weight is drawn {@code N(0,
   * 1/fan_in)} (LeCun's variance-preserving scale), so the signal neither explodes nor dies out
   * with depth for tanh. {@code depth = 0} gives a linear teacher.
   *
   * @param n number of examples, {@code >= 1}
   * @param inputDim {@code d}, {@code >= 1}
   * @param depth hidden layers, {@code >= 0}
   * @param width hidden units per layer, {@code >= 1} (unused when {@code depth = 0})
   * @param numClasses {@code >= 2}
   * @param activation hidden nonlinearity
   * @param seed determines the teacher and the inputs
   * @return inputs {@code [n, d]}, labels {@code [n]}
   */
  public static TensorDataset teacher(
      int n, int inputDim, int depth, int width, int numClasses, Activation activation, long seed) {
    check("n", n, 1);
    check("inputDim", inputDim, 1);
    check("depth", depth, 0);
    check("width", width, 1);
    check("numClasses", numClasses, 2);
    String description =
        String.format(
            "teacher: %d examples, x ~ N(0, I_%d), label = argmax of a %s teacher with %d hidden"
                + " layers of width %d and %d classes, weights N(0, 1/fan_in), seed %d",
            n, inputDim, activation.name().toLowerCase(), depth, width, numClasses, seed);
    return generate(n, inputDim, depth, width, numClasses, activation, seed, description);
  }

  /**
   * The data of benchmark W2 ({@code deep-narrow}, {@code bench/README.md}): {@code x ~ N(0,
   * I_64)}, label {@code argmax(x·T)} for a fixed random 64×10 teacher {@code T}. {@code T} is
   * drawn {@code N(0, 1/64)}; the scale does not change the argmax. Equal to {@code teacher(n, 64,
   * 0, 1, 10, TANH, seed)} but for the description. The benchmark uses {@link #DEEP_NARROW_POOL}
   * examples, cycled.
   */
  public static TensorDataset deepNarrow(int n, long seed) {
    check("n", n, 1);
    String description =
        String.format(
            "deep-narrow (W2): %d examples, x ~ N(0, I_64), label = argmax(x·T) for a random 64x10"
                + " teacher T, seed %d",
            n, seed);
    return generate(n, 64, 0, 1, 10, Activation.TANH, seed, description);
  }

  private static void check(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "TeacherTask: " + name + " must be >= " + min + ", got " + value);
    }
  }

  private static TensorDataset generate(
      int n,
      int inputDim,
      int depth,
      int width,
      int numClasses,
      Activation activation,
      long seed,
      String description) {
    Rng root = new Rng(seed);
    Rng weightRng = root.split();
    Rng inputRng = root.split();
    float[][][] weights = new float[depth + 1][][];
    int fanIn = inputDim;
    for (int l = 0; l <= depth; l++) {
      int out = l == depth ? numClasses : width;
      weights[l] = gaussian(weightRng, out, fanIn);
      fanIn = out;
    }
    float[] x = new float[Shapes.numel(new int[] {n, inputDim})];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) inputRng.nextGaussian();
    }
    float[] labels = new float[n];
    double[] in = new double[inputDim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < inputDim; j++) {
        in[j] = x[i * inputDim + j];
      }
      double[] h = in;
      for (int l = 0; l <= depth; l++) {
        h = layer(weights[l], h, l < depth ? activation : null);
      }
      labels[i] = argmax(h);
    }
    return TensorDataset.classification(
        Tensor.wrap(x, n, inputDim), Tensor.wrap(labels, n), numClasses, description);
  }

  /** A {@code [out][in]} matrix of {@code N(0, 1/in)} draws, row by row. */
  private static float[][] gaussian(Rng rng, int out, int in) {
    double std = 1.0 / Math.sqrt(in);
    float[][] w = new float[out][in];
    for (float[] row : w) {
      for (int j = 0; j < in; j++) {
        row[j] = (float) (std * rng.nextGaussian());
      }
    }
    return w;
  }

  /** {@code act(W h)}, or {@code W h} when {@code act} is null, accumulated in double. */
  private static double[] layer(float[][] w, double[] h, Activation act) {
    double[] out = new double[w.length];
    for (int o = 0; o < w.length; o++) {
      double s = 0;
      for (int j = 0; j < h.length; j++) {
        s += w[o][j] * h[j];
      }
      out[o] = act == null ? s : act == Activation.TANH ? Math.tanh(s) : Math.max(0, s);
    }
    return out;
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
