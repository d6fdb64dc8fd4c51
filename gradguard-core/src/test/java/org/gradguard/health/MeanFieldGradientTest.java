package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gradguard.golden.GoldenCase;
import org.gradguard.golden.GoldenSuite;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The theory check: on random deep tanh networks at initialization, the per-layer weight-gradient
 * norms the {@link Monitor} measures decay (or grow) going back from the output at the rate
 * mean-field theory predicts: {@code ‖∇W_l‖² ∝ χ₁^(L−l)} (Schoenholz et al. 2017, eq. 12), with χ₁
 * read from {@code ../shared/golden/mean_field__table.json}.
 *
 * <p>Setup: depth 50, width 256, {@code W ~ N(0, σw²/256)}, {@code b ~ N(0, σb²)} with σb² = 0.05,
 * inputs {@code x ~ N(0, 1)} and loss {@code Σ y ⊙ u} with {@code u ~ N(0, 1)} (a random projection
 * of the output, so that {@code ∂loss/∂y} is isotropic). The slope of {@code ln ‖∇W_l‖²} against
 * the backward depth {@code L−1−l}, fitted by least squares over all 50 layers and averaged over 5
 * independent draws of weights, biases, inputs and projections, must match {@code ln χ₁} within 10%
 * plus 0.01.
 *
 * <p>Batch 4: with one example {@code ‖∇W_l‖² = ‖δ_l‖²·‖x_{l−1}‖²} exactly, and independent
 * projections per example keep the cross terms zero in expectation, so a few examples only lower
 * the noise (about 0.005 on the averaged slope). The five draws use the same weight draws at every
 * σw² (rescaled), which keeps the test at about 2 s of a free core; on a loaded machine it can take
 * several times that.
 */
class MeanFieldGradientTest {
  private static final int DEPTH = 50;
  private static final int WIDTH = 256;
  private static final int BATCH = 4;
  private static final int DRAWS = 5;
  private static final double SIGMA_B2 = 0.05;

  @Test
  void weightGradientNormsDecayAtTheMeanFieldRate() throws IOException {
    GoldenCase table =
        GoldenCase.load(GoldenSuite.resolveDirectory().resolve("mean_field__table.json"));
    double[] w2 = table.inputs().get("sigma_w2").data();
    double[] b2 = table.inputs().get("sigma_b2").data();
    double[] chi = table.expectedOutputs().get("tanh_chi_1").data();
    List<Double> sigmaW2 = new ArrayList<>();
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < w2.length; i++) {
      if (b2[i] == SIGMA_B2) {
        sigmaW2.add(w2[i]);
        expected.add(Math.log(chi[i]));
      }
    }
    assertTrue(sigmaW2.size() >= 5, "the table lists σw² values for σb² = 0.05: " + sigmaW2);

    Sequential net = Nets.mlp(WIDTH, WIDTH, DEPTH, Activation::tanh, 1, 0, new Rng(0));
    Monitor monitor = Monitor.builder(net).detectors(List.of()).build();
    double[] slope = new double[sigmaW2.size()];
    for (int d = 0; d < DRAWS; d++) {
      Rng rng = new Rng(1000 + d);
      List<Tensor> zw = new ArrayList<>();
      List<Tensor> zb = new ArrayList<>();
      for (int l = 0; l < DEPTH; l++) {
        zw.add(Tensor.randn(rng, WIDTH, WIDTH));
        zb.add(Tensor.randn(rng, WIDTH));
      }
      Tensor x = Tensor.randn(rng, BATCH, WIDTH);
      Tensor u = Tensor.randn(rng, BATCH, WIDTH);
      for (int k = 0; k < sigmaW2.size(); k++) {
        float ws = (float) Math.sqrt(sigmaW2.get(k) / WIDTH);
        float bs = (float) Math.sqrt(SIGMA_B2);
        for (int l = 0; l < DEPTH; l++) {
          Linear lin = (Linear) net.get(2 * l);
          scaleInto(lin.weight().value(), zw.get(l), ws);
          scaleInto(lin.bias().value(), zb.get(l), bs);
        }
        StepStats s = Nets.probe(monitor, net, x, u, 0);
        slope[k] += fittedSlope(s) / DRAWS;
      }
    }
    StringBuilder report = new StringBuilder();
    for (int k = 0; k < slope.length; k++) {
      report.append(
          String.format(
              "σw²=%.2f: slope %.4f, ln χ₁ %.4f%n", sigmaW2.get(k), slope[k], expected.get(k)));
    }
    for (int k = 0; k < slope.length; k++) {
      double tol = 0.1 * Math.abs(expected.get(k)) + 0.01;
      assertEquals(expected.get(k), slope[k], tol, report.toString());
    }
  }

  /** Least-squares slope of ln ‖∇W_l‖² against backward depth, from the monitor's records. */
  private static double fittedSlope(StepStats s) {
    double[] x = new double[DEPTH];
    double[] y = new double[DEPTH];
    int n = 0;
    for (ParameterStats p : s.parameters()) {
      if (p.name().endsWith(".weight")) {
        x[n] = DEPTH - 1 - p.layerIndex();
        y[n] = 2 * Math.log(p.gradNorm());
        n++;
      }
    }
    assertEquals(DEPTH, n);
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxy / sxx;
  }

  private static void scaleInto(Tensor dst, Tensor src, float scale) {
    float[] d = dst.data();
    float[] s = src.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = s[i] * scale;
    }
  }
}
