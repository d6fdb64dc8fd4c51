package org.gradguard.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LsuvTest {
  private static final int DEPTH = 10;
  private static final int WIDTH = 32;

  private static Sequential deepTanh(Rng rng) {
    return tanhMlp(DEPTH, rng);
  }

  private static Sequential tanhMlp(int depth, Rng rng) {
    List<Module> layers = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      layers.add(new Linear(WIDTH, WIDTH, rng));
      layers.add(Activation.tanh());
    }
    return new Sequential(layers);
  }

  /** The biased output variance of every Linear, by name, from one forward pass. */
  private static Map<String, Double> linearOutputVariances(Module model, Tensor batch) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<AutoCloseable> handles = new ArrayList<>();
    model
        .namedModules()
        .forEach(
            (name, m) -> {
              if (m instanceof Linear) {
                handles.add(
                    m.registerForwardHook(
                        (mod, in, o) ->
                            out.put(name, (double) o.value().variance(0, false).item())));
              }
            });
    try (NoGrad.Scope s = NoGrad.enter()) {
      model.forward(Variable.constant(batch));
    }
    handles.forEach(
        h -> {
          try {
            h.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return out;
  }

  @Test
  void bringsEveryLayerOfADeepTanhMlpToUnitVariance() {
    Sequential model = deepTanh(new Rng(1));
    Tensor batch = Tensor.randn(new Rng(2), 256, WIDTH);
    Map<String, Double> before = linearOutputVariances(model, batch);
    assertTrue(
        before.get("18") < 0.05,
        "the default init shrinks the signal to the bias floor: " + before.get("18"));

    Lsuv.Report report = Init.lsuv(model, batch, new Rng(3));

    assertEquals(DEPTH, report.layers().size());
    assertTrue(report.converged());
    Map<String, Double> after = linearOutputVariances(model, batch);
    for (Lsuv.LayerResult r : report.layers()) {
      assertTrue(r.iterations() <= Lsuv.DEFAULT_MAX_ITERATIONS, r.toString());
      assertTrue(Math.abs(r.finalVariance() - 1) < Lsuv.DEFAULT_TOLERANCE, r.toString());
      double measured = after.get(r.layer());
      assertTrue(Math.abs(measured - 1) < Lsuv.DEFAULT_TOLERANCE, r.layer() + ": " + measured);
      assertEquals(measured, r.finalVariance(), 1e-4, "the report tells the truth: " + r.layer());
    }
    assertEquals(
        List.of("0", "2", "4", "6", "8", "10", "12", "14", "16", "18"),
        report.layers().stream().map(Lsuv.LayerResult::layer).toList());
  }

  @Test
  void weightsStayOrthogonalUpToScale() {
    Sequential model = tanhMlp(3, new Rng(4));
    Init.lsuv(model, Tensor.randn(new Rng(5), 128, WIDTH), new Rng(6));
    Tensor w = ((Linear) model.get(4)).weight().value();
    Tensor gram = w.matmul(w, false, true);
    float c = gram.get(0, 0);
    for (int i = 0; i < WIDTH; i++) {
      for (int j = 0; j < WIDTH; j++) {
        assertEquals(i == j ? c : 0f, gram.get(i, j), 1e-5f * c);
      }
    }
  }

  @Test
  void stopsAtMaxIterationsAndSaysWhetherItConverged() {
    Sequential model = tanhMlp(4, new Rng(7));
    Lsuv.Report report =
        Lsuv.initialize(model, Tensor.randn(new Rng(8), 64, WIDTH), 1e-9, 2, new Rng(9));
    for (Lsuv.LayerResult r : report.layers()) {
      assertTrue(r.iterations() <= 2, r.toString());
      assertEquals(Math.abs(r.finalVariance() - 1) < 1e-9, r.converged(), r.toString());
    }
    assertFalse(report.converged(), "float rounding keeps some layer 1e-9 away from 1");
  }

  @Test
  void restoresTrainingModeAndIsDeterministic() {
    Sequential a = tanhMlp(4, new Rng(10));
    Sequential b = tanhMlp(4, new Rng(10));
    Tensor batch = Tensor.randn(new Rng(11), 64, WIDTH);
    a.train();
    Init.lsuv(a, batch, new Rng(12));
    Init.lsuv(b, batch, new Rng(12));
    assertTrue(a.isTraining());
    assertTrue(
        ((Linear) a.get(6)).weight().value().bitEquals(((Linear) b.get(6)).weight().value()));
  }

  @Test
  void rejectsBadSettingsAndZeroVariance() {
    Sequential model = tanhMlp(2, new Rng(13));
    Tensor batch = Tensor.randn(new Rng(14), 8, WIDTH);
    assertEquals(
        "Lsuv: tolerance must be in (0, 1), got 0.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> Lsuv.initialize(model, batch, 0, 10, new Rng(0)))
            .getMessage());
    assertEquals(
        "Lsuv: maxIterations must be >= 1, got 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> Lsuv.initialize(model, batch, 0.1, 0, new Rng(0)))
            .getMessage());
    assertEquals(
        "Lsuv: Sequential(tanh) has no module with a 'weight' parameter of rank >= 2",
        assertThrows(
                IllegalArgumentException.class,
                () -> Init.lsuv(new Sequential(Activation.tanh()), batch, new Rng(0)))
            .getMessage());
    Sequential noBias = new Sequential(new Linear(WIDTH, 4, false, new Rng(0)));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Init.lsuv(noBias, Tensor.zeros(8, WIDTH), new Rng(0)));
    assertEquals(
        "Lsuv: output variance of layer '0' is 0.0 after 0 rescalings; cannot rescale to unit"
            + " variance",
        e.getMessage());
  }
}
