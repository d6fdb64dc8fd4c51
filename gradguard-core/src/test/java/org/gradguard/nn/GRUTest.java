package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.gradguard.autograd.MatrixOps;
import org.gradguard.autograd.RecurrentOps;
import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.Json;
import org.junit.jupiter.api.Test;

class GRUTest {
  private static Tensor filled(IntToDoubleFunction f, int... shape) {
    Tensor t = Tensor.zeros(shape);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) f.applyAsDouble(i);
    }
    return t;
  }

  private static void assertClose(List<?> expected, Tensor actual, String what) {
    assertEquals(expected.size(), actual.numel(), what);
    for (int i = 0; i < expected.size(); i++) {
      double e = ((Number) expected.get(i)).doubleValue();
      assertEquals(e, actual.data()[i], 2e-6 + 1e-5 * Math.abs(e), what + " " + i);
    }
  }

  /**
   * Values, output gradient and every input and parameter gradient against {@code torch.nn.GRU} in
   * float64 on the same numbers ({@code gru_pytorch.py} beside {@code gru_pytorch.json} makes them
   * from the formulas used here).
   */
  @Test
  void matchesPyTorchsGruValuesAndGradients() throws IOException {
    Map<String, Object> ref;
    try (InputStream in = GRUTest.class.getResourceAsStream("gru_pytorch.json")) {
      ref = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8), 1 << 20);
    }
    GRU gru = new GRU(3, 4, 2, true, new Rng(1));
    int k = 0;
    for (Parameter p : gru.parameters()) {
      int pk = k++;
      float[] d = p.value().data();
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (0.5 * Math.sin(0.7 * i + 1.3 * pk + 0.1));
      }
    }
    Variable x = Variable.leaf(filled(i -> Math.cos(0.3 * i), 5, 2, 3));
    Variable h0 = Variable.leaf(filled(i -> 0.2 * Math.sin(0.5 * i + 0.2), 2, 2, 4));
    GRU.Result r = gru.run(x, h0);
    assertArrayEquals(new int[] {5, 2, 4}, r.output().shape());
    assertArrayEquals(new int[] {2, 2, 4}, r.hN().shape());
    assertClose((List<?>) ref.get("output"), r.output().value(), "output");
    assertClose((List<?>) ref.get("hN"), r.hN().value(), "hN");

    Tensor u = filled(i -> Math.sin(0.11 * i + 0.3), 5, 2, 4);
    Tensor v = filled(i -> Math.cos(0.17 * i), 2, 2, 4);
    ShapeOps.concat(0, r.output().reshape(-1), r.hN().reshape(-1))
        .backward(Tensor.wrap(concat(u.data(), v.data()), 56));
    assertClose((List<?>) ref.get("grad_x"), x.grad(), "grad x");
    assertClose((List<?>) ref.get("grad_h0"), h0.grad(), "grad h0");
    for (Map.Entry<String, Parameter> e : gru.namedParameters().entrySet()) {
      assertClose(
          (List<?>) ref.get("grad_" + e.getKey()), e.getValue().grad(), "grad " + e.getKey());
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void parameterNamesShapesAndInitArePyTorchs() {
    GRU gru = new GRU(3, 9, 2, true, new Rng(1));
    Map<String, Parameter> p = gru.namedParameters();
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
    assertArrayEquals(new int[] {27, 3}, p.get("weight_ih_l0").shape());
    assertArrayEquals(new int[] {27, 9}, p.get("weight_hh_l0").shape());
    assertArrayEquals(new int[] {27, 9}, p.get("weight_ih_l1").shape());
    assertArrayEquals(new int[] {27}, p.get("bias_hh_l1").shape());
    for (Parameter q : gru.parameters()) {
      for (float w : q.value().data()) {
        assertTrue(Math.abs(w) <= 1 / 3.0, "uniform in ±1/√9, got " + w);
      }
    }
    assertEquals(
        List.of("weight_ih_l0", "weight_hh_l0"),
        List.copyOf(new GRU(3, 5, 1, false, new Rng(1)).namedParameters().keySet()));
    assertEquals(Module.Role.RECURRENT, gru.role());
  }

  @Test
  void forwardStartsFromAZeroState() {
    GRU gru = new GRU(2, 3, 2, true, new Rng(5));
    Tensor x = Tensor.randn(new Rng(6), 4, 2, 2);
    Variable out = gru.forward(Variable.constant(x));
    GRU.Result r = gru.run(Variable.constant(x), Variable.constant(Tensor.zeros(2, 2, 3)));
    assertArrayEquals(r.output().value().data(), out.value().data());
  }

  private static Variable all(GRU.Result r) {
    return ShapeOps.concat(0, r.output().reshape(-1), r.hN().reshape(-1));
  }

  @Test
  void gradcheckTwoLayersWithH0() {
    GRU gru = new GRU(3, 2, 2, true, new Rng(7));
    ParameterGradCheck.assertGradients(
        v -> all(gru.run(v[0], v[1])),
        gru.parameters(),
        Tensor.randn(new Rng(8), 5, 2, 3),
        Tensor.randn(new Rng(9), 2, 2, 2));
  }

  @Test
  void gradcheckWithoutBiasesOrInputGradient() {
    GRU gru = new GRU(2, 3, 1, false, new Rng(10));
    Variable x = Variable.constant(Tensor.randn(new Rng(11), 4, 2, 2));
    ParameterGradCheck.assertGradients(
        v -> all(gru.run(x, v[0])), gru.parameters(), Tensor.randn(new Rng(12), 1, 2, 3));
  }

  /** Sums over the steps taken in another order: float rounding, not a rule. */
  private static void assertGradClose(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.numel(), actual.numel(), what);
    for (int i = 0; i < expected.numel(); i++) {
      float e = expected.data()[i];
      assertEquals(e, actual.data()[i], 1e-5 + 1e-4 * Math.abs(e), what + " " + i);
    }
  }

  @Test
  void fusedLayerMatchesTheCellBuiltFromPrimitivesOverALongSequence() {
    // values and every gradient (input, h0, weights, both biases) against the per-step graph
    GRU gru = new GRU(3, 4, new Rng(18));
    Tensor xv = Tensor.randn(new Rng(19), 30, 2, 3);
    Tensor h0v = Tensor.randn(new Rng(20), 1, 2, 4);
    Tensor u = Tensor.randn(new Rng(22), 30 * 2 * 4);
    Variable x = Variable.leaf(xv.copy());
    Variable h0 = Variable.leaf(h0v.copy());
    Variable fused = gru.run(x, h0).output().reshape(-1);
    fused.backward(u);
    List<Parameter> p = gru.parameters();
    List<Tensor> fusedGrads = new java.util.ArrayList<>();
    for (Parameter q : p) {
      fusedGrads.add(q.grad().copy());
      q.zeroGrad();
    }
    Variable x2 = Variable.leaf(xv.copy());
    Variable h02 = Variable.leaf(h0v.copy());
    Variable h = h02.reshape(2, 4);
    Variable[] steps = new Variable[30];
    for (int t = 0; t < 30; t++) {
      Variable xt = ShapeOps.slice(x2, 0, t, t + 1, 1).reshape(2, 3);
      Variable a = MatrixOps.linear(xt, p.get(0), p.get(2));
      Variable b = MatrixOps.linear(h, p.get(1), p.get(3));
      Variable r = ShapeOps.slice(a, 1, 0, 4, 1).add(ShapeOps.slice(b, 1, 0, 4, 1)).sigmoid();
      Variable z = ShapeOps.slice(a, 1, 4, 8, 1).add(ShapeOps.slice(b, 1, 4, 8, 1)).sigmoid();
      Variable n = ShapeOps.slice(a, 1, 8, 12, 1).add(r.mul(ShapeOps.slice(b, 1, 8, 12, 1))).tanh();
      h = h.sub(n).mul(z).add(n);
      steps[t] = h;
    }
    Variable ref = ShapeOps.stack(0, steps).reshape(-1);
    ref.backward(u);
    for (int i = 0; i < ref.value().numel(); i++) {
      float e = ref.value().data()[i];
      assertEquals(e, fused.value().data()[i], 2e-6 + 1e-5 * Math.abs(e), "output " + i);
    }
    assertGradClose(x2.grad(), x.grad(), "input gradient");
    assertGradClose(h02.grad(), h0.grad(), "h0 gradient");
    for (int k = 0; k < p.size(); k++) {
      assertGradClose(p.get(k).grad(), fusedGrads.get(k), "gradient of parameter " + k);
    }
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void validatesConstructionAndShapes() {
    assertEquals(
        "GRU: hiddenSize must be > 0, got 0", error(() -> new GRU(3, 0, 1, true, new Rng(1))));
    GRU gru = new GRU(3, 4, new Rng(2));
    Variable x = Variable.constant(Tensor.zeros(5, 2, 3));
    String m = error(() -> gru.run(x, Variable.constant(Tensor.zeros(1, 3, 4))));
    assertTrue(m.contains("GRU: h0 must be [numLayers, N, H] = [1, 2, 4], got [1, 3, 4]"), m);
    m = error(() -> gru.run(Variable.constant(Tensor.zeros(5, 2, 4))));
    assertTrue(m.contains("GRU: input must be [T, N, 3]") && m.contains("[5, 2, 4]"), m);
    Variable w = Variable.constant(Tensor.zeros(8, 3));
    assertEquals(
        "gru: input [5, 2, 3] and weightIh [8, 3]: expected weightIh [3H, 3]",
        error(() -> RecurrentOps.gru(x, null, w, w, null, null)));
    Variable wih = Variable.constant(Tensor.zeros(12, 3));
    assertEquals(
        "gru: weightHh must be [12, 4], got [12, 3]",
        error(() -> RecurrentOps.gru(x, null, wih, wih, null, null)));
  }
}
