package org.gradguard.golden;

import org.gradguard.nn.init.FanMode;
import org.gradguard.nn.init.Fans;
import org.gradguard.nn.init.Init;
import org.gradguard.nn.init.Nonlinearity;

/**
 * Golden kinds of {@code org.gradguard.nn.init}: {@code calculate_gain} and {@code fan_in_fan_out},
 * both computed in double through the library's own functions.
 */
final class InitGoldenKinds {
  private InitGoldenKinds() {}

  static void register(GoldenKinds r) {
    r.register("calculate_gain", InitGoldenKinds::calculateGain);
    r.register("fan_in_fan_out", InitGoldenKinds::fanInFanOut);
  }

  private static GoldenResult calculateGain(GoldenCase c) {
    Double param = c.paramIsNull("param") ? null : c.paramDouble("param");
    double gain = Init.calculateGain(c.paramString("nonlinearity"), param);
    return GoldenResult.builder().output("gain", new double[] {gain}).build();
  }

  private static GoldenResult fanInFanOut(GoldenCase c) {
    int[] shape = c.paramIntList("shape");
    Fans f = Init.fans(shape);
    double sqrt3 = Math.sqrt(3.0);
    double kaimingStd = Init.kaimingStd(shape, 0.0, FanMode.FAN_IN, Nonlinearity.RELU);
    return GoldenResult.builder()
        .output("fan_in", new double[] {f.fanIn()})
        .output("fan_out", new double[] {f.fanOut()})
        .output("xavier_uniform_bound", new double[] {sqrt3 * Init.xavierStd(shape, 1.0)})
        .output("xavier_normal_std", new double[] {Init.xavierStd(shape, 1.0)})
        .output("kaiming_uniform_relu_fan_in_bound", new double[] {sqrt3 * kaimingStd})
        .output("kaiming_normal_relu_fan_in_std", new double[] {kaimingStd})
        .output("default_weight_bound", new double[] {Init.pytorchDefaultBound(shape)})
        .build();
  }
}
