package org.gradguard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.ModuleFiles;
import org.gradguard.nn.Residual;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code shown in the README, compiled and run so that it stays true. */
class ReadmeExamplesTest {
  /** README: "A deep residual MLP with batch norm, saved as safetensors". */
  static Sequential residualMlp(Rng rng, int depth, int width) {
    List<Module> layers = new ArrayList<>();
    layers.add(new Linear(784, width, rng));
    for (int i = 0; i < depth; i++) {
      layers.add(
          new Residual( // y = x + F(x)
              new Sequential(
                  new BatchNorm1d(width), Activation.relu(), new Linear(width, width, rng))));
    }
    layers.add(new Linear(width, 10, rng));
    return new Sequential(layers);
  }

  @Test
  void deepResidualMlpWithBatchNormSavesAndLoadsBitIdentically(@TempDir Path dir) throws Exception {
    Sequential model = residualMlp(new Rng(42), 10, 64);
    Path file = dir.resolve("resmlp.safetensors");
    ModuleFiles.save(model, file, Map.of("note", "10 residual blocks"));

    assertTrue(model.namedBuffers().containsKey("1.fn.0.running_mean"));
    Sequential twin = residualMlp(new Rng(7), 10, 64);
    ModuleFiles.load(twin, file, true);
    Tensor x = Tensor.randn(new Rng(1), 4, 784);
    model.eval();
    twin.eval();
    try (NoGrad.Scope s = NoGrad.enter()) {
      Tensor a = model.forward(Variable.constant(x)).value();
      Tensor b = twin.forward(Variable.constant(x)).value();
      assertTrue(a.bitEquals(b));
      assertEquals(4 * 10, a.numel());
    }
  }
}
