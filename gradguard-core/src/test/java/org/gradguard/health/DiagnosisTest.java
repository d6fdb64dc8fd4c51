package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.LSTM;
import org.gradguard.nn.LayerNorm;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.RNN;
import org.gradguard.nn.Residual;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.Json;
import org.junit.jupiter.api.Test;

/** Findings, causes and remedies, as text and as JSON. */
class DiagnosisTest {
  private static Monitor vanishingSigmoid() {
    Rng rng = new Rng(11);
    Sequential net = Nets.mlpDefaultInit(32, 64, 20, Activation::sigmoid, rng);
    Monitor m = Monitor.attach(net);
    Nets.probe(m, net, Tensor.randn(rng, 32, 32), Tensor.randn(rng, 32, 64), 0);
    return m;
  }

  @Test
  void vanishingSigmoidNetIsExplainedWithCausesAndRemedies() {
    Diagnosis d = Diagnosis.of(vanishingSigmoid());
    assertEquals(1, d.findings().size());
    Finding f = d.findings().get(0);
    assertEquals(EventType.VANISHING, f.type());
    assertEquals(Severity.CRITICAL, f.severity());
    assertEquals("0", f.layers().get(0));
    assertTrue(f.layers().stream().allMatch(l -> Integer.parseInt(l) % 2 == 0), "Linear layers");
    assertEquals(2, f.evidence().size(), "weight-gradient and backprop trends");
    assertTrue(f.causes().get(0).startsWith("saturating activations: sigmoid"));
    assertTrue(f.causes().get(1).contains("mean-field theory gives χ₁ = "), f.causes().get(1));
    assertTrue(f.causes().get(2).startsWith("depth without skip connections or normalization"));
    assertEquals(
        List.of(Remedy.INITIALIZATION, Remedy.NORMALIZATION, Remedy.RESIDUAL_CONNECTIONS),
        f.remedies().stream().map(Finding.Advice::remedy).toList());
    // the numbers behind the evidence, by signal
    assertTrue(f.numbers().get("depth.decay_per_layer") < 0.2);
    // theory and measurement agree: √χ₁ against the measured per-layer factor
    double chi = d.profile().chi1();
    assertEquals(Math.sqrt(chi), f.numbers().get("depth.decay_per_layer"), 0.03);

    String text = d.toText();
    assertTrue(text.startsWith("GradGuard diagnosis: 1 problem found (1 monitored step"), text);
    assertTrue(text.contains("1. VANISHING GRADIENTS — critical"), text);
    assertTrue(text.contains("   Where: layers 0, 2, 4, 6, 8, 10, … 34 ("), text);
    assertTrue(text.contains("   Try:   1. Initialization: "), text);
    assertTrue(text.contains("Gradient norm by layer at step 0"), text);
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonFollowsTheDocumentedSchema() {
    Diagnosis d = Diagnosis.of(vanishingSigmoid());
    Map<String, Object> root = Json.parseObject(d.toJson(), 10_000_000);
    assertEquals(
        List.of(
            "schema",
            "summary",
            "model",
            "layers",
            "statistics",
            "events",
            "event_summaries",
            "actions",
            "findings"),
        List.copyOf(root.keySet()));
    assertEquals("gradguard.health/1", root.get("schema"));
    Map<String, Object> model = (Map<String, Object>) root.get("model");
    assertEquals(20L, model.get("layers"));
    assertEquals(Map.of("sigmoid", 20L), model.get("activations"));
    List<Object> stats = (List<Object>) root.get("statistics");
    Map<String, Object> step0 = (Map<String, Object>) stats.get(0);
    assertEquals(20, ((List<Object>) step0.get("layers")).size());
    assertEquals(40, ((List<Object>) step0.get("parameters")).size());
    assertEquals(20, ((List<Object>) step0.get("activations")).size());
    Map<String, Object> layer0 = (Map<String, Object>) ((List<Object>) step0.get("layers")).get(0);
    assertEquals("NaN", layer0.get("update_ratio_log10"), "no update: NaN as a string");
    Map<String, Object> finding =
        (Map<String, Object>) ((List<Object>) root.get("findings")).get(0);
    assertEquals("VANISHING", finding.get("type"));
    Map<String, Object> remedy =
        (Map<String, Object>) ((List<Object>) finding.get("remedies")).get(0);
    assertEquals("INITIALIZATION", remedy.get("remedy"));
  }

  @Test
  void recurrentExplosionRecommendsClippingFirst() {
    Rng rng = new Rng(7);
    Nets.VanillaRnn rnn = new Nets.VanillaRnn(8, 64, rng);
    Nets.setNormal(rnn.hh, 4.0, 0, rng);
    Nets.setNormal(rnn.ih, 0.01, 0.0, rng);
    Monitor m = Monitor.attach(rnn);
    Nets.probe(m, rnn, Tensor.randn(rng, 100, 4, 8), Tensor.randn(rng, 4, 64), 0);
    Finding f =
        Diagnosis.of(m).findings().stream()
            .filter(x -> x.type() == EventType.EXPLODING)
            .findFirst()
            .orElseThrow();
    assertTrue(f.causes().get(0).startsWith("missing gradient clipping in a recurrent net"));
    assertEquals(Remedy.GRADIENT_CLIPPING, f.remedies().get(0).remedy());
  }

  @Test
  void findingsAreOrderedBySeverityAndNonFiniteAsksForGuards() {
    Sequential net = new Sequential(Activation.tanh());
    Monitor m = Monitor.attach(net);
    m.beginStep(0);
    net.forward(Variable.leaf(Tensor.of(new float[] {5f, -5f, 6f, 0f}, 2, 2)));
    m.observeGradients(1.0); // 3 of 4 saturated: a SATURATION warning
    m.endStep();
    m.beginStep(1);
    net.forward(Variable.leaf(Tensor.of(new float[] {Float.NaN, 0f, 0f, 0f}, 2, 2)));
    m.observeGradients(Double.NaN);
    m.endStep();
    Diagnosis d = Diagnosis.of(m);
    assertEquals(
        List.of(EventType.NON_FINITE, EventType.SATURATION),
        d.findings().stream().map(Finding::type).toList());
    Finding nf = d.findings().get(0);
    assertEquals(Remedy.GUARDS, nf.remedies().get(0).remedy());
    assertTrue(
        nf.causes()
            .contains("no guard skipped the step, so a single bad batch can poison the weights"));
    Map<String, Object> root = Json.parseObject(d.toJson(), 1_000_000);
    @SuppressWarnings("unchecked")
    Map<String, Object> s1 = (Map<String, Object>) ((List<?>) root.get("statistics")).get(1);
    assertEquals("NaN", s1.get("loss"));
  }

  @Test
  void healthyRunSaysSo() {
    Rng rng = new Rng(3);
    Sequential net = Nets.mlp(8, 16, 3, Activation::tanh, 1.0, 0.0, rng);
    Monitor m = Monitor.attach(net);
    Nets.probe(m, net, Tensor.randn(rng, 4, 8), Tensor.randn(rng, 4, 16), 0);
    Diagnosis d = Diagnosis.of(m);
    assertTrue(d.healthy());
    assertEquals(
        "GradGuard diagnosis: no problems found (1 monitored step, steps 0–0)\n", d.toText());
  }

  @Test
  void profileRecognisesResidualAndNormalizationLayers() {
    Rng rng = new Rng(4);
    Sequential plain = Nets.mlp(8, 16, 10, Activation::relu, 2.0, 0.0, rng);
    ModelProfile p = ModelProfile.of(plain);
    assertFalse(p.residual() || p.normalization());
    assertEquals(10, p.layers());
    assertEquals(2.0, p.sigmaW2(), 0.3);
    assertEquals(1.0, p.chi1(), 0.15);
    Sequential fancy =
        new Sequential(
            new Linear(8, 16, rng),
            new Residual(
                new Sequential(new BatchNorm1d(16), Activation.relu(), new Linear(16, 16, rng))));
    ModelProfile q = ModelProfile.of(fancy);
    assertTrue(q.residual());
    assertTrue(q.normalization());
    assertFalse(q.recurrent());
    assertEquals(Activation.Kind.RELU, q.dominantActivation());
  }

  /** A module of the user's own; its name suggests a structure its role does not declare. */
  private static final class NormalizingSkipBlock extends Module {
    private final Module.Role role;
    private final Linear inner;

    NormalizingSkipBlock(Module.Role role, Rng rng) {
      this.role = role;
      this.inner = registerModule("inner", new Linear(16, 16, rng));
    }

    @Override
    public Module.Role role() {
      return role;
    }

    @Override
    protected Variable compute(Variable x) {
      return inner.forward(x);
    }
  }

  @Test
  void profileGoesByTheRoleEachModuleDeclaresNotItsName() {
    Rng rng = new Rng(5);
    ModelProfile named =
        ModelProfile.of(new Sequential(new NormalizingSkipBlock(Module.Role.NONE, rng)));
    assertFalse(named.residual() || named.normalization() || named.recurrent());
    ModelProfile declared =
        ModelProfile.of(new Sequential(new NormalizingSkipBlock(Module.Role.RESIDUAL, rng)));
    assertTrue(declared.residual());
    assertFalse(declared.normalization());
    assertTrue(ModelProfile.of(new Sequential(new LayerNorm(16))).normalization());
    assertTrue(ModelProfile.of(new Sequential(new RNN(2, 4, rng))).recurrent());
    assertTrue(ModelProfile.of(new Sequential(new LSTM(2, 4, rng))).recurrent());
  }
}
