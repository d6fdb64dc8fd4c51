package org.gradguard.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GainAndFansTest {
  @Test
  void gainsAreTorchs() {
    for (String unit :
        new String[] {
          "linear",
          "conv1d",
          "conv2d",
          "conv3d",
          "conv_transpose1d",
          "conv_transpose2d",
          "conv_transpose3d",
          "sigmoid"
        }) {
      assertEquals(1.0, Init.calculateGain(unit, null), unit);
    }
    assertEquals(5.0 / 3.0, Init.calculateGain("tanh", null));
    assertEquals(Math.sqrt(2), Init.calculateGain("relu", null));
    assertEquals(0.75, Init.calculateGain("selu", null));
    assertEquals(Math.sqrt(2 / 1.0001), Init.calculateGain("leaky_relu", null), 1e-15);
    assertEquals(Math.sqrt(2 / 1.04), Init.calculateGain("leaky_relu", 0.2), 1e-15);
    assertEquals(1.0, Init.calculateGain(Nonlinearity.LEAKY_RELU, 1.0), 1e-15);
    // The parameter is ignored by every nonlinearity but leaky_relu, as in PyTorch.
    assertEquals(Math.sqrt(2), Init.calculateGain(Nonlinearity.RELU, 0.5));
  }

  @Test
  void unknownNonlinearityListsTheValidNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish", null));
    assertEquals(
        "calculateGain: unsupported nonlinearity 'swish'; valid names are linear, conv1d, conv2d,"
            + " conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu,"
            + " leaky_relu, selu",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Init.calculateGain("leaky_relu", Double.NaN));
  }

  @Test
  void fansFollowTorchsLayout() {
    assertEquals(new Fans(20, 10), Init.fans(new int[] {10, 20}));
    assertEquals(new Fans(4 * 3, 6 * 3), Init.fans(new int[] {6, 4, 3}));
    assertEquals(new Fans(3 * 9, 8 * 9), Init.fans(new int[] {8, 3, 3, 3}));
    assertEquals(new Fans(3 * 8, 2 * 8), Init.fans(new int[] {2, 3, 2, 2, 2}));
    assertEquals(1.5, new Fans(1, 2).average());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Init.fans(new int[] {5}));
    assertEquals(
        "Init.fans: fan in and fan out need a tensor with at least 2 dimensions, got shape [5]",
        e.getMessage());
  }

  @Test
  void everyHyperParameterIsValidatedWithItsNameAndValue() {
    Tensor w = Tensor.zeros(4, 3);
    Rng r = new Rng(0);
    assertMessage("Init.uniform: a must be <= b, got a 1.0, b 0.0", () -> Init.uniform(w, 1, 0, r));
    assertMessage(
        "Init.normal: std must be finite and >= 0, got -1.0", () -> Init.normal(w, 0, -1, r));
    assertMessage(
        "Init.truncatedNormal: a must be < b, got a 2.0, b 2.0",
        () -> Init.truncatedNormal(w, 0, 1, 2, 2, r));
    assertMessage(
        "Init.truncatedNormal: std must be finite and > 0, got 0.0",
        () -> Init.truncatedNormal(w, 0, 0, -2, 2, r));
    assertMessage(
        "Init.xavierUniform: gain must be finite and > 0, got -1.0",
        () -> Init.xavierUniform(w, -1, r));
    assertMessage(
        "Init.orthogonal: gain must be finite and > 0, got NaN",
        () -> Init.orthogonal(w, Double.NaN, r));
    assertMessage(
        "Init.kaimingNormal: mode must be FAN_IN or FAN_OUT, got FAN_AVG",
        () -> Init.kaimingNormal(w, 0, FanMode.FAN_AVG, Nonlinearity.RELU, r));
    assertMessage(
        "Init.varianceScaling: scale must be finite and > 0, got 0.0",
        () -> Init.varianceScaling(w, 0, FanMode.FAN_IN, Distribution.NORMAL, r));
    assertMessage(
        "Init.orthogonal: only tensors with 2 or more dimensions are supported, got shape [4]",
        () -> Init.orthogonal(Tensor.zeros(4), r));
    assertMessage(
        "Init.fans: fan in and fan out need a tensor with at least 2 dimensions, got shape [4]",
        () -> Init.xavierNormal(Tensor.zeros(4), r));
  }

  @Test
  void scaleHelpersAreTheFormulas() {
    int[] conv = {8, 3, 3, 3}; // fanIn 27, fanOut 72
    assertEquals(0.5 * Math.sqrt(2.0 / 99), Init.xavierStd(conv, 0.5), 1e-16);
    assertEquals(
        Math.sqrt(2.0 / 27), Init.kaimingStd(conv, 0, FanMode.FAN_IN, Nonlinearity.RELU), 1e-16);
    assertEquals(
        (5.0 / 3) / Math.sqrt(72),
        Init.kaimingStd(conv, 0, FanMode.FAN_OUT, Nonlinearity.TANH),
        1e-16);
    assertEquals(1 / Math.sqrt(27), Init.pytorchDefaultBound(conv), 1e-16);
    assertEquals(0.0, Init.pytorchDefaultBound(new int[] {4, 0}));
    assertMessage(
        "Init.xavierStd: gain must be finite and > 0, got 0.0", () -> Init.xavierStd(conv, 0));
    assertMessage(
        "Init.kaimingStd: a must be finite, got Infinity",
        () ->
            Init.kaimingStd(
                conv, Double.POSITIVE_INFINITY, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU));
  }

  private static void assertMessage(String expected, Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }
}
