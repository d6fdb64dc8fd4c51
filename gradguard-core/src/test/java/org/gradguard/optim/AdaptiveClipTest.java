package org.gradguard.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** AGC, AutoClip and ZClip against sequences computed by hand. */
class AdaptiveClipTest {

  @Test
  void agcClipsEachOutputRowRelativeToItsWeightRow() {
    Tensor w = Tensor.of(new float[] {3, 4, 0, 0}, 2, 2); // row norms 5 and 0 (→ eps 1e-3)
    Tensor b = Tensor.vector(1); // 1-D: one unit, norm 1
    Tensor k = Tensor.of(new float[] {1, 0, 0, 2}, 2, 1, 2, 1); // conv [out, in, kh, kw]: rows 1, 2
    Params p = Params.of(w, b, k);
    Tensor[] g = {
      Tensor.of(new float[] {30, 40, 0.001f, 0}, 2, 2),
      Tensor.vector(0.05f),
      Tensor.of(new float[] {0.05f, 0, 3, 4}, 2, 1, 2, 1)
    };
    GradientTransformation agc = Clip.adaptive(0.1);
    TransformState s = agc.init(p);
    agc.update(g, s, p, StepContext.at(0));
    // row 0: max 0.1·5 = 0.5 < 50 → ×0.01; row 1: max 0.1·1e-3 = 1e-4 < 1e-3 → ×0.1
    assertArrayEquals(new float[] {0.3f, 0.4f, 1e-4f, 0}, g[0].data(), 1e-7f);
    assertArrayEquals(new float[] {0.05f}, g[1].data()); // 0.05 ≤ 0.1·1
    // conv row 0: 0.05 ≤ 0.1 unchanged; row 1: max 0.1·2 = 0.2 < 5 → ×0.04
    assertArrayEquals(new float[] {0.05f, 0, 0.12f, 0.16f}, g[2].data(), 1e-7f);
    assertEquals(3.0, s.number(Clip.CLIPPED));
    assertEquals(0.1, s.number(Clip.THRESHOLD));
    assertArrayEquals(new float[] {3, 4, 0, 0}, w.data(), "weights are read, not modified");
  }

  private static double step(GradientTransformation t, TransformState s, Params p, float... g) {
    Tensor[] u = {Tensor.vector(g)};
    t.update(u, s, p, StepContext.at(0));
    return Clip.globalNorm(2, u);
  }

  @Test
  void autoClipUsesThePercentileOfABoundedHistory() {
    Params p = Params.of(Tensor.zeros(2));
    GradientTransformation t = Clip.autoClip(50, 3);
    TransformState s = t.init(p);
    // norm 5; history [5]; threshold 5 → coefficient 5/(5 + 1e-6), as AutoClip's clip_grad_norm_
    assertEquals(5 * 5 / (5 + 1e-6), step(t, s, p, 3, 4), 1e-6);
    assertEquals(5.0, s.number(Clip.THRESHOLD), 1e-6);
    // norm 1; history [5, 1]; median 3 → unchanged
    assertEquals(1.0, step(t, s, p, 0.6f, 0.8f), 1e-6);
    assertEquals(3.0, s.number(Clip.THRESHOLD), 1e-6);
    assertEquals(0.0, s.number(Clip.CLIPPED));
    // norm 10; history [5, 1, 10]; median 5 → clipped to 5
    assertEquals(5.0, step(t, s, p, 6, 8), 1e-5);
    assertEquals(10.0, s.number(Clip.LAST_NORM), 1e-6);
    // norm 2 replaces the oldest (5): history [2, 1, 10]; median 2
    assertEquals(2.0, step(t, s, p, 1.2f, 1.6f), 1e-5);
    assertEquals(2.0, s.number(Clip.THRESHOLD), 1e-6);
    // norm 20 replaces 1: history [2, 20, 10]; median 10 (unbounded it would be 5)
    assertEquals(10.0, step(t, s, p, 12, 16), 1e-5);
    assertEquals(10.0, s.number(Clip.THRESHOLD), 1e-5);
    assertEquals(3.0, s.number("history_len"));
    assertEquals(4.0, s.number(Clip.CLIP_COUNT));
  }

  @Test
  void autoClipPercentileInterpolatesLikeNumpy() {
    // numpy.percentile([1, 2, 4, 8], 10) = 1 + 0.3·(2 − 1) = 1.3
    assertEquals(1.3, AdaptiveClippers.AutoClip.percentile(new float[] {8, 1, 4, 2}, 10), 1e-12);
    assertEquals(8.0, AdaptiveClippers.AutoClip.percentile(new float[] {8, 1, 4, 2}, 100));
  }

  @Test
  void zClipWarmsUpThenClipsSpikesAgainstItsEmaStatistics() {
    Params p = Params.of(Tensor.zeros(1));
    GradientTransformation t = Clip.zScore(0.5, 2.0, 3);
    TransformState s = t.init(p);
    assertEquals(1.0, step(t, s, p, 1), 0);
    assertEquals(2.0, step(t, s, p, -2), 0); // the norm is |g|
    assertEquals(30.0, step(t, s, p, 30), 0); // warm-up never clips
    s = t.init(p);
    step(t, s, p, 1);
    step(t, s, p, 2);
    step(t, s, p, 3);
    assertEquals(2.0, s.number("mean"), 1e-12);
    assertEquals(2.0 / 3, s.number("var"), 1e-12);
    assertEquals(0.0, s.number(Clip.CLIP_COUNT));
    // z = 0.5/(sqrt(2/3) + 1e-6) = 0.61237 < 2: kept; mean 2.25, var 0.36458333
    assertEquals(2.5, step(t, s, p, 2.5f), 0);
    assertEquals(0.6123716856967131, s.number("z"), 1e-12);
    assertEquals(2.25, s.number("mean"), 1e-12);
    assertEquals(0.3645833333333333, s.number("var"), 1e-12);
    // spike 10: z = 12.8352, threshold 2.25 + 4·0.603807/12.8352 = 2.438172; mean and var
    // then absorb the threshold, not the spike.
    assertEquals(2.4381721108360526, step(t, s, p, 10), 1e-6);
    assertEquals(12.835198146660135, s.number("z"), 1e-9);
    assertEquals(2.4381723546532634, s.number(Clip.THRESHOLD), 1e-12);
    assertEquals(2.3440861773266315, s.number("mean"), 1e-12);
    assertEquals(0.18671777104863588, s.number("var"), 1e-12);
    assertEquals(1.0, s.number(Clip.CLIP_COUNT));
    assertEquals(10.0, s.number(Clip.LAST_NORM));
  }

  @Test
  void zClipSkipsNonFiniteNormsInItsStatistics() {
    Params p = Params.of(Tensor.zeros(1));
    GradientTransformation t = Clip.zScore(0.5, 2.0, 2);
    TransformState s = t.init(p);
    step(t, s, p, 1);
    step(t, s, p, Float.NaN);
    step(t, s, p, 3);
    assertEquals(2.0, s.number("count"));
    assertEquals(2.0, s.number("mean"), 1e-12);
    assertTrue(s.number(Clip.NONFINITE) == 0 && s.number(Clip.NONFINITE_COUNT) == 1);
  }
}
