package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.RNN.Nonlinearity;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RNNTest {
  private static void assertClose(double[] expected, Tensor actual, String what) {
    assertEquals(expected.length, actual.numel(), what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.data()[i], 2e-6 + 1e-5 * Math.abs(expected[i]), what + i);
    }
  }

  @Test
  void parameterNamesShapesAndOrderArePyTorchs() {
    RNN rnn = new RNN(3, 5, 2, Nonlinearity.TANH, true, new Rng(1));
    Map<String, Parameter> p = rnn.namedParameters();
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
    assertArrayEquals(new int[] {5, 3}, p.get("weight_ih_l0").shape());
    assertArrayEquals(new int[] {5, 5}, p.get("weight_hh_l0").shape());
    assertArrayEquals(new int[] {5, 5}, p.get("weight_ih_l1").shape());
    assertArrayEquals(new int[] {5}, p.get("bias_hh_l1").shape());
    RNN noBias = new RNN(3, 5, 2, Nonlinearity.RELU, false, new Rng(1));
    assertEquals(
        List.of("weight_ih_l0", "weight_hh_l0", "weight_ih_l1", "weight_hh_l1"),
        List.copyOf(noBias.namedParameters().keySet()));
    Sequential model = new Sequential(new RNN(3, 5, new Rng(2)));
    assertTrue(model.namedParameters().containsKey("0.weight_ih_l0"));
  }

  @Test
  void defaultInitIsUniformWithinOneOverSqrtHidden() {
    RNN rnn = new RNN(20, 16, 2, Nonlinearity.TANH, true, new Rng(3));
    double bound = 1 / Math.sqrt(16);
    float max = 0;
    for (Parameter p : rnn.parameters()) {
      for (float v : p.value().data()) {
        assertTrue(Math.abs(v) <= bound, "value " + v + " outside ±" + bound);
        max = Math.max(max, Math.abs(v));
      }
    }
    assertTrue(max > 0.95 * bound, "the draws should reach near the bound, max " + max);
  }

  @Test
  void matchesTheRecurrenceInDoublePrecision() {
    Rng rng = new Rng(4);
    for (Nonlinearity nl : Nonlinearity.values()) {
      for (int layers : new int[] {1, 2}) {
        for (boolean bias : new boolean[] {true, false}) {
          RNN rnn = new RNN(3, 4, layers, nl, bias, new Rng(5));
          Tensor x = Tensor.randn(rng, 6, 2, 3);
          Tensor h0 = Tensor.randn(rng, layers, 2, 4);
          RNN.Result r = rnn.run(Variable.constant(x), Variable.constant(h0));
          double[][] ref =
              NaiveRecurrence.run(rnn, layers, false, nl == Nonlinearity.RELU, x, h0, null);
          String what = nl + " layers " + layers + " bias " + bias + ": ";
          assertArrayEquals(new int[] {6, 2, 4}, r.output().shape());
          assertArrayEquals(new int[] {layers, 2, 4}, r.hN().shape());
          assertClose(ref[0], r.output().value(), what + "out ");
          assertClose(ref[1], r.hN().value(), what + "hN ");
        }
      }
    }
  }

  @Test
  void forwardStartsFromZeroStatesAndHnIsTheLastOutput() {
    RNN rnn = new RNN(2, 3, new Rng(6));
    Tensor x = Tensor.randn(new Rng(7), 4, 2, 2);
    Variable out = rnn.forward(Variable.constant(x));
    RNN.Result r = rnn.run(Variable.constant(x), Variable.constant(Tensor.zeros(1, 2, 3)));
    assertArrayEquals(r.output().value().data(), out.value().data());
    assertArrayEquals(out.value().slice(0, 3, 4).data(), r.hN().value().data());
    RNN.Result single = rnn.run(Variable.constant(x.slice(0, 0, 1)));
    assertSame(single.output(), single.hN(), "for T = 1 the output is h_1 = h_n");
  }

  /** loss over out and h_n together, as the golden vectors' protocol. */
  private static Variable all(RNN.Result r) {
    return ShapeOps.concat(0, r.output().reshape(-1), r.hN().reshape(-1));
  }

  @Test
  void gradcheckOverSeveralStepsWithH0() {
    RNN rnn = new RNN(3, 4, new Rng(8));
    ParameterGradCheck.assertGradients(
        v -> all(rnn.run(v[0], v[1])),
        rnn.parameters(),
        Tensor.randn(new Rng(9), 5, 2, 3),
        Tensor.randn(new Rng(10), 1, 2, 4));
  }

  @Test
  void gradcheckReluTwoLayers() {
    // With these seeds and biases raised by 0.3, 16 of the 48 pre-activations are negative and
    // none lies within 0.2 of ReLU's kink, far beyond what a finite-difference step moves them.
    RNN rnn = new RNN(2, 3, 2, Nonlinearity.RELU, true, new Rng(17));
    for (Parameter p : rnn.parameters()) {
      if (p.shape().length == 1) {
        p.value().addInPlace(Tensor.scalar(0.3f));
      }
    }
    ParameterGradCheck.assertGradients(
        v -> all(rnn.run(v[0], v[1])),
        rnn.parameters(),
        Tensor.randn(new Rng(12), 4, 2, 2),
        Tensor.rand(new Rng(13), 2, 2, 3));
  }

  @Test
  void gradcheckTwoLayersTanhWithoutBias() {
    RNN rnn = new RNN(2, 3, 2, Nonlinearity.TANH, false, new Rng(14));
    ParameterGradCheck.assertGradients(
        v -> all(rnn.run(v[0], v[1])),
        rnn.parameters(),
        Tensor.randn(new Rng(15), 4, 3, 2),
        Tensor.randn(new Rng(16), 2, 3, 3));
  }

  @Test
  void gradcheckTwoLayersOverSixStepsWithoutInputGradient() {
    RNN rnn = new RNN(3, 4, 2, Nonlinearity.TANH, true, new Rng(21));
    Variable x = Variable.constant(Tensor.randn(new Rng(22), 6, 2, 3));
    ParameterGradCheck.assertGradients(
        v -> all(rnn.run(x, v[0])), rnn.parameters(), Tensor.randn(new Rng(23), 2, 2, 4));
    // and from zero states, the input the only leaf besides the parameters
    ParameterGradCheck.assertGradients(
        v -> all(rnn.run(v[0])), rnn.parameters(), Tensor.randn(new Rng(24), 6, 2, 3));
  }

  @Test
  void fusedLayerMatchesTheRecurrenceBuiltFromPrimitivesOverALongSequence() {
    // a narrow input (its weight gradient summed directly) and a wide one (a GEMM)
    fusedMatchesPrimitives(2);
    fusedMatchesPrimitives(11);
  }

  private static void fusedMatchesPrimitives(int inputSize) {
    // values and every gradient (input, h0, weights) against the per-step graph of linear + tanh
    RNN rnn = new RNN(inputSize, 5, new Rng(25));
    Tensor xv = Tensor.randn(new Rng(26), 40, 3, inputSize);
    Tensor h0v = Tensor.randn(new Rng(27), 1, 3, 5);
    Variable x = Variable.leaf(xv.copy());
    Variable h0 = Variable.leaf(h0v.copy());
    Tensor u = Tensor.randn(new Rng(28), 40, 3, 5);
    Variable out = rnn.run(x, h0).output();
    out.backward(u);
    List<Tensor> fused = new java.util.ArrayList<>();
    for (Parameter p : rnn.parameters()) {
      fused.add(p.grad().copy());
      p.zeroGrad();
    }
    Variable x2 = Variable.leaf(xv.copy());
    Variable state = Variable.leaf(h0v.copy());
    Variable h02 = state;
    List<Parameter> p = rnn.parameters();
    Variable[] steps = new Variable[40];
    for (int t = 0; t < 40; t++) {
      Variable xt = ShapeOps.slice(x2, 0, t, t + 1, 1);
      state =
          org.gradguard.autograd.MatrixOps.linear(xt, p.get(0), p.get(2))
              .add(org.gradguard.autograd.MatrixOps.linear(state, p.get(1), p.get(3)))
              .tanh();
      steps[t] = state;
    }
    Variable ref = ShapeOps.concat(0, steps);
    ref.backward(u);
    assertClose(ref.value().toDoubleArray(), out.value(), "output");
    // gradients are sums over 40 steps taken in another order: float rounding, not a rule
    assertGradClose(x2.grad(), x.grad(), "input gradient");
    assertGradClose(h02.grad(), h0.grad(), "h0 gradient");
    for (int k = 0; k < p.size(); k++) {
      assertGradClose(p.get(k).grad(), fused.get(k), "gradient of parameter " + k);
    }
  }

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
    Rng rng = new Rng(17);
    assertEquals(
        "RNN: hiddenSize must be > 0, got 0",
        error(() -> new RNN(3, 0, 1, Nonlinearity.TANH, true, rng)));
    assertEquals(
        "RNN: inputSize must be > 0, got -1",
        error(() -> new RNN(-1, 2, 1, Nonlinearity.TANH, true, rng)));
    assertEquals(
        "RNN: numLayers must be > 0, got 0",
        error(() -> new RNN(3, 2, 0, Nonlinearity.TANH, true, rng)));
    assertTrue(error(() -> new RNN(3, 2, 1, null, true, rng)).contains("nonlinearity"));
    RNN rnn = new RNN(3, 4, 2, Nonlinearity.TANH, true, rng);
    String m = error(() -> rnn.run(Variable.constant(Tensor.zeros(5, 2, 7))));
    assertTrue(m.contains("RNN: input must be [T, N, 3]") && m.contains("[5, 2, 7]"), m);
    m = error(() -> rnn.forward(Variable.constant(Tensor.zeros(2, 3))));
    assertTrue(m.contains("[2, 3]"), m);
    m =
        error(
            () ->
                rnn.run(
                    Variable.constant(Tensor.zeros(5, 2, 3)),
                    Variable.constant(Tensor.zeros(1, 2, 4))));
    assertTrue(m.contains("h0 must be [numLayers, N, H] = [2, 2, 4], got [1, 2, 4]"), m);
  }
}
