package org.gradguard.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Fused batch normalisation and layer normalisation: one primitive each, with the closed-form
 * backward, instead of a chain of mean/variance/div nodes. Statistics are accumulated in double
 * (two passes: mean, then {@code Σ(x−mean)²}), so the results stay accurate for large reductions
 * and the x-gradient (a small difference of O(1) terms for small batches) keeps its precision.
 *
 * <p>Normalisation uses the biased variance ({@code /M}) in both ops, as PyTorch does. The affine
 * parameters {@code weight} (γ) and {@code bias} (β) may each be {@code null} (PyTorch's {@code
 * affine=False} / {@code elementwise_affine=False}); then γ = 1, β = 0 and no gradient is produced
 * for them. No argument is modified.
 */
public final class NormOps {
  private NormOps() {}

  /**
   * Per-channel statistics of one training-mode batch-norm batch: the mean and the biased variance,
   * both {@code [C]}, and the number {@code count} of elements per channel (M).
   */
  public record BatchStats(Tensor mean, Tensor variance, int count) {
    /**
     * The unbiased variance {@code variance · M/(M−1)}, the estimate PyTorch folds into {@code
     * running_var}. Requires M &gt; 1.
     */
    public Tensor unbiasedVariance() {
      if (count < 2) {
        throw new IllegalStateException(
            "BatchStats: the unbiased variance needs more than 1 value per channel, got " + count);
      }
      float[] v = variance.data();
      float[] u = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        u[i] = (float) ((double) v[i] * count / (count - 1));
      }
      return Tensor.wrap(u, v.length);
    }
  }

  /** The output of a training-mode batch norm and the batch statistics it normalised with. */
  public record BatchNormResult(Variable output, BatchStats stats) {}

  /**
   * Batch normalisation with the statistics of the batch (Ioffe &amp; Szegedy 2015), as {@code
   * torch.nn.functional.batch_norm(training=True)}. For {@code x [N, C, *]} and each channel c,
   * over its {@code M = N·Π(*)} elements:
   *
   * <pre>
   * μ = Σx/M,  σ² = Σ(x−μ)²/M (biased),  x̂ = (x−μ)/√(σ²+eps),  y = γ·x̂ + β
   * </pre>
   *
   * Backward (the gradient flows through μ and σ²), per channel with sums over its M elements:
   *
   * <pre>
   * ∂x = (1/M)·γ/√(σ²+eps)·(M·g − Σg − x̂·Σ(g·x̂)),  ∂γ = Σ(g·x̂),  ∂β = Σg
   * </pre>
   *
   * Running statistics are not touched here: the caller (the layer) updates them from the returned
   * {@link BatchStats}, outside the differentiated op.
   *
   * @param x input {@code [N, C, *]}, rank at least 2
   * @param weight γ {@code [C]} or null
   * @param bias β {@code [C]} or null
   * @throws IllegalArgumentException for mismatched shapes, or M = 1 ("Expected more than 1 value
   *     per channel when training", as PyTorch)
   */
  public static BatchNormResult batchNormTrain(
      Variable x, Variable weight, Variable bias, double eps) {
    Tensor xv = x.value();
    int[] d = channelLayout("batchNorm", xv, weight, bias, null, null);
    int n = d[0];
    int c = d[1];
    int inner = d[2];
    int m = n * inner;
    if (m <= 1) {
      throw new IllegalArgumentException(
          "batchNorm: Expected more than 1 value per channel when training, got input size "
              + Shapes.format(xv.shape()));
    }
    checkEps("batchNorm", eps);
    float[] xd = xv.data();
    double[] mean = new double[c];
    double[] invStd = new double[c];
    float[] meanF = new float[c];
    float[] varF = new float[c];
    float[] gamma = weight == null ? null : weight.value().data();
    float[] beta = bias == null ? null : bias.value().data();
    float[] y = new float[xd.length];
    if (inner == 1) {
      batchNormRows(xd, n, c, eps, gamma, beta, mean, invStd, meanF, varF, y);
    } else {
      Parallel.forRange(
          c,
          4L * m,
          (from, to) -> {
            for (int ch = from; ch < to; ch++) {
              double s = 0;
              for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) {
                  s += xd[base + k];
                }
              }
              double mu = s / m;
              double ss = 0;
              for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) {
                  double dv = xd[base + k] - mu;
                  ss += dv * dv;
                }
              }
              double var = ss / m;
              double is = 1 / Math.sqrt(var + eps);
              mean[ch] = mu;
              invStd[ch] = is;
              meanF[ch] = (float) mu;
              varF[ch] = (float) var;
              normaliseChannel(xd, y, n, c, inner, ch, mu, is, gamma, beta);
            }
          });
    }
    Tensor out = Tensor.wrap(y, xv.shape());
    Backward rule =
        g -> {
          float[] gd = g.data();
          float[] gx = new float[xd.length];
          float[] gg = new float[c];
          float[] gb = new float[c];
          if (inner == 1) {
            batchNormRowsBackward(gd, xd, n, c, gamma, mean, invStd, gx, gg, gb);
            return new Tensor[] {
              Tensor.wrap(gx, xv.shape()), Tensor.wrap(gg, c), Tensor.wrap(gb, c)
            };
          }
          Parallel.forRange(
              c,
              4L * m,
              (from, to) -> {
                for (int ch = from; ch < to; ch++) {
                  double mu = mean[ch];
                  double is = invStd[ch];
                  double sg = 0;
                  double sgx = 0;
                  for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * inner;
                    for (int k = 0; k < inner; k++) {
                      double gk = gd[base + k];
                      sg += gk;
                      sgx += gk * (xd[base + k] - mu) * is;
                    }
                  }
                  gg[ch] = (float) sgx;
                  gb[ch] = (float) sg;
                  double scale = (gamma == null ? 1.0 : gamma[ch]) * is;
                  double meanG = sg / m;
                  double meanGx = sgx / m;
                  for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * inner;
                    for (int k = 0; k < inner; k++) {
                      double xh = (xd[base + k] - mu) * is;
                      gx[base + k] = (float) (scale * (gd[base + k] - meanG - xh * meanGx));
                    }
                  }
                }
              });
          return new Tensor[] {Tensor.wrap(gx, xv.shape()), Tensor.wrap(gg, c), Tensor.wrap(gb, c)};
        };
    Variable output = recordAffine(Op.BATCH_NORM, out, rule, x, weight, bias);
    BatchStats stats = new BatchStats(Tensor.wrap(meanF, c), Tensor.wrap(varF, c), m);
    return new BatchNormResult(output, stats);
  }

  /**
   * Batch normalisation with given statistics (evaluation mode: the running mean and variance), as
   * {@code torch.nn.functional.batch_norm(training=False)}: an affine map per channel,
   *
   * <pre>
   * y = γ·(x−μ)/√(σ²+eps) + β,   ∂x = g·γ/√(σ²+eps),  ∂γ = Σ(g·x̂),  ∂β = Σg
   * </pre>
   *
   * {@code mean} and {@code variance} are constants (not differentiated, not modified).
   *
   * @param x input {@code [N, C, *]}, rank at least 2; any N, including 1
   * @param mean μ {@code [C]}
   * @param variance σ² {@code [C]}
   */
  public static Variable batchNormEval(
      Variable x, Variable weight, Variable bias, Tensor mean, Tensor variance, double eps) {
    Tensor xv = x.value();
    int[] d = channelLayout("batchNorm", xv, weight, bias, mean, variance);
    int n = d[0];
    int c = d[1];
    int inner = d[2];
    checkEps("batchNorm", eps);
    float[] xd = xv.data();
    float[] md = mean.data();
    float[] vd = variance.data();
    double[] invStd = new double[c];
    for (int ch = 0; ch < c; ch++) {
      invStd[ch] = 1 / Math.sqrt((double) vd[ch] + eps);
    }
    double[] mu = new double[c];
    for (int ch = 0; ch < c; ch++) {
      mu[ch] = md[ch];
    }
    float[] gamma = weight == null ? null : weight.value().data();
    float[] beta = bias == null ? null : bias.value().data();
    float[] y = new float[xd.length];
    for (int ch = 0; ch < c; ch++) {
      normaliseChannel(xd, y, n, c, inner, ch, mu[ch], invStd[ch], gamma, beta);
    }
    Tensor out = Tensor.wrap(y, xv.shape());
    Backward rule =
        g -> {
          float[] gd = g.data();
          float[] gx = new float[xd.length];
          float[] gg = new float[c];
          float[] gb = new float[c];
          for (int ch = 0; ch < c; ch++) {
            double is = invStd[ch];
            double scale = (gamma == null ? 1.0 : gamma[ch]) * is;
            double sg = 0;
            double sgx = 0;
            for (int i = 0; i < n; i++) {
              int base = (i * c + ch) * inner;
              for (int k = 0; k < inner; k++) {
                double gk = gd[base + k];
                sg += gk;
                sgx += gk * (xd[base + k] - mu[ch]) * is;
                gx[base + k] = (float) (gk * scale);
              }
            }
            gg[ch] = (float) sgx;
            gb[ch] = (float) sg;
          }
          return new Tensor[] {Tensor.wrap(gx, xv.shape()), Tensor.wrap(gg, c), Tensor.wrap(gb, c)};
        };
    return recordAffine(Op.BATCH_NORM, out, rule, x, weight, bias);
  }

  /**
   * Layer normalisation (Ba, Kiros &amp; Hinton 2016), as {@code torch.nn.functional.layer_norm}:
   * each input is normalised over its last {@code normalizedDims} axes (D elements), with the
   * biased variance:
   *
   * <pre>
   * μ = Σx/D,  σ² = Σ(x−μ)²/D,  x̂ = (x−μ)/√(σ²+eps),  y = γ⊙x̂ + β
   * </pre>
   *
   * Backward, per normalised group with {@code a = g⊙γ}:
   *
   * <pre>
   * ∂x = (1/D)·(1/√(σ²+eps))·(D·a − Σa − x̂·Σ(a·x̂)),  ∂γ = Σ_groups g⊙x̂,  ∂β = Σ_groups g
   * </pre>
   *
   * @param x input {@code [*, normalizedShape]}
   * @param normalizedDims how many trailing axes to normalise over (at least 1)
   * @param weight γ of shape {@code normalizedShape} (the last {@code normalizedDims} axes of x),
   *     or null
   * @param bias β, the same shape, or null
   */
  public static Variable layerNorm(
      Variable x, int normalizedDims, Variable weight, Variable bias, double eps) {
    Tensor xv = x.value();
    int[] xs = xv.shape();
    if (normalizedDims < 1 || normalizedDims > xs.length) {
      throw new IllegalArgumentException(
          "layerNorm: cannot normalise over the last "
              + normalizedDims
              + " axes of an input "
              + Shapes.format(xs));
    }
    int[] normShape = Arrays.copyOfRange(xs, xs.length - normalizedDims, xs.length);
    for (Variable p : new Variable[] {weight, bias}) {
      if (p != null && !Arrays.equals(p.shape(), normShape)) {
        throw new IllegalArgumentException(
            "layerNorm: affine parameter "
                + Shapes.format(p.shape())
                + " does not match the normalised shape "
                + Shapes.format(normShape)
                + " of input "
                + Shapes.format(xs));
      }
    }
    checkEps("layerNorm", eps);
    int dd = Shapes.numel(normShape);
    int rows = dd == 0 ? 0 : xv.numel() / dd;
    float[] xd = xv.data();
    float[] gamma = weight == null ? null : weight.value().data();
    float[] beta = bias == null ? null : bias.value().data();
    double[] mean = new double[rows];
    double[] invStd = new double[rows];
    float[] y = new float[xd.length];
    Parallel.forRange(
        rows,
        4L * dd,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            int base = r * dd;
            double s = 0;
            for (int j = 0; j < dd; j++) {
              s += xd[base + j];
            }
            double mu = s / dd;
            double ss = 0;
            for (int j = 0; j < dd; j++) {
              double dv = xd[base + j] - mu;
              ss += dv * dv;
            }
            double is = 1 / Math.sqrt(ss / dd + eps);
            mean[r] = mu;
            invStd[r] = is;
            for (int j = 0; j < dd; j++) {
              double v = (xd[base + j] - mu) * is;
              if (gamma != null) {
                v *= gamma[j];
              }
              if (beta != null) {
                v += beta[j];
              }
              y[base + j] = (float) v;
            }
          }
        });
    Tensor out = Tensor.wrap(y, xs);
    Backward rule =
        g -> {
          float[] gd = g.data();
          float[] gx = new float[xd.length];
          Parallel.forRange(
              rows,
              6L * dd,
              (from, to) -> {
                for (int r = from; r < to; r++) {
                  int base = r * dd;
                  double mu = mean[r];
                  double is = invStd[r];
                  double sa = 0;
                  double sax = 0;
                  for (int j = 0; j < dd; j++) {
                    double a = gamma == null ? gd[base + j] : (double) gd[base + j] * gamma[j];
                    sa += a;
                    sax += a * (xd[base + j] - mu) * is;
                  }
                  double meanA = sa / dd;
                  double meanAx = sax / dd;
                  for (int j = 0; j < dd; j++) {
                    double a = gamma == null ? gd[base + j] : (double) gd[base + j] * gamma[j];
                    double xh = (xd[base + j] - mu) * is;
                    gx[base + j] = (float) (is * (a - meanA - xh * meanAx));
                  }
                }
              });
          double[] sgx = new double[dd];
          double[] sg = new double[dd];
          for (int r = 0; r < rows; r++) {
            int base = r * dd;
            for (int j = 0; j < dd; j++) {
              double gk = gd[base + j];
              sg[j] += gk;
              sgx[j] += gk * (xd[base + j] - mean[r]) * invStd[r];
            }
          }
          float[] gg = new float[dd];
          float[] gb = new float[dd];
          for (int j = 0; j < dd; j++) {
            gg[j] = (float) sgx[j];
            gb[j] = (float) sg[j];
          }
          return new Tensor[] {
            Tensor.wrap(gx, xs), Tensor.wrap(gg, normShape), Tensor.wrap(gb, normShape)
          };
        };
    return recordAffine(Op.LAYER_NORM, out, rule, x, weight, bias);
  }

  // ------------------------------------------------------------ helpers

  private static void checkEps(String op, double eps) {
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException(op + ": eps must be > 0 and finite, got " + eps);
    }
  }

  /** y = γ·(x−μ)·invStd + β for channel {@code ch} of a {@code [n, c, inner]} layout. */
  /**
   * The forward of {@link #batchNormTrain} for {@code x [N, C]} (no trailing axes), with the
   * backend's column kernels: the same operations in the same order as the per-channel loop, so the
   * same values, without walking each channel down a stride of C.
   */
  private static void batchNormRows(
      float[] xd,
      int n,
      int c,
      double eps,
      float[] gamma,
      float[] beta,
      double[] mean,
      double[] invStd,
      float[] meanF,
      float[] varF,
      float[] y) {
    Backend be = Backends.current();
    double[] var = new double[c];
    be.columnMeanVariance(xd, n, c, mean, var);
    double[] scale = new double[c];
    double[] shift = new double[c];
    for (int ch = 0; ch < c; ch++) {
      double is = 1 / Math.sqrt(var[ch] + eps);
      invStd[ch] = is;
      meanF[ch] = (float) mean[ch];
      varF[ch] = (float) var[ch];
      scale[ch] = gamma == null ? is : gamma[ch] * is;
      shift[ch] = beta == null ? 0 : beta[ch];
    }
    be.columnAffine(xd, n, c, mean, scale, shift, y);
  }

  /** The backward of {@link #batchNormRows}: fills {@code gx}, {@code gg} (∂γ), {@code gb} (∂β). */
  private static void batchNormRowsBackward(
      float[] gd,
      float[] xd,
      int n,
      int c,
      float[] gamma,
      double[] mean,
      double[] invStd,
      float[] gx,
      float[] gg,
      float[] gb) {
    Backend be = Backends.current();
    double[] sg = new double[c];
    double[] sgx = new double[c];
    be.columnGradSums(gd, xd, n, c, mean, invStd, sg, sgx);
    double[] outScale = new double[c];
    double[] meanG = new double[c];
    double[] meanGx = new double[c];
    for (int ch = 0; ch < c; ch++) {
      gg[ch] = (float) sgx[ch];
      gb[ch] = (float) sg[ch];
      outScale[ch] = (gamma == null ? 1.0 : gamma[ch]) * invStd[ch];
      meanG[ch] = sg[ch] / n;
      meanGx[ch] = sgx[ch] / n;
    }
    be.batchNormInputGrad(gd, xd, n, c, mean, invStd, outScale, meanG, meanGx, gx);
  }

  private static void normaliseChannel(
      float[] xd,
      float[] y,
      int n,
      int c,
      int inner,
      int ch,
      double mu,
      double invStd,
      float[] gamma,
      float[] beta) {
    double scale = gamma == null ? invStd : gamma[ch] * invStd;
    double shift = beta == null ? 0 : beta[ch];
    for (int i = 0; i < n; i++) {
      int base = (i * c + ch) * inner;
      for (int k = 0; k < inner; k++) {
        y[base + k] = (float) ((xd[base + k] - mu) * scale + shift);
      }
    }
  }

  /**
   * Validates a batch-norm input {@code [N, C, *]} against the per-channel tensors (each {@code
   * [C]} or null) and returns {@code [N, C, Π(*)]}.
   */
  private static int[] channelLayout(
      String op, Tensor x, Variable weight, Variable bias, Tensor mean, Tensor variance) {
    int[] xs = x.shape();
    if (xs.length < 2) {
      throw new IllegalArgumentException(
          op + ": input must be [N, C, *] (rank >= 2), got " + Shapes.format(xs));
    }
    int c = xs[1];
    Object[][] named = {
      {"weight", weight == null ? null : weight.value()},
      {"bias", bias == null ? null : bias.value()},
      {"mean", mean},
      {"variance", variance}
    };
    for (Object[] e : named) {
      Tensor t = (Tensor) e[1];
      if (t != null && (t.dim() != 1 || t.size(0) != c)) {
        throw new IllegalArgumentException(
            op
                + ": "
                + e[0]
                + " "
                + Shapes.format(t.shape())
                + " does not match the "
                + c
                + " channels of input "
                + Shapes.format(xs)
                + " (expected ["
                + c
                + "])");
      }
    }
    int inner = 1;
    for (int i = 2; i < xs.length; i++) {
      inner *= xs[i];
    }
    return new int[] {xs[0], c, inner};
  }

  /**
   * Records {@code op} with inputs x and whichever of γ, β are present; {@code full} returns the
   * gradients {@code {∂x, ∂γ, ∂β}}, which are matched to the inputs actually recorded.
   */
  private static Variable recordAffine(
      Op op, Tensor out, Backward full, Variable x, Variable weight, Variable bias) {
    List<Variable> inputs = new ArrayList<>(3);
    inputs.add(x);
    if (weight != null) {
      inputs.add(weight);
    }
    if (bias != null) {
      inputs.add(bias);
    }
    boolean hasW = weight != null;
    boolean hasB = bias != null;
    Backward rule =
        g -> {
          Tensor[] all = full.apply(g);
          Tensor[] r = new Tensor[inputs.size()];
          int k = 0;
          r[k++] = all[0];
          if (hasW) {
            r[k++] = all[1];
          }
          if (hasB) {
            r[k] = all[2];
          }
          return r;
        };
    return Graph.record(op, out, rule, inputs.toArray(new Variable[0]));
  }
}
