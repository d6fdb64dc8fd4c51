package org.gradguard.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The README's remedies snippet — a schedule with warm-up, clipping by global norm and decoupled
 * weight decay, chained with Adam's scaling (i.e. AdamW) — compiled and run. Keep the block between
 * the markers identical to the README.
 */
class ReadmeRemediesExampleTest {

  @Test
  void warmupClippingAndWeightDecayChainedWithAdamW() {
    Rng rng = new Rng(42);
    Tensor xs = Tensor.randn(rng, 64, 4);
    Tensor ys = xs.matmul(Tensor.of(new float[] {1, -2, 0.5f, 3}, 4, 1)).tanh();
    Variable x = Variable.constant(xs);
    Variable y = Variable.constant(ys);
    double first = Double.NaN;

    // --- README: remedies ---
    Sequential model =
        new Sequential(new Linear(4, 16, rng), Activation.tanh(), new Linear(16, 1, rng));
    int steps = 200;
    int warmup = 20;
    double peak = 1e-2;

    // 1. Learning-rate schedule: linear warm-up from 1% of the peak, then cosine decay.
    Schedule lr =
        Schedule.sequential(
            List.of(
                Schedule.linear(peak, 0.01, 1.0, warmup),
                Schedule.cosineAnnealing(peak, steps - warmup, 0.0)),
            warmup);

    // 2. Clip the raw gradients by global norm, 3. then AdamW: Adam's scaling, decoupled weight
    // decay (weights only, not biases), and the scheduled learning rate — in this order.
    GradientTransformation adamw =
        Transforms.chain(
            Clip.byGlobalNorm(1.0),
            Transforms.scaleByAdam(0.9, 0.999, 1e-8, false),
            Transforms.addDecayedWeights(1e-4, ParamMask.weightsOnly()),
            Transforms.scaleByLearningRate(lr));

    Optimizer opt = Optimizer.of(adamw, model);
    for (int step = 0; step < steps; step++) {
      opt.zeroGrad();
      Variable loss = LossOps.mse(model.forward(x), y);
      loss.backward();
      opt.step(loss.item());
      double preClipNorm = opt.state().child(0).number(Clip.LAST_NORM); // what the clip measured
      // --- end README ---
      assertTrue(Double.isFinite(preClipNorm) && preClipNorm > 0);
      if (step == 0) {
        first = loss.item();
      }
      assertEquals(lr.at(step), opt.state().child(3).number("lr"), 1e-15);
    }
    assertEquals(1e-4, lr.at(0), 1e-15);
    assertEquals(peak, lr.at(warmup), 1e-15);
    assertEquals(steps, opt.stepCount());
    double fin = LossOps.mse(model.forward(x), y).item();
    assertTrue(fin < 0.1 * first, "loss " + first + " → " + fin);
  }
}
