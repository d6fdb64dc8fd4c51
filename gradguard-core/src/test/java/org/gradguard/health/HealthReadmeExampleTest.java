package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;
import org.gradguard.data.Batch;
import org.gradguard.data.DataLoader;
import org.gradguard.data.SyntheticTasks;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.Sequential;
import org.gradguard.optim.Optimizers;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The example of {@code docs/health.md} (the README's gradient-health section), run as written: a
 * 20-layer sigmoid MLP on two spirals, trained for 20 guarded steps, then diagnosed. The doc's text
 * is this test's output; the assertions pin its structure.
 */
class HealthReadmeExampleTest {
  static String runExample() {
    // --- begin example (docs/health.md)
    Rng rng = new Rng(42);
    List<Module> layers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      layers.add(new Linear(i == 0 ? 2 : 64, 64, rng)); // PyTorch's default init
      layers.add(Activation.sigmoid());
    }
    layers.add(new Linear(64, 2, rng));
    Sequential model = new Sequential(layers);

    Monitor monitor = Monitor.attach(model); // every step, default detectors
    TrainingStep train =
        TrainingStep.builder(model, Optimizers.sgd(0.1)).monitor(monitor).skipNonFinite(5).build();
    DataLoader loader = new DataLoader(SyntheticTasks.spirals(512, 2, 0.05, 7), 64, 7);
    for (int step = 0; step < 20; step++) {
      Batch b = loader.next();
      train.run(
          () -> LossOps.crossEntropy(model.forward(Variable.constant(b.inputs())), b.labels(), 0));
    }
    System.out.println(Diagnosis.of(monitor).toText());
    // --- end example
    return Diagnosis.of(monitor).toText();
  }

  @Test
  void theDocumentedDiagnosisIsWhatTheCodePrints() {
    String text = runExample();
    String[] lines = text.split("\n");
    assertEquals(
        "GradGuard diagnosis: 2 problems found (20 monitored steps, steps 0–19)", lines[0]);
    assertEquals("1. VANISHING GRADIENTS — critical", lines[2]);
    assertTrue(lines[3].startsWith("   Where: layers 0, 2, 4, 6, 8, 10, … "), lines[3]);
    assertTrue(lines[4].startsWith("   What:  step 0: '0' (layer 1 of 21) receives "), lines[4]);
    assertTrue(text.contains("   Why:   - saturating activations: sigmoid"), text);
    assertTrue(text.contains("   Try:   1. Initialization: sigmoid cannot be made critical"), text);
    assertTrue(text.contains("2. UPDATE:PARAMETER RATIO OUT OF RANGE — warning"), text);
    assertTrue(text.contains("- the vanishing gradient (see that finding)"), text);
    assertTrue(text.contains("Gradient norm by layer at step 19"), text);
  }
}
