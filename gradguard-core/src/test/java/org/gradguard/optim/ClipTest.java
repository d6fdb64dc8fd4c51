package org.gradguard.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ClipTest {

  private static Tensor[] copies(Tensor... ts) {
    Tensor[] out = new Tensor[ts.length];
    for (int i = 0; i < ts.length; i++) {
      out[i] = ts[i].copy();
    }
    return out;
  }

  /** Runs one step of {@code t} on copies of {@code g}; returns the state. */
  private static TransformState apply(GradientTransformation t, Tensor[] g) {
    Params p = Params.of(copies(g));
    TransformState s = t.init(p);
    t.update(g, s, p, StepContext.at(0));
    return s;
  }

  private static Tensor[] sample(Rng rng, double scale) {
    return new Tensor[] {
      Tensor.randn(rng, 5, 3).mulInPlace((float) scale),
      Tensor.randn(rng, 7).mulInPlace((float) scale),
      Tensor.randn(rng, 1).mulInPlace((float) scale)
    };
  }

  @Test
  void globalNormClipLandsOnTheThresholdAtFiftyThresholds() {
    Rng rng = new Rng(11);
    for (int k = 0; k < 50; k++) {
      Tensor[] g = sample(rng, 3);
      double before = Clip.globalNorm(2, g);
      double max = before * (0.02 + 0.019 * k); // from 2% to 95% of the norm
      TransformState s = apply(Clip.byGlobalNorm(max), g);
      double after = Clip.globalNorm(2, g);
      // PyTorch: after = before·max/(before + 1e-6), within float32 rounding.
      double expected = before * max / (before + 1e-6);
      assertEquals(expected, after, 2e-6 * max, "threshold " + max);
      assertTrue(Math.abs(after - max) <= 1e-6 * max / before + 2e-6 * max);
      assertEquals(before, s.number(Clip.LAST_NORM), 1e-12 * before);
      assertEquals(1.0, s.number(Clip.CLIPPED));
      assertEquals(max, s.number(Clip.THRESHOLD));
    }
  }

  @Test
  void globalNormClipTwiceChangesNothingBeyondPyTorchsEpsilon() {
    Rng rng = new Rng(12);
    for (int k = 0; k < 50; k++) {
      Tensor[] g = sample(rng, 10);
      double max = 0.5 + 0.1 * k;
      apply(Clip.byGlobalNorm(max), g);
      Tensor[] once = copies(g);
      TransformState s = apply(Clip.byGlobalNorm(max), g);
      // The second coefficient is max/(≈max + 1e-6): at most 1e-6/max away from 1.
      double tol = 1e-6 / max + 3e-7;
      for (int i = 0; i < g.length; i++) {
        float[] a = once[i].data();
        float[] b = g[i].data();
        for (int j = 0; j < a.length; j++) {
          assertEquals(a[j], b[j], tol * Math.abs(a[j]) + 1e-30, "threshold " + max);
        }
      }
      assertTrue(s.number(Clip.LAST_NORM) <= max * (1 + 3e-7));
    }
  }

  @Test
  void belowTheThresholdNothingChanges() {
    Tensor[] g = {Tensor.vector(3, 4)}; // norm 5
    Tensor[] orig = copies(g);
    TransformState s = apply(Clip.byGlobalNorm(6), g);
    assertTrue(g[0].bitEquals(orig[0]));
    assertEquals(5.0, s.number(Clip.LAST_NORM));
    assertEquals(0.0, s.number(Clip.CLIPPED));
  }

  @Test
  void normTypesOneTwoAndInfinityByHand() {
    // g = [3, -4], [12]: L1 = 19, L2 = 13, Linf = 12.
    Tensor[] g = {Tensor.vector(3, -4), Tensor.vector(12)};
    assertEquals(19.0, Clip.globalNorm(1, g));
    assertEquals(13.0, Clip.globalNorm(2, g));
    assertEquals(12.0, Clip.globalNorm(Clip.INF, g));
    Tensor[] g1 = copies(g);
    TransformState s = apply(Clip.byGlobalNorm(9.5, 1, Clip.OnNonFinite.REPORT), g1);
    double c = 9.5 / (19 + 1e-6);
    assertArrayEquals(new float[] {(float) (3 * c), (float) (-4 * c)}, g1[0].data());
    assertEquals(19.0, s.number(Clip.LAST_NORM));
    Tensor[] gi = copies(g);
    apply(Clip.byGlobalNorm(6, Clip.INF, Clip.OnNonFinite.REPORT), gi);
    assertEquals((float) (12 * 6 / (12 + 1e-6)), gi[1].data()[0]);
  }

  @Test
  void byValueClampsAndCountsElements() {
    Tensor[] g = {Tensor.vector(-3, 0.5f, 2, -0.1f)};
    TransformState s = apply(Clip.byValue(1), g);
    assertArrayEquals(new float[] {-1, 0.5f, 1, -0.1f}, g[0].data());
    assertEquals(2.0, s.number(Clip.CLIPPED));
    TransformState again = apply(Clip.byValue(1), g);
    assertEquals(0.0, again.number(Clip.CLIPPED));
  }

  @Test
  void perTensorAndPerLayerFollowDl4j() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a.weight", Tensor.vector(3, 4)); // 5
    m.put("a.bias", Tensor.vector(12)); // layer a: sqrt(25 + 144) = 13
    m.put("b.weight", Tensor.vector(0.6f, 0.8f)); // layer b: 1
    Params p = Params.named(m);

    Tensor[] u = copies(m.values().toArray(new Tensor[0]));
    GradientTransformation layer = Clip.perLayer(2);
    TransformState s = layer.init(p);
    layer.update(u, s, p, StepContext.at(0));
    float c = (float) (2.0 / 13);
    assertArrayEquals(new float[] {3 * c, 4 * c}, u[0].data(), 1e-6f);
    assertArrayEquals(new float[] {12 * c}, u[1].data(), 1e-6f);
    assertArrayEquals(new float[] {0.6f, 0.8f}, u[2].data());
    assertEquals(1.0, s.number(Clip.CLIPPED));
    assertEquals(Math.sqrt(170), s.number(Clip.LAST_NORM), 1e-6);

    Tensor[] v = copies(m.values().toArray(new Tensor[0]));
    GradientTransformation tensor = Clip.perTensor(2);
    TransformState st = tensor.init(p);
    tensor.update(v, st, p, StepContext.at(0));
    assertArrayEquals(new float[] {3 * 0.4f, 4 * 0.4f}, v[0].data(), 1e-6f);
    assertArrayEquals(new float[] {2}, v[1].data(), 1e-6f);
    assertArrayEquals(new float[] {0.6f, 0.8f}, v[2].data());
    assertEquals(2.0, st.number(Clip.CLIPPED));
  }

  @Test
  void nonFiniteNormIsReportedAndNeverScalesTheFiniteGradients() {
    Tensor[] g = {Tensor.vector(1, 2), Tensor.vector(Float.NaN, 3)};
    Tensor[] orig = copies(g);
    for (GradientTransformation t :
        new GradientTransformation[] {
          Clip.byGlobalNorm(1),
          Clip.byValue(1),
          Clip.perLayer(1),
          Clip.adaptive(0.01),
          Clip.autoClip(10, 5),
          Clip.zScore()
        }) {
      Tensor[] u = copies(g);
      TransformState s = apply(t, u);
      assertTrue(u[0].bitEquals(orig[0]), t + " scaled a finite gradient");
      assertTrue(u[1].bitEquals(orig[1]), t.toString());
      assertEquals(1.0, s.number(Clip.NONFINITE), t.toString());
      assertEquals(1.0, s.number(Clip.NONFINITE_PARAM), t.toString());
      assertEquals(1.0, s.number(Clip.NONFINITE_COUNT), t.toString());
      assertTrue(Double.isNaN(s.number(Clip.LAST_NORM)), t.toString());
    }
  }

  @Test
  void nonFiniteNormRaisesNamingTheParameterWhenAsked() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("enc.weight", Tensor.vector(1, 2));
    m.put("dec.weight", Tensor.vector(Float.POSITIVE_INFINITY, 3));
    Params p = Params.named(m);
    GradientTransformation t = Clip.byGlobalNorm(1, 2, Clip.OnNonFinite.ERROR);
    TransformState s = t.init(p);
    Tensor[] u = copies(m.values().toArray(new Tensor[0]));
    NonFiniteGradientException e =
        assertThrows(NonFiniteGradientException.class, () -> t.update(u, s, p, StepContext.at(41)));
    assertEquals("dec.weight", e.parameter());
    assertEquals(41, e.step());
    assertTrue(e.getMessage().contains("dec.weight") && e.getMessage().contains("step 41"));
  }

  @Test
  void constructionValidatesNamingParameterAndValue() {
    assertMessage(
        "clipByGlobalNorm: maxNorm must be > 0 and finite, got 0", () -> Clip.byGlobalNorm(0));
    assertMessage(
        "clipByGlobalNorm: normType must be > 0 (or infinity), got -1",
        () -> Clip.byGlobalNorm(1, -1, Clip.OnNonFinite.REPORT));
    assertMessage(
        "clipByValue: clipValue must be > 0 and finite, got -0.5", () -> Clip.byValue(-0.5));
    assertMessage("adaptiveClip: clipping must be > 0 and finite, got 0", () -> Clip.adaptive(0));
    assertMessage(
        "autoClip: percentile must be in (0, 100], got 101", () -> Clip.autoClip(101, 10));
    assertMessage("autoClip: historySize must be > 0, got 0", () -> Clip.autoClip(10, 0));
    assertMessage("zScoreClip: alpha must be in (0, 1), got 1", () -> Clip.zScore(1, 2.5, 5));
    assertMessage(
        "clipPerLayer: threshold must be > 0 and finite, got NaN", () -> Clip.perLayer(Double.NaN));
  }

  static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(expected, e.getMessage());
  }
}
