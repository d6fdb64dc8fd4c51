package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LSTMTest {
  private static void assertClose(double[] expected, Tensor actual, String what) {
    assertEquals(expected.length, actual.numel(), what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.data()[i], 2e-6 + 1e-5 * Math.abs(expected[i]), what + i);
    }
  }

  @Test
  void parameterNamesShapesAndOrderArePyTorchs() {
    LSTM lstm = new LSTM(3, 5, 2, true, new Rng(1));
    Map<String, Parameter> p = lstm.namedParameters();
    assertEquals(
        List.of(
            "weight_ih_l0",
            "weight_hh_l0",
            "bias_ih_l0",
            "bias_hh_l0",
            "weight_ih_l1",
            "weight_hh_l1",
            "bias_ih_l1",
            "bias_hh_l1"),
        List.copyOf(p.keySet()));
    assertArrayEquals(new int[] {20, 3}, p.get("weight_ih_l0").shape());
    assertArrayEquals(new int[] {20, 5}, p.get("weight_hh_l0").shape());
    assertArrayEquals(new int[] {20, 5}, p.get("weight_ih_l1").shape());
    assertArrayEquals(new int[] {20}, p.get("bias_ih_l0").shape());
    assertEquals(
        List.of("weight_ih_l0", "weight_hh_l0"),
        List.copyOf(new LSTM(3, 5, 1, false, new Rng(1)).namedParameters().keySet()));
  }

  @Test
  void stateDictKeysArePyTorchsAndLoadStrictly() {
    Sequential model = new Sequential(new LSTM(3, 4, 2, true, new Rng(1)));
    Map<String, Tensor> state = StateDict.of(model);
    assertEquals(
        List.of(
            "0.weight_ih_l0",
            "0.weight_hh_l0",
            "0.bias_ih_l0",
            "0.bias_hh_l0",
            "0.weight_ih_l1",
            "0.weight_hh_l1",
            "0.bias_ih_l1",
            "0.bias_hh_l1"),
        List.copyOf(state.keySet()));
    Sequential other = new Sequential(new LSTM(3, 4, 2, true, new Rng(2)));
    StateDict.LoadResult r = StateDict.load(other, StateDict.snapshot(model), true);
    assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), r.toString());
    assertTrue(
        model
            .namedParameters()
            .get("0.weight_hh_l1")
            .value()
            .bitEquals(other.namedParameters().get("0.weight_hh_l1").value()));
  }

  @Test
  void defaultInitIsUniformWithinOneOverSqrtHidden() {
    LSTM lstm = new LSTM(10, 9, 1, true, new Rng(2));
    double bound = 1 / 3.0;
    float max = 0;
    for (Parameter p : lstm.parameters()) {
      for (float v : p.value().data()) {
        assertTrue(Math.abs(v) <= bound, "value " + v + " outside ±" + bound);
        max = Math.max(max, Math.abs(v));
      }
    }
    assertTrue(max > 0.95 * bound, "the draws should reach near the bound, max " + max);
  }

  @Test
  void matchesTheCellEquationsInDoublePrecision() {
    Rng rng = new Rng(3);
    for (int layers : new int[] {1, 2, 3}) {
      for (boolean bias : new boolean[] {true, false}) {
        LSTM lstm = new LSTM(3, 4, layers, bias, new Rng(4));
        Tensor x = Tensor.randn(rng, 5, 2, 3);
        Tensor h0 = Tensor.randn(rng, layers, 2, 4);
        Tensor c0 = Tensor.randn(rng, layers, 2, 4);
        LSTM.Result r =
            lstm.run(Variable.constant(x), Variable.constant(h0), Variable.constant(c0));
        double[][] ref = NaiveRecurrence.run(lstm, layers, true, false, x, h0, c0);
        String what = "layers " + layers + " bias " + bias + ": ";
        assertArrayEquals(new int[] {5, 2, 4}, r.output().shape());
        assertArrayEquals(new int[] {layers, 2, 4}, r.cN().shape());
        assertClose(ref[0], r.output().value(), what + "out ");
        assertClose(ref[1], r.hN().value(), what + "hN ");
        assertClose(ref[2], r.cN().value(), what + "cN ");
      }
    }
  }

  @Test
  void forwardStartsFromZeroStates() {
    LSTM lstm = new LSTM(2, 3, 2, true, new Rng(5));
    Tensor x = Tensor.randn(new Rng(6), 4, 2, 2);
    Variable out = lstm.forward(Variable.constant(x));
    double[][] ref = NaiveRecurrence.run(lstm, 2, true, false, x, null, null);
    assertClose(ref[0], out.value(), "out ");
    Tensor zeros = Tensor.zeros(2, 2, 3);
    LSTM.Result r =
        lstm.run(Variable.constant(x), Variable.constant(zeros), Variable.constant(zeros));
    assertArrayEquals(out.value().data(), r.output().value().data());
  }

  private static Variable all(LSTM.Result r) {
    return ShapeOps.concat(0, r.output().reshape(-1), r.hN().reshape(-1), r.cN().reshape(-1));
  }

  @Test
  void gradcheckOverSeveralStepsWithH0AndC0() {
    LSTM lstm = new LSTM(3, 2, new Rng(7));
    ParameterGradCheck.assertGradients(
        v -> all(lstm.run(v[0], v[1], v[2])),
        lstm.parameters(),
        Tensor.randn(new Rng(8), 5, 2, 3),
        Tensor.randn(new Rng(9), 1, 2, 2),
        Tensor.randn(new Rng(10), 1, 2, 2));
  }

  @Test
  void gradcheckTwoLayers() {
    LSTM lstm = new LSTM(2, 3, 2, true, new Rng(11));
    ParameterGradCheck.assertGradients(
        v -> all(lstm.run(v[0], v[1], v[2])),
        lstm.parameters(),
        Tensor.randn(new Rng(12), 4, 2, 2),
        Tensor.randn(new Rng(13), 2, 2, 3),
        Tensor.randn(new Rng(14), 2, 2, 3));
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void validatesConstructionAndShapes() {
    assertEquals(
        "LSTM: hiddenSize must be > 0, got 0", error(() -> new LSTM(3, 0, 1, true, new Rng(1))));
    assertEquals(
        "LSTM: numLayers must be > 0, got -2", error(() -> new LSTM(3, 2, -2, true, new Rng(1))));
    LSTM lstm = new LSTM(3, 4, new Rng(15));
    Variable x = Variable.constant(Tensor.zeros(5, 2, 3));
    Variable ok = Variable.constant(Tensor.zeros(1, 2, 4));
    String m = error(() -> lstm.run(x, ok, Variable.constant(Tensor.zeros(1, 3, 4))));
    assertTrue(m.contains("LSTM: c0 must be [numLayers, N, H] = [1, 2, 4], got [1, 3, 4]"), m);
    m = error(() -> lstm.run(Variable.constant(Tensor.zeros(5, 2, 4)), ok, ok));
    assertTrue(m.contains("LSTM: input must be [T, N, 3]") && m.contains("[5, 2, 4]"), m);
  }
}
