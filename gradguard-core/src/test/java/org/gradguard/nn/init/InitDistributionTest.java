package org.gradguard.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiFunction;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.SpecialFunctions;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Statistics of 200 000 draws from each initialiser against its formula (limits of 5 standard
 * errors, see {@link SampleStats}), bounds, and determinism for a seed.
 */
class InitDistributionTest {
  /** [out, in, kh, kw]: fanIn = 100·10 = 1000, fanOut = 200·10 = 2000, 200 000 elements. */
  private static final int[] CONV = {200, 100, 5, 2};

  /** [out, in]: fanIn 500, fanOut 400, 200 000 elements. */
  private static final int[] DENSE = {400, 500};

  private static SampleStats draw(int[] shape, long seed, BiFunction<Tensor, Rng, Tensor> init) {
    Tensor t = Tensor.full(Float.NaN, shape);
    Tensor r = init.apply(t, new Rng(seed));
    assertSame(t, r, "initialisers return the tensor they modify");
    return SampleStats.of(t);
  }

  @Test
  void uniformHasItsMomentsAndStaysInsideTheBounds() {
    SampleStats s = draw(DENSE, 1, (t, r) -> Init.uniform(t, -0.5, 1.5, r));
    s.assertMoments("uniform(-0.5, 1.5)", 0.5, 4.0 / 12);
    s.assertWithin("uniform(-0.5, 1.5)", -0.5, 1.5);
  }

  @Test
  void normalHasItsMoments() {
    draw(DENSE, 2, (t, r) -> Init.normal(t, -3, 0.25, r)).assertMoments("normal", -3, 0.0625);
  }

  @Test
  void xavierUniformUsesTheAverageFan() {
    double bound = 0.7 * Math.sqrt(6.0 / (1000 + 2000));
    SampleStats s = draw(CONV, 3, (t, r) -> Init.xavierUniform(t, 0.7, r));
    s.assertMoments("xavierUniform", 0, bound * bound / 3);
    s.assertWithin("xavierUniform", -bound, bound);
    assertTrue(s.max() > 0.999 * bound && s.min() < -0.999 * bound, "reaches its bounds");
  }

  @Test
  void xavierNormalUsesTheAverageFan() {
    double std = 1.3 * Math.sqrt(2.0 / (500 + 400));
    draw(DENSE, 4, (t, r) -> Init.xavierNormal(t, 1.3, r))
        .assertMoments("xavierNormal", 0, std * std);
  }

  @Test
  void kaimingUniformDefaultsToLeakyReluFanIn() {
    // a = 0 is the leaky slope, so the gain is √2 (not the 0.01-slope default of calculateGain).
    double bound = Math.sqrt(3.0) * Math.sqrt(2.0) / Math.sqrt(1000);
    SampleStats s = draw(CONV, 5, Init::kaimingUniform);
    s.assertMoments("kaimingUniform", 0, bound * bound / 3);
    s.assertWithin("kaimingUniform", -bound, bound);
  }

  @Test
  void kaimingUniformFanOutWithLeakySlope() {
    double gain = Math.sqrt(2.0 / (1 + 0.2 * 0.2));
    double bound = Math.sqrt(3.0) * gain / Math.sqrt(2000);
    SampleStats s =
        draw(
            CONV,
            6,
            (t, r) -> Init.kaimingUniform(t, 0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU, r));
    s.assertMoments("kaimingUniform fan_out", 0, bound * bound / 3);
    s.assertWithin("kaimingUniform fan_out", -bound, bound);
  }

  @Test
  void kaimingNormalReluFanIn() {
    double std = Math.sqrt(2.0) / Math.sqrt(500);
    draw(DENSE, 7, (t, r) -> Init.kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.RELU, r))
        .assertMoments("kaimingNormal relu", 0, std * std);
  }

  @Test
  void kaimingNormalTanhFanOutIgnoresA() {
    double std = (5.0 / 3.0) / Math.sqrt(2000);
    draw(CONV, 8, (t, r) -> Init.kaimingNormal(t, 123, FanMode.FAN_OUT, Nonlinearity.TANH, r))
        .assertMoments("kaimingNormal tanh", 0, std * std);
  }

  @Test
  void truncatedNormalMatchesTheTruncatedMoments() {
    checkTruncated(0.5, 2.0, -1.0, 4.0, 9);
    checkTruncated(0.0, 1.0, -2.0, 2.0, 10);
    // Far in the upper tail, where PyTorch's float32 inverse-CDF route degrades.
    checkTruncated(0.0, 1.0, 5.0, 6.0, 11);
    // Far in the lower tail, mirrored.
    checkTruncated(1.0, 0.5, -3.0, -1.0, 12);
  }

  private static void checkTruncated(double mu, double sigma, double a, double b, long seed) {
    double al = (a - mu) / sigma;
    double be = (b - mu) / sigma;
    double z;
    if (al > 0) { // upper tail: use the mirrored lower tail for an accurate mass
      z = SpecialFunctions.normalCdf(-al) - SpecialFunctions.normalCdf(-be);
    } else {
      z = SpecialFunctions.normalCdf(be) - SpecialFunctions.normalCdf(al);
    }
    double pa = SpecialFunctions.normalPdf(al);
    double pb = SpecialFunctions.normalPdf(be);
    double mean = mu + sigma * (pa - pb) / z;
    double var = sigma * sigma * (1 + (al * pa - be * pb) / z - Math.pow((pa - pb) / z, 2));
    String what = "truncatedNormal(" + mu + ", " + sigma + ", " + a + ", " + b + ")";
    SampleStats s = draw(DENSE, seed, (t, r) -> Init.truncatedNormal(t, mu, sigma, a, b, r));
    s.assertMoments(what, mean, var);
    s.assertWithin(what, a, b);
  }

  @Test
  void varianceScalingGivesScaleOverFanForEachDistribution() {
    // The mode only picks the fan, so each distribution is paired with one mode (3 draws, not 9).
    checkVarianceScaling(Distribution.NORMAL, FanMode.FAN_OUT, 2000, 13);
    checkVarianceScaling(Distribution.TRUNCATED_NORMAL, FanMode.FAN_AVG, 1500, 14);
    checkVarianceScaling(Distribution.UNIFORM, FanMode.FAN_IN, 1000, 15);
  }

  private static void checkVarianceScaling(Distribution d, FanMode mode, double fan, long seed) {
    double var = 1.7 / fan;
    SampleStats s = draw(CONV, seed, (t, r) -> Init.varianceScaling(t, 1.7, mode, d, r));
    String what = "varianceScaling(" + mode + ", " + d + ")";
    s.assertMoments(what, 0, var);
    double limit =
        switch (d) {
          case NORMAL -> Double.POSITIVE_INFINITY;
          case TRUNCATED_NORMAL -> 2 * Math.sqrt(var) / Init.TRUNCATED_NORMAL_STD;
          case UNIFORM -> Math.sqrt(3 * var);
        };
    s.assertWithin(what, -limit, limit);
  }

  @Test
  void truncatedNormalStdConstantIsTheStdOfTheTwoSigmaTruncation() {
    double p = SpecialFunctions.normalPdf(2);
    double z = 2 * SpecialFunctions.normalCdf(2) - 1;
    assertEquals(Math.sqrt(1 - 4 * p / z), Init.TRUNCATED_NORMAL_STD, 1e-15);
  }

  @Test
  void meanFieldVarianceIsVarianceScalingFanInNormal() {
    double sigmaW2 = 1.5;
    draw(
            DENSE,
            30,
            (t, r) -> Init.varianceScaling(t, sigmaW2, FanMode.FAN_IN, Distribution.NORMAL, r))
        .assertMoments("σw²/N", 0, sigmaW2 / 500);
  }

  @Test
  void constantsFillEveryElement() {
    Tensor t = Tensor.zeros(3, 4);
    assertTrue(Init.constant(t, 0.25).bitEquals(Tensor.full(0.25f, 3, 4)));
    assertTrue(Init.ones(t).bitEquals(Tensor.ones(3, 4)));
    assertTrue(Init.zeros(t).bitEquals(Tensor.zeros(3, 4)));
  }

  @Test
  void sameSeedSameNumbersOtherSeedOtherNumbers() {
    List<BiFunction<Tensor, Rng, Tensor>> inits =
        List.of(
            (t, r) -> Init.uniform(t, -1, 1, r),
            (t, r) -> Init.normal(t, 0, 1, r),
            (t, r) -> Init.truncatedNormal(t, 0, 1, -2, 2, r),
            Init::xavierUniform,
            Init::xavierNormal,
            Init::kaimingUniform,
            Init::kaimingNormal,
            Init::orthogonal,
            (t, r) ->
                Init.varianceScaling(t, 1, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL, r));
    for (int i = 0; i < inits.size(); i++) {
      Tensor a = inits.get(i).apply(Tensor.zeros(6, 5), new Rng(42));
      Tensor b = inits.get(i).apply(Tensor.zeros(6, 5), new Rng(42));
      Tensor c = inits.get(i).apply(Tensor.zeros(6, 5), new Rng(43));
      assertTrue(a.bitEquals(b), "initialiser " + i + " is deterministic");
      assertFalse(a.bitEquals(c), "initialiser " + i + " depends on the seed");
    }
  }

  @Test
  void emptyTensorsAreLeftAlone() {
    Tensor t = Tensor.zeros(0, 3);
    Init.kaimingUniform(t, new Rng(1));
    Init.xavierNormal(t, new Rng(1));
    Init.orthogonal(t, new Rng(1));
    Init.varianceScaling(t, 1, FanMode.FAN_IN, Distribution.NORMAL, new Rng(1));
    assertEquals(0, t.numel());
  }
}
