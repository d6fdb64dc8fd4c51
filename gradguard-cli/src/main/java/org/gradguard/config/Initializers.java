package org.gradguard.config;

import java.util.List;
import org.gradguard.nn.Linear;
import org.gradguard.tensor.Rng;

/**
 * Applies an {@link InitConfig} to the dense layers of a built model, overwriting their weights and
 * biases in place (Modified: each layer's parameters). Draws come from the given {@link Rng} in
 * row-major order, layer after layer. Biases are set to 0 under xavier, kaiming and orthogonal (as
 * Keras does, and as PyTorch code that calls these initializers usually does), and drawn {@code
 * N(0, σ_b²)} under normal.
 *
 * <p>TODO(nn-init): replace the formulas here by {@code org.gradguard.nn.init.Init} (and support
 * {@code lsuv} through {@code Lsuv}) once branch nn-init is on main; the formulas match it.
 */
final class Initializers {
  /** A dense layer and the gain of the activation that follows it (1 when none does). */
  record Target(Linear layer, double gain) {}

  private Initializers() {}

  static void apply(InitConfig init, List<Target> targets, Rng rng, Origin origin) {
    if (init.kind() == InitConfig.Kind.PYTORCH) {
      return;
    }
    if (init.kind() == InitConfig.Kind.LSUV) {
      throw origin.error(
          "model.init",
          "lsuv is not available in this build yet (it waits for org.gradguard.nn.init.Lsuv);"
              + " use orthogonal or kaiming_normal");
    }
    for (Target t : targets) {
      Linear l = t.layer();
      int fanIn = l.inFeatures();
      int fanOut = l.outFeatures();
      float[] w = l.weight().value().data();
      double kaimingGain = init.gain() != null ? init.gain() : t.gain();
      double gain = init.gain() != null ? init.gain() : 1.0;
      switch (init.kind()) {
        case XAVIER_UNIFORM -> uniform(w, gain * Math.sqrt(6.0 / (fanIn + fanOut)), rng);
        case XAVIER_NORMAL -> normal(w, gain * Math.sqrt(2.0 / (fanIn + fanOut)), rng);
        case KAIMING_NORMAL -> normal(w, kaimingGain / Math.sqrt(fanIn), rng);
        case KAIMING_UNIFORM -> uniform(w, kaimingGain * Math.sqrt(3.0 / fanIn), rng);
        case ORTHOGONAL -> orthogonal(w, fanOut, fanIn, gain, rng);
        case NORMAL -> normal(w, Math.sqrt(init.sigmaW2() / fanIn), rng);
        default -> throw new IllegalStateException("unhandled init " + init.kind());
      }
      if (l.bias() != null) {
        float[] b = l.bias().value().data();
        if (init.kind() == InitConfig.Kind.NORMAL && init.sigmaB2() > 0) {
          normal(b, Math.sqrt(init.sigmaB2()), rng);
        } else {
          java.util.Arrays.fill(b, 0f);
        }
      }
    }
  }

  private static void uniform(float[] a, double bound, Rng rng) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (-bound + 2 * bound * rng.nextDouble());
    }
  }

  private static void normal(float[] a, double std, Rng rng) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (std * rng.nextGaussian());
    }
  }

  /**
   * A (semi-)orthogonal {@code rows × cols} matrix times {@code gain}, as {@code
   * torch.nn.init.orthogonal_}: the Q factor of a Gaussian matrix (of its transpose when {@code
   * rows < cols}), by modified Gram–Schmidt in double, which gives the Q of the QR decomposition
   * whose R has a positive diagonal.
   */
  static void orthogonal(float[] out, int rows, int cols, double gain, Rng rng) {
    boolean transpose = rows < cols;
    int r = transpose ? cols : rows;
    int c = transpose ? rows : cols;
    double[][] q = new double[c][r]; // column-major: q[j] is column j
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        q[j][i] = rng.nextGaussian();
      }
    }
    for (int j = 0; j < c; j++) {
      for (int k = 0; k < j; k++) {
        double dot = 0;
        for (int i = 0; i < r; i++) {
          dot += q[k][i] * q[j][i];
        }
        for (int i = 0; i < r; i++) {
          q[j][i] -= dot * q[k][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < r; i++) {
        norm += q[j][i] * q[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < r; i++) {
        q[j][i] /= norm;
      }
    }
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double v = transpose ? q[i][j] : q[j][i];
        out[i * cols + j] = (float) (gain * v);
      }
    }
  }
}
