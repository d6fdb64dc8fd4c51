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

  @Test
  void gradcheckTwoLayersWithoutInputGradientOrBiases() {
    LSTM lstm = new LSTM(3, 2, 2, false, new Rng(15));
    Variable x = Variable.constant(Tensor.randn(new Rng(16), 5, 2, 3));
    ParameterGradCheck.assertGradients(
        v -> all(lstm.run(x, v[0], null)), lstm.parameters(), Tensor.randn(new Rng(17), 2, 2, 2));
  }

  @Test
  void fusedLayerMatchesTheCellBuiltFromPrimitivesOverALongSequence() {
    // values and every gradient (input, h0, c0, weights; output and cN) against the per-step graph
    LSTM lstm = new LSTM(3, 4, new Rng(18));
    Tensor xv = Tensor.randn(new Rng(19), 30, 2, 3);
    Tensor h0v = Tensor.randn(new Rng(20), 1, 2, 4);
    Tensor c0v = Tensor.randn(new Rng(21), 1, 2, 4);
    Tensor u = Tensor.randn(new Rng(22), 30 * 2 * 4 + 2 * 4);
    Variable x = Variable.leaf(xv.copy());
    Variable h0 = Variable.leaf(h0v.copy());
    Variable c0 = Variable.leaf(c0v.copy());
    LSTM.Result r = lstm.run(x, h0, c0);
    Variable fused = ShapeOps.concat(0, r.output().reshape(-1), r.cN().reshape(-1));
    fused.backward(u);
    List<Parameter> p = lstm.parameters();
    List<Tensor> fusedGrads = new java.util.ArrayList<>();
    for (Parameter q : p) {
      fusedGrads.add(q.grad().copy());
      q.zeroGrad();
    }
    Variable x2 = Variable.leaf(xv.copy());
    Variable h02 = Variable.leaf(h0v.copy());
    Variable c02 = Variable.leaf(c0v.copy());
    Variable h = h02;
    Variable c = c02;
    Variable[] steps = new Variable[30];
    for (int t = 0; t < 30; t++) {
      Variable z =
          org.gradguard.autograd.MatrixOps.linear(
                  ShapeOps.slice(x2, 0, t, t + 1, 1), p.get(0), p.get(2))
              .add(org.gradguard.autograd.MatrixOps.linear(h, p.get(1), p.get(3)));
      Variable i = ShapeOps.slice(z, 2, 0, 4, 1).sigmoid();
      Variable f = ShapeOps.slice(z, 2, 4, 8, 1).sigmoid();
      Variable g = ShapeOps.slice(z, 2, 8, 12, 1).tanh();
      Variable o = ShapeOps.slice(z, 2, 12, 16, 1).sigmoid();
      c = f.mul(c).add(i.mul(g));
      h = o.mul(c.tanh());
      steps[t] = h;
    }
    Variable ref = ShapeOps.concat(0, ShapeOps.concat(0, steps).reshape(-1), c.reshape(-1));
    ref.backward(u);
    assertClose(ref.value().toDoubleArray(), fused.value(), "output and cN");
    assertGradClose(x2.grad(), x.grad(), "input gradient");
    assertGradClose(h02.grad(), h0.grad(), "h0 gradient");
    assertGradClose(c02.grad(), c0.grad(), "c0 gradient");
    for (int k = 0; k < p.size(); k++) {
      assertGradClose(p.get(k).grad(), fusedGrads.get(k), "gradient of parameter " + k);
    }
  }

  /** Sums over the steps taken in another order: float rounding, not a rule. */
  private static void assertGradClose(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.numel(), actual.numel(), what);
    for (int i = 0; i < expected.numel(); i++) {
      float e = expected.data()[i];
      assertEquals(e, actual.data()[i], 1e-5 + 1e-4 * Math.abs(e), what + i);
    }
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
