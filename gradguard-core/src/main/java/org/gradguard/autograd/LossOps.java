package org.gradguard.autograd;

import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Softmax, log-softmax and the losses. Softmax-type ops and the logit losses are fused: one
 * primitive with one derivative rule, which is both faster and numerically stable (the row maximum
 * is subtracted before exponentiating, and {@code log(1+e^{-|x|})} replaces {@code log σ(x)}).
 */
public final class LossOps {
  private LossOps() {}

  /** [outer, len, inner] around {@code axis}. */
  private static int[] split(int[] shape, int axis) {
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= shape[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    return new int[] {outer, shape[axis], inner};
  }

  /** Row-wise log-softmax in double: {@code x - max - log Σ e^{x-max}}. */
  private static float[] logSoftmaxData(float[] x, int outer, int len, int inner) {
    float[] out = new float[x.length];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        double m = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < len; l++) {
          m = Math.max(m, x[base + l * inner]);
        }
        double s = 0;
        for (int l = 0; l < len; l++) {
          s += Math.exp(x[base + l * inner] - m);
        }
        double lse = m + Math.log(s);
        for (int l = 0; l < len; l++) {
          out[base + l * inner] = (float) (x[base + l * inner] - lse);
        }
      }
    }
    return out;
  }

  /**
   * {@code softmax(x)_i = e^{x_i} / Σ_j e^{x_j}} along {@code axis}. Gradient: {@code y ⊙ (g − Σ(g
   * ⊙ y))}.
   */
  public static Variable softmax(Variable a, int axis) {
    Tensor x = a.value();
    int[] shape = x.shape();
    int[] d = split(shape, Shapes.axis("softmax", axis, shape.length));
    float[] y = logSoftmaxData(x.data(), d[0], d[1], d[2]);
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) Math.exp(y[i]);
    }
    Tensor out = Tensor.wrap(y, shape);
    return Graph.record(
        Op.SOFTMAX,
        out,
        g -> {
          float[] gd = g.data();
          float[] r = new float[gd.length];
          for (int o = 0; o < d[0]; o++) {
            for (int i = 0; i < d[2]; i++) {
              int base = o * d[1] * d[2] + i;
              double dot = 0;
              for (int l = 0; l < d[1]; l++) {
                dot += (double) gd[base + l * d[2]] * y[base + l * d[2]];
              }
              for (int l = 0; l < d[1]; l++) {
                int p = base + l * d[2];
                r[p] = (float) (y[p] * (gd[p] - dot));
              }
            }
          }
          return new Tensor[] {Tensor.wrap(r, shape)};
        },
        a);
  }

  /**
   * {@code log softmax(x)} along {@code axis}, computed as {@code x − max − log Σ e^{x−max}}.
   * Gradient: {@code g − softmax(x) ⊙ Σ g}.
   */
  public static Variable logSoftmax(Variable a, int axis) {
    Tensor x = a.value();
    int[] shape = x.shape();
    int[] d = split(shape, Shapes.axis("logSoftmax", axis, shape.length));
    float[] y = logSoftmaxData(x.data(), d[0], d[1], d[2]);
    Tensor out = Tensor.wrap(y, shape);
    return Graph.record(
        Op.LOG_SOFTMAX,
        out,
        g -> {
          float[] gd = g.data();
          float[] r = new float[gd.length];
          for (int o = 0; o < d[0]; o++) {
            for (int i = 0; i < d[2]; i++) {
              int base = o * d[1] * d[2] + i;
              double sum = 0;
              for (int l = 0; l < d[1]; l++) {
                sum += gd[base + l * d[2]];
              }
              for (int l = 0; l < d[1]; l++) {
                int p = base + l * d[2];
                r[p] = (float) (gd[p] - Math.exp(y[p]) * sum);
              }
            }
          }
          return new Tensor[] {Tensor.wrap(r, shape)};
        },
        a);
  }

  /**
   * Mean cross-entropy of logits {@code [N, C]} against integer class targets, with label smoothing
   * ε (Szegedy et al. 2016) as {@code torch.nn.functional.cross_entropy}:
   *
   * <pre>loss = mean_n [ −(1−ε)·logp[n, tₙ] − (ε/C)·Σ_c logp[n, c] ],  logp = log_softmax(x)</pre>
   *
   * Gradient: {@code (softmax(x) − (1−ε)·onehot(t) − ε/C) / N}.
   */
  public static Variable crossEntropy(Variable logits, int[] targets, double labelSmoothing) {
    Tensor x = logits.value();
    if (x.dim() != 2) {
      throw new IllegalArgumentException(
          "crossEntropy: logits must be [N, C], got " + Shapes.format(x.shape()));
    }
    int n = x.size(0);
    int c = x.size(1);
    if (targets.length != n) {
      throw new IllegalArgumentException(
          "crossEntropy: " + targets.length + " targets for logits " + Shapes.format(x.shape()));
    }
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          "crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    for (int i = 0; i < n; i++) {
      if (targets[i] < 0 || targets[i] >= c) {
        throw new IllegalArgumentException(
            "crossEntropy: target "
                + targets[i]
                + " of example "
                + i
                + " is not a class in [0, "
                + c
                + ")");
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("crossEntropy: empty batch");
    }
    float[] logp = logSoftmaxData(x.data(), n, c, 1);
    double eps = labelSmoothing;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double rowSum = 0;
      for (int j = 0; j < c; j++) {
        rowSum += logp[i * c + j];
      }
      total += -(1 - eps) * logp[i * c + targets[i]] - eps / c * rowSum;
    }
    Tensor out = Tensor.scalar((float) (total / n));
    int[] t = targets.clone();
    return Graph.record(
        Op.CROSS_ENTROPY,
        out,
        g -> {
          double scale = g.item() / (double) n;
          float[] r = new float[n * c];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
              double p = Math.exp(logp[i * c + j]);
              double target = (j == t[i] ? 1 - eps : 0) + eps / c;
              r[i * c + j] = (float) (scale * (p - target));
            }
          }
          return new Tensor[] {Tensor.wrap(r, n, c)};
        },
        logits);
  }

  /**
   * Mean binary cross-entropy of logits {@code x} against targets {@code y ∈ [0, 1]} of the same
   * shape, in the stable form {@code mean(max(x,0) − x·y + log(1+e^{−|x|}))}. Gradients: {@code ∂x
   * = (σ(x) − y)/M}, {@code ∂y = −x/M}.
   */
  public static Variable bceWithLogits(Variable logits, Variable target) {
    Tensor x = logits.value();
    Tensor y = target.value();
    if (!x.sameShape(y)) {
      throw new IllegalArgumentException(
          "bceWithLogits: input "
              + Shapes.format(x.shape())
              + " and target "
              + Shapes.format(y.shape())
              + " must have the same shape");
    }
    float[] xd = x.data();
    float[] yd = y.data();
    int m = xd.length;
    if (m == 0) {
      throw new IllegalArgumentException("bceWithLogits: empty input");
    }
    double total = 0;
    for (int i = 0; i < m; i++) {
      double v = xd[i];
      total += Math.max(v, 0) - v * yd[i] + Math.log1p(Math.exp(-Math.abs(v)));
    }
    Tensor out = Tensor.scalar((float) (total / m));
    return Graph.record(
        Op.BCE_WITH_LOGITS,
        out,
        g -> {
          double scale = g.item() / (double) m;
          float[] gx = new float[m];
          float[] gy = new float[m];
          for (int i = 0; i < m; i++) {
            double v = xd[i];
            double s = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
            gx[i] = (float) (scale * (s - yd[i]));
            gy[i] = (float) (-scale * v);
          }
          return new Tensor[] {Tensor.wrap(gx, x.shape()), Tensor.wrap(gy, y.shape())};
        },
        logits,
        target);
  }

  /** Mean squared error {@code mean((x − y)²)} (composite). */
  public static Variable mse(Variable input, Variable target) {
    if (!java.util.Arrays.equals(input.shape(), target.shape())) {
      throw new IllegalArgumentException(
          "mse: input "
              + Shapes.format(input.shape())
              + " and target "
              + Shapes.format(target.shape())
              + " must have the same shape");
    }
    return input.sub(target).square().mean();
  }
}
