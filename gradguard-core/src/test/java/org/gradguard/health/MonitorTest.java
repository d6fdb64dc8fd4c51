package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.GRU;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The monitor's statistics against naive computations, and its step protocol. */
class MonitorTest {
  /**
   * Relative agreement of norms and means with a double computation: the vector scans sum float
   * blocks, within {@code VectorScans.BLOCK·2⁻²⁴ ≈ 6·10⁻⁵} of a sum of magnitudes (PyTorch takes
   * these norms in float32 throughout).
   */
  private static final double SUMS = VectorScans.BLOCK * 0x1p-24;

  private static Sequential smallNet(Rng rng) {
    return new Sequential(
        new Linear(3, 5, rng), Activation.tanh(), new Linear(5, 4, rng), Activation.relu());
  }

  private static double norm(Tensor t) {
    double s = 0;
    for (float v : t.data()) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  private static double meanAbs(Tensor t) {
    double s = 0;
    for (float v : t.data()) {
      s += Math.abs(v);
    }
    return s / t.numel();
  }

  @Test
  void parameterAndLayerStatisticsMatchNaiveComputation() {
    Rng rng = new Rng(1);
    Sequential net = smallNet(rng);
    Monitor m = Monitor.builder(net).detectors(List.of()).build();
    StepStats s = Nets.probe(m, net, Tensor.randn(rng, 6, 3), Tensor.randn(rng, 6, 4), 0);

    List<Parameter> ps = net.parameters();
    assertEquals(4, s.parameters().size());
    double total = 0;
    for (int i = 0; i < ps.size(); i++) {
      ParameterStats p = s.parameters().get(i);
      Tensor g = ps.get(i).grad();
      assertEquals(norm(g), p.gradNorm(), SUMS * Math.abs(norm(g)));
      float maxAbs = 0;
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float v : g.data()) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertEquals(maxAbs, p.gradMaxAbs());
      assertEquals(min, p.gradFiniteMin());
      assertEquals(max, p.gradFiniteMax());
      assertEquals(0, p.nonFinite());
      assertEquals(
          norm(ps.get(i).value()), p.paramNorm(), SUMS * Math.abs(norm(ps.get(i).value())));
      assertEquals(
          meanAbs(ps.get(i).value()),
          p.paramMeanAbs(),
          SUMS * Math.abs(meanAbs(ps.get(i).value())));
      assertTrue(Double.isNaN(p.updateRatio()), "update unknown before observeUpdates");
      total += norm(g) * norm(g);
    }
    assertEquals(Math.sqrt(total), s.globalGradNorm(), SUMS * Math.abs(Math.sqrt(total)));
    assertEquals(List.of("0", "2"), s.layers().stream().map(LayerStats::layer).toList());
    LayerStats first = s.layers().get(0);
    assertEquals(List.of("0.weight", "0.bias"), first.parameters());
    assertEquals(20, first.numel());
    double l0 = Math.hypot(norm(ps.get(0).grad()), norm(ps.get(1).grad()));
    assertEquals(l0, first.gradNorm(), SUMS * Math.abs(l0));
  }

  @Test
  void activationStatisticsMatchNaiveComputation() {
    Rng rng = new Rng(2);
    Sequential net = smallNet(rng);
    List<Tensor> outputs = new ArrayList<>();
    net.get(1).registerForwardHook((mod, in, out) -> outputs.add(out.value()));
    net.get(3).registerForwardHook((mod, in, out) -> outputs.add(out.value()));
    List<Tensor> grads = new ArrayList<>();
    net.get(3)
        .registerForwardHook(
            (mod, in, out) ->
                out.registerHook(
                    g -> {
                      grads.add(g);
                      return g;
                    }));
    Monitor m = Monitor.builder(net).detectors(List.of()).build();
    StepStats s = Nets.probe(m, net, Tensor.randn(rng, 8, 3).mul(3f), Tensor.randn(rng, 8, 4), 0);

    ActivationStats tanh = s.activations().get(0);
    ActivationStats relu = s.activations().get(1);
    assertEquals("1", tanh.layer());
    assertEquals(0, tanh.order());
    assertEquals(1, relu.order());
    Tensor y = outputs.get(0);
    assertEquals(y.mean().item(), tanh.mean(), 1e-6);
    assertEquals(Math.sqrt(y.variance(0, false).item()), tanh.std(), 1e-6);
    long sat = 0;
    for (float v : y.data()) {
      sat += Math.abs(v) >= 0.99f ? 1 : 0;
    }
    assertEquals((double) sat / y.numel(), tanh.fractionSaturated());
    assertTrue(Double.isNaN(tanh.fractionDead()));
    Tensor r = outputs.get(1);
    int dead = 0;
    for (int j = 0; j < 4; j++) {
      boolean active = false;
      for (int n = 0; n < 8; n++) {
        active |= r.get(n, j) > 0;
      }
      dead += active ? 0 : 1;
    }
    assertEquals(dead / 4.0, relu.fractionDead());
    assertTrue(Double.isNaN(relu.fractionSaturated()));
    assertEquals(1, relu.outputGradNorms().size());
    assertEquals(
        norm(grads.get(0)), relu.outputGradNorms().get(0), SUMS * Math.abs(norm(grads.get(0))));
  }

  @Test
  void saturationAndDeadUnitsAreCountedExactly() {
    // one tanh layer fed hand-picked values: 2 of 6 outputs beyond ±0.99 (|x| ≥ atanh(0.99) ≈ 2.65)
    Activation tanh = Activation.tanh();
    Monitor m = Monitor.builder(tanh).detectors(List.of()).build();
    m.beginStep(0);
    tanh.forward(Variable.leaf(Tensor.of(new float[] {0f, 3f, -0.5f, 1f, -4f, 2f}, 2, 3)));
    StepStats s = m.observeGradients(0);
    assertEquals(2.0 / 6, s.activations().get(0).fractionSaturated(), 1e-12);
    m.endStep();
    // a ReLU on [N=2, C=3, 2]: channel 1 is ≤ 0 everywhere, channel 0 fires once
    Activation relu = Activation.relu();
    Monitor m2 = Monitor.builder(relu).detectors(List.of()).build();
    m2.beginStep(0);
    float[] x = {1f, -1f, -2f, -3f, 5f, 0f, -1f, -1f, -2f, 0f, -1f, -2f};
    relu.forward(Variable.leaf(Tensor.of(x, 2, 3, 2)));
    assertEquals(1.0 / 3, m2.observeGradients(0).activations().get(0).fractionDead(), 1e-12);
  }

  @Test
  void deadChannelsMatchANaiveCountOverManyShapes() {
    // [N, C, H, W] outputs, mostly dead: a channel fires rarely, sometimes only in its last example
    // at its last position, or only in a second call of the same step
    Rng rng = new Rng(11);
    int[][] shapes = {{1, 1, 1, 1}, {2, 3, 1, 5}, {4, 7, 3, 3}, {3, 16, 5, 2}, {5, 9, 4, 4}};
    for (int[] shape : shapes) {
      Activation relu = Activation.relu();
      Monitor m = Monitor.builder(relu).detectors(List.of()).build();
      m.beginStep(0);
      int channels = shape[1];
      int inner = shape[2] * shape[3];
      boolean[] fired = new boolean[channels];
      for (int call = 0; call < 2; call++) {
        Tensor x = Tensor.randn(rng, shape).add(-2.5f); // about 0.6% of entries positive
        float[] d = x.data();
        int last = d.length - 1 - rng.nextInt(inner); // the last example's last channel
        d[last] = 1f;
        for (int i = 0; i < d.length; i++) {
          if (d[i] > 0) {
            fired[(i / inner) % channels] = true;
          }
        }
        relu.forward(Variable.leaf(x));
      }
      int dead = 0;
      for (boolean f : fired) {
        dead += f ? 0 : 1;
      }
      double got = m.observeGradients(0).activations().get(0).fractionDead();
      assertEquals((double) dead / channels, got, 0.0, java.util.Arrays.toString(shape));
      m.endStep();
    }
  }

  @Test
  void updatesGiveDl4jUpdateRatios() {
    Rng rng = new Rng(3);
    Sequential net = smallNet(rng);
    Monitor m = Monitor.builder(net).detectors(List.of()).build();
    m.beginStep(0);
    Nets.projection(net.forward(Variable.constant(Tensor.randn(rng, 4, 3))), Tensor.ones(4, 4))
        .backward();
    m.observeGradients(1.5);
    List<Tensor> updates = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      updates.add(p.grad().mul(-0.01f));
    }
    m.observeUpdates(updates);
    StepStats s = m.endStep();
    for (int i = 0; i < updates.size(); i++) {
      ParameterStats p = s.parameters().get(i);
      double expected =
          Math.log10(meanAbs(updates.get(i)) / meanAbs(net.parameters().get(i).value()));
      assertEquals(expected, p.updateRatio(), 1e-9);
      assertEquals(norm(updates.get(i)), p.updateNorm(), 1e-9);
    }
    LayerStats l = s.layers().get(1);
    double sumU = meanAbs(updates.get(2)) * 20 + meanAbs(updates.get(3)) * 4;
    double sumP =
        meanAbs(net.parameters().get(2).value()) * 20
            + meanAbs(net.parameters().get(3).value()) * 4;
    assertEquals(Math.log10(sumU / sumP), l.updateRatio(), 1e-9);
    assertEquals(s, m.log().latest());
  }

  @Test
  void nonFiniteGradientsAreCountedAndNamed() {
    Rng rng = new Rng(4);
    Sequential net = smallNet(rng);
    Monitor m = Monitor.attach(net);
    m.beginStep(7);
    Nets.projection(net.forward(Variable.constant(Tensor.randn(rng, 4, 3))), Tensor.ones(4, 4))
        .backward();
    Tensor g = net.parameters().get(2).grad(); // 2.weight: the first non-finite in depth order
    g.data()[0] = Float.NaN;
    g.data()[3] = Float.POSITIVE_INFINITY;
    net.parameters().get(3).grad().data()[1] = Float.NEGATIVE_INFINITY;
    Tensor before = g.copy();
    StepStats s = m.observeGradients(0.5);
    assertTrue(g.bitEquals(before), "the monitor does not modify gradients");
    ParameterStats p = s.parameters().get(2);
    assertEquals(2, p.nonFinite());
    assertTrue(Double.isNaN(p.gradNorm()));
    assertTrue(Double.isNaN(s.globalGradNorm()));
    assertEquals(3, s.nonFiniteGradients());
    HealthEvent e = m.currentEvents().get(0);
    assertEquals(EventType.NON_FINITE, e.type());
    assertEquals(Severity.CRITICAL, e.severity());
    assertEquals(7, e.step());
    assertEquals(List.of("2"), e.layers());
    assertEquals(2.0, e.number("first_count"));
    assertEquals(3.0, e.number("non_finite_total"));
    assertEquals(2.0, e.number("parameters_affected"));
    assertEquals(p.gradFiniteMin(), e.number("first_finite_min"));
    assertTrue(
        e.message().startsWith("the gradient of 2.weight (the first parameter"), e.message());
  }

  @Test
  void nonFiniteActivationIsNamedInForwardOrder() {
    Sequential net = new Sequential(Activation.sigmoid(), Activation.tanh(), Activation.relu());
    Monitor m = Monitor.attach(net);
    m.beginStep(0);
    net.forward(Variable.leaf(Tensor.of(new float[] {Float.NaN, 1f}, 1, 2)));
    m.observeGradients(Double.NaN);
    HealthEvent e = m.currentEvents().get(0);
    assertEquals(List.of("0"), e.layers());
    assertTrue(e.message().contains("first activation output to go non-finite is 0 (sigmoid"));
  }

  @Test
  void onlyEveryKthStepIsMeasuredAndHooksStayQuietOtherwise() {
    Rng rng = new Rng(5);
    Sequential net = smallNet(rng);
    List<Long> seen = new ArrayList<>();
    Monitor m =
        Monitor.builder(net)
            .every(3)
            .listener(
                new HealthListener() {
                  @Override
                  public void onStats(StepStats s) {
                    seen.add(s.step());
                  }
                })
            .build();
    for (long step = 0; step < 7; step++) {
      StepStats s = Nets.probe(m, net, Tensor.randn(rng, 2, 3), Tensor.randn(rng, 2, 4), step);
      if (step % 3 != 0) {
        assertNull(s);
      } else {
        assertEquals(1, s.activations().get(0).calls(), "probes reset each monitored step");
      }
    }
    assertEquals(List.of(0L, 3L, 6L), seen);
    assertEquals(3, m.log().monitoredSteps());
    m.close();
    m.beginStep(9);
    net.forward(Variable.constant(Tensor.randn(rng, 2, 3)));
    assertTrue(m.observeGradients(0).activations().isEmpty(), "hooks removed by close()");
  }

  @Test
  void logKeepsTheLatestRecordsButEverySummary() {
    Rng rng = new Rng(6);
    Sequential net = smallNet(rng);
    Monitor m = Monitor.builder(net).statsCapacity(2).eventCapacity(1).build();
    for (long step = 0; step < 4; step++) {
      m.beginStep(step);
      m.observeGradients(Double.NaN); // no backward: loss NaN → a NON_FINITE event every step
      m.endStep();
    }
    assertEquals(List.of(2L, 3L), m.log().stats().stream().map(StepStats::step).toList());
    assertEquals(4, m.log().monitoredSteps());
    assertEquals(1, m.log().events().size());
    HealthLog.EventSummary sum = m.log().summaries().get(0);
    assertEquals(4, sum.count());
    assertEquals(0, sum.firstStep());
    assertEquals(3, sum.lastStep());
    assertEquals(0, sum.first().step());
  }

  @Test
  void protocolAndSettingsAreValidated() {
    Sequential net = smallNet(new Rng(7));
    var e =
        assertThrows(IllegalArgumentException.class, () -> Monitor.builder(net).every(0).build());
    assertEquals("Monitor: every must be >= 1, got 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Monitor.builder(net).saturationTolerance(0.5).build());
    assertEquals("Monitor: saturationTolerance must be in (0, 0.5), got 0.5", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Monitor.builder(net).statsCapacity(0).build());
    assertEquals("HealthLog: statsCapacity must be >= 1, got 0", e.getMessage());
    Monitor m = Monitor.attach(net);
    var s = assertThrows(IllegalStateException.class, () -> m.observeGradients(0));
    assertEquals("Monitor.observeGradients: call beginStep(step) first", s.getMessage());
    m.beginStep(0);
    s = assertThrows(IllegalStateException.class, () -> m.observeUpdates(List.of()));
    assertEquals("Monitor.observeUpdates: call observeGradients first (step 0)", s.getMessage());
  }

  @Test
  void aGruInputsGradientIsMeasuredAtEveryTimeStep() {
    Rng rng = new Rng(3);
    GRU gru = new GRU(3, 5, 2, true, rng);
    Monitor m = Monitor.attach(gru);
    m.beginStep(0);
    Variable x = Variable.leaf(Tensor.randn(rng, 6, 2, 3)); // as behind an embedding
    gru.forward(x).sum().backward();
    StepStats s = m.observeGradients(0);
    m.endStep();
    assertEquals(1, s.sequences().size());
    SequenceStats q = s.sequences().get(0);
    assertEquals("GRU", q.module());
    assertEquals(6, q.steps());
    for (int t = 0; t < 6; t++) {
      float[] g = x.grad().data();
      double sq = 0;
      for (int i = t * 6; i < (t + 1) * 6; i++) {
        sq += (double) g[i] * g[i];
      }
      assertEquals(Math.sqrt(sq), q.inputGradNorms().get(t), 1e-6, "time step " + t);
    }
  }
}
