package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.RNN;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The classic pathologies at initialization, each found by the default detectors from one monitored
 * forward/backward pass (fixed seeds).
 */
class PathologyTest {
  private static List<HealthEvent> eventsOf(Monitor m, EventType type) {
    return m.log().events().stream().filter(e -> e.type() == type).toList();
  }

  @Test
  void deepSigmoidMlpHasVanishingGradientsInItsEarlyLayers() {
    Rng rng = new Rng(11);
    Sequential net = Nets.mlpDefaultInit(32, 64, 20, Activation::sigmoid, rng);
    Monitor m = Monitor.attach(net);
    Nets.probe(m, net, Tensor.randn(rng, 32, 32), Tensor.randn(rng, 32, 64), 0);

    HealthEvent depth =
        eventsOf(m, EventType.VANISHING).stream()
            .filter(e -> e.signal().equals("depth"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no VANISHING/depth: " + m.log().events()));
    // the first Linear layers are named, the last one is not
    assertTrue(depth.layers().containsAll(List.of("0", "2", "4")), depth.layers().toString());
    assertFalse(depth.layers().contains("38"), depth.layers().toString());
    assertTrue(depth.number("decay_per_layer") < 0.5, depth.toString());
    assertTrue(depth.number("measured_ratio") < 1e-6, depth.toString());
    assertEquals(Severity.CRITICAL, depth.severity());
    assertTrue(depth.message().startsWith("'0' (layer 1 of 20) receives "), depth.message());
    assertTrue(eventsOf(m, EventType.EXPLODING).isEmpty(), m.log().events().toString());
  }

  @Test
  void deepReluMlpWithSigmaW2Of3Explodes() {
    Rng rng = new Rng(12);
    Sequential net = Nets.mlp(32, 64, 30, Activation::relu, 3.0, 0.0, rng);
    Monitor m = Monitor.attach(net);
    Nets.probe(m, net, Tensor.randn(rng, 32, 32), Tensor.randn(rng, 32, 64), 0);

    HealthEvent e =
        eventsOf(m, EventType.EXPLODING).stream()
            .findFirst()
            .orElseThrow(() -> new AssertionError("no EXPLODING: " + m.log().events()));
    assertEquals("backprop", e.signal());
    // mean field: ‖δ‖² grows ×χ₁ = σw²/2 = 1.5 per layer, so the norm ×√1.5 ≈ 1.22
    assertEquals(Math.sqrt(MeanField.reluChi1(3.0, 0)), e.number("growth_per_layer"), 0.05);
    assertTrue(e.number("fitted_ratio") >= 100, e.toString());
    assertTrue(e.layers().contains("1"), "the first activation is involved: " + e.layers());
    assertTrue(eventsOf(m, EventType.VANISHING).isEmpty(), m.log().events().toString());
  }

  @Test
  void theSameMlpWithHeInitializationHasNoFinding() {
    Rng rng = new Rng(12);
    Sequential net = Nets.mlp(32, 64, 30, Activation::relu, 2.0, 0.0, rng);
    Monitor m = Monitor.attach(net);
    StepStats s = Nets.probe(m, net, Tensor.randn(rng, 32, 32), Tensor.randn(rng, 32, 64), 0);

    assertTrue(m.log().events().isEmpty(), m.log().events().toString());
    assertTrue(Diagnosis.of(m).findings().isEmpty(), Diagnosis.of(m).toText());
    // and the gradient really is level: the backprop trend is within a factor 10 end to end
    Trend t = GradientFlow.backprop(s, 4);
    assertTrue(t.fittedRatio() > 0.1 && t.fittedRatio() < 10, "ratio " + t.fittedRatio());
  }

  @Test
  void vanillaRnnWithSpectralRadiusAboveOneExplodes() {
    Rng rng = new Rng(7);
    RNN rnn = new RNN(8, 64, rng); // torch.nn.RNN(8, 64): tanh, biases
    Map<String, Parameter> p = rnn.namedParameters();
    // circular law: W_hh ~ N(0, 4/64) has spectral radius ≈ 2; weak input drive, no biases
    p.get("weight_hh_l0")
        .value()
        .copyFromInPlace(Tensor.normal(rng, 0, Math.sqrt(4.0 / 64), 64, 64));
    p.get("weight_ih_l0").value().copyFromInPlace(Tensor.normal(rng, 0, 0.1 / Math.sqrt(8), 64, 8));
    p.get("bias_ih_l0").value().fillInPlace(0f);
    p.get("bias_hh_l0").value().fillInPlace(0f);
    double rho = Nets.spectralRadius(p.get("weight_hh_l0").value(), rng);
    assertTrue(rho > 1.5, "spectral radius " + rho);
    Monitor m = Monitor.attach(rnn);
    m.beginStep(0);
    // the input requires a gradient (as it does behind an embedding), so the monitor sees
    // ∂loss/∂x_t
    Variable x = Variable.leaf(Tensor.randn(rng, 100, 4, 8));
    Variable last = rnn.forward(x).slice(0, 99, 100).reshape(4, 64);
    Nets.projection(last, Tensor.randn(rng, 4, 64)).backward();
    StepStats s = m.observeGradients(0);
    m.endStep();

    assertEquals(100, s.sequences().get(0).steps());
    HealthEvent e =
        eventsOf(m, EventType.EXPLODING).stream()
            .filter(x2 -> x2.signal().equals("time"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no EXPLODING/time: " + m.log().events()));
    assertEquals(List.of("(root)"), e.layers());
    assertTrue(e.number("growth_per_step") > 1.05, e.toString());
    assertTrue(e.number("fitted_ratio") >= 100, e.toString());
    assertTrue(e.message().contains("through the 100 time steps of RNN layer"), e.message());
  }

  @Test
  void rnnBuiltFromLayersExplodesBackThroughTime() {
    Rng rng = new Rng(7);
    Nets.VanillaRnn rnn = new Nets.VanillaRnn(8, 64, rng);
    Nets.setNormal(rnn.hh, 4.0, 0, rng); // circular law: spectral radius ≈ √4 = 2
    Nets.setNormal(rnn.ih, 0.01, 0.0, rng); // weak input drive
    double rho = Nets.spectralRadius(rnn.hh.weight().value(), rng);
    assertTrue(rho > 1.5, "spectral radius " + rho);
    Monitor m = Monitor.attach(rnn);
    Nets.probe(m, rnn, Tensor.randn(rng, 100, 4, 8), Tensor.randn(rng, 4, 64), 0);

    HealthEvent e =
        eventsOf(m, EventType.EXPLODING).stream()
            .filter(x -> x.signal().equals("time"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no EXPLODING/time: " + m.log().events()));
    assertEquals(List.of("act"), e.layers());
    assertEquals(100.0, e.number("steps"));
    assertTrue(e.number("growth_per_step") > 1.05, e.toString());
    assertTrue(e.message().contains("through the 100 calls of recurrent layer 'act'"), e.message());
  }
}
