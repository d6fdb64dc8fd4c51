package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.Sequential;
import org.gradguard.optim.Clip;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.Params;
import org.gradguard.optim.StepContext;
import org.gradguard.optim.TransformState;
import org.gradguard.optim.Transforms;
import org.gradguard.optim.UpdateBuffers;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The statistics a {@link TrainingStep} hands its {@link Monitor} from the passes it makes anyway
 * (copying the gradients, adding the updates) against those of the monitor's own scans on a twin
 * model driven through the public protocol ({@code observeGradients(loss)}, {@code
 * observeUpdates}), and against norms computed here in double: the same values, parameters before
 * the update, on applied, skipped and rolled-back steps.
 */
class TrainingStepMonitorTest {
  /** The scans sum in float blocks: within this relative of the double sums. */
  private static final double SUMS = VectorScans.BLOCK * 0x1p-24;

  private static Sequential net(long seed) {
    Rng rng = new Rng(seed);
    // widths past a vector and a block, odd on purpose; the last layer's bias gets no gradient
    // through a ReLU that never fires only by chance, so every parameter here has one
    return new Sequential(
        new Linear(37, 65, rng),
        Activation.relu(),
        new Linear(65, 1031, rng),
        Activation.tanh(),
        new Linear(1031, 3, rng));
  }

  private static Tensor[] batch(Rng rng) {
    return new Tensor[] {Tensor.randn(rng, 9, 37), Tensor.randn(rng, 9, 3)};
  }

  private static Variable mse(Sequential net, Tensor[] b) {
    return LossOps.mse(net.forward(Variable.constant(b[0])), Variable.constant(b[1]));
  }

  private static GradientTransformation chain() {
    return Transforms.chain(Clip.byGlobalNorm(0.5), Optimizers.adamw(1e-2, 1e-2));
  }

  @Test
  void theMeasuredPassesGiveWhatTheMonitorsOwnScansGive() {
    Sequential a = net(1);
    Sequential b = net(1);
    List<Double> gradientStageParamNorms = new ArrayList<>();
    Detector probe =
        s -> {
          s.parameters().forEach(p -> gradientStageParamNorms.add(p.paramNorm()));
          return List.of();
        };
    Monitor ma = Monitor.builder(a).detectors(List.of(probe)).build();
    TrainingStep train = TrainingStep.builder(a, chain()).monitor(ma).build();
    Monitor mb = Monitor.builder(b).detectors(List.of()).build();
    GradientTransformation chainB = chain();
    Params paramsB = Params.fromInfos(b.parameterInfos());
    TransformState stateB = chainB.init(paramsB);
    Rng data = new Rng(2);
    for (int t = 0; t < 6; t++) {
      Tensor[] batch = batch(data);
      double[][] before = doubleSums(a);
      StepStats sa = train.run(() -> mse(a, batch)).stats();
      StepStats sb = manualStep(b, mb, chainB, paramsB, stateB, batch, t);
      assertTrue(sameBits(a, b), "step " + t + ": the twins' weights stay bit-identical");
      List<ParameterStats> pa = sa.parameters();
      for (int i = 0; i < pa.size(); i++) {
        ParameterStats x = pa.get(i);
        ParameterStats y = sb.parameters().get(i);
        String what = "step " + t + " " + x.name();
        assertClose(y.gradNorm(), x.gradNorm(), what + " gradNorm");
        assertEquals(y.gradMaxAbs(), x.gradMaxAbs(), 0.0, what + " gradMaxAbs");
        assertEquals(y.gradFiniteMin(), x.gradFiniteMin(), 0.0, what + " gradFiniteMin");
        assertEquals(y.gradFiniteMax(), x.gradFiniteMax(), 0.0, what + " gradFiniteMax");
        assertEquals(0, x.nonFinite(), what);
        assertClose(y.paramNorm(), x.paramNorm(), what + " paramNorm");
        assertClose(y.paramMeanAbs(), x.paramMeanAbs(), what + " paramMeanAbs");
        assertClose(y.updateNorm(), x.updateNorm(), what + " updateNorm");
        assertClose(y.updateMeanAbs(), x.updateMeanAbs(), what + " updateMeanAbs");
        assertClose(y.updateRatio(), x.updateRatio(), what + " updateRatio");
        // the parameters before the update, in double (the measured passes: within 2⁻¹⁹)
        assertEquals(Math.sqrt(before[i][0]), x.paramNorm(), 0x1p-19 * x.paramNorm(), what);
        assertEquals(before[i][1] / x.numel(), x.paramMeanAbs(), 0x1p-19 * x.paramMeanAbs(), what);
      }
      assertClose(sb.globalGradNorm(), sa.globalGradNorm(), "step " + t + " global norm");
      for (int l = 0; l < sa.layers().size(); l++) {
        assertClose(sb.layers().get(l).updateRatio(), sa.layers().get(l).updateRatio(), "layer");
      }
    }
    assertEquals(6 * 6, gradientStageParamNorms.size());
    assertTrue(
        gradientStageParamNorms.stream().allMatch(v -> Double.isNaN(v)),
        "the gradient stage of a TrainingStep sees the parameter statistics as NaN");
  }

  @Test
  void aSkippedStepStillRecordsTheUnchangedParameters() {
    Sequential a = net(3);
    TrainingStep train = TrainingStep.builder(a, chain()).skipNonFinite(3).build();
    Rng data = new Rng(4);
    Tensor[] ok = batch(data);
    assertTrue(train.run(() -> mse(a, ok)).applied());
    Tensor[] poisoned = batch(data);
    poisoned[1].data()[4] = Float.NaN; // a NaN target: NaN loss and gradients
    double[][] before = doubleSums(a);
    StepOutcome o = train.run(() -> mse(a, poisoned));
    assertEquals(StepOutcome.Status.SKIPPED, o.status());
    List<ParameterStats> ps = o.stats().parameters();
    for (int i = 0; i < ps.size(); i++) {
      ParameterStats p = ps.get(i);
      assertEquals(Math.sqrt(before[i][0]), p.paramNorm(), SUMS * p.paramNorm(), p.name());
      assertEquals(before[i][1] / p.numel(), p.paramMeanAbs(), SUMS * p.paramMeanAbs(), p.name());
      assertTrue(Double.isNaN(p.updateNorm()), p.name() + ": no update applied");
    }
    assertTrue(o.stats().nonFiniteGradients() > 0, "the NaN reached the gradients");
  }

  @Test
  void aRolledBackStepRecordsTheParametersItFoundNotTheRestoredOnes() {
    Sequential a = net(5);
    RollbackConfig cfg =
        RollbackConfig.defaults()
            .withEvery(3)
            .withLossSpike(new SpikeConfig(10, 6, 5, true, false));
    TrainingStep train = TrainingStep.builder(a, chain()).rollback(cfg).build();
    Rng data = new Rng(6);
    for (int t = 0; t < 10; t++) {
      Tensor[] b = batch(data);
      assertTrue(train.run(() -> mse(a, b)).applied(), "step " + t);
    }
    Tensor[] spike = batch(data);
    spike[1].mulInPlace(1000f);
    double[][] before = doubleSums(a);
    StepOutcome o = train.run(() -> mse(a, spike));
    assertEquals(StepOutcome.Status.ROLLED_BACK, o.status());
    double[][] restored = doubleSums(a);
    List<ParameterStats> ps = o.stats().parameters();
    boolean anyDiffers = false;
    for (int i = 0; i < ps.size(); i++) {
      ParameterStats p = ps.get(i);
      assertEquals(Math.sqrt(before[i][0]), p.paramNorm(), SUMS * p.paramNorm(), p.name());
      anyDiffers |= Math.abs(Math.sqrt(restored[i][0]) - p.paramNorm()) > 1e-3 * p.paramNorm();
    }
    assertTrue(anyDiffers, "the restored state differs from the one the step found");
  }

  @Test
  void theFusedProtocolRefusesTheListOfUpdates() {
    Sequential a = net(7);
    Monitor m = Monitor.attach(a);
    m.beginStep(0);
    mse(a, batch(new Rng(8))).backward();
    Tensor[] copies = new Tensor[a.parameters().size()];
    m.observeGradients(1.0, new UpdateBuffers(copies.length), copies);
    for (int i = 0; i < copies.length; i++) {
      assertTrue(copies[i].bitEquals(a.parameters().get(i).grad()), "copy " + i);
      assertTrue(copies[i] != a.parameters().get(i).grad(), "a new tensor");
    }
    var e = assertThrows(IllegalStateException.class, () -> m.observeUpdates(List.of(copies)));
    assertEquals(
        "Monitor.observeUpdates: the parameters were left for the applying pass; call"
            + " observeApplied (step 0)",
        e.getMessage());
    var wrong =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.observeGradients(1.0, new UpdateBuffers(1), new Tensor[1]));
    assertEquals(
        "Monitor.observeGradients: expected room for 6 gradient copies (one per parameter), got 1",
        wrong.getMessage());
  }

  /** One step through the monitor's public protocol, as a hand-written loop would drive it. */
  private static StepStats manualStep(
      Sequential net,
      Monitor m,
      GradientTransformation chain,
      Params params,
      TransformState state,
      Tensor[] batch,
      long t) {
    net.zeroGrad();
    m.beginStep(t);
    Variable loss = mse(net, batch);
    loss.backward();
    m.observeGradients(loss.item());
    List<Parameter> ps = net.parameters();
    Tensor[] updates = new Tensor[ps.size()];
    for (int i = 0; i < updates.length; i++) {
      updates[i] = ps.get(i).grad().copy();
    }
    chain.update(updates, state, params, new StepContext(t, loss.item()));
    for (int i = 0; i < updates.length; i++) {
      params.value(i).addInPlace(updates[i]);
    }
    m.observeUpdates(List.of(updates));
    return m.endStep();
  }

  /** {@code [Σθ², Σ|θ|]} of every parameter, in double. */
  private static double[][] doubleSums(Sequential net) {
    List<Parameter> ps = net.parameters();
    double[][] out = new double[ps.size()][2];
    for (int i = 0; i < ps.size(); i++) {
      for (float v : ps.get(i).value().data()) {
        out[i][0] += (double) v * v;
        out[i][1] += Math.abs(v);
      }
    }
    return out;
  }

  private static boolean sameBits(Sequential a, Sequential b) {
    for (int i = 0; i < a.parameters().size(); i++) {
      if (!a.parameters().get(i).value().bitEquals(b.parameters().get(i).value())) {
        return false;
      }
    }
    return true;
  }

  private static void assertClose(double expected, double actual, String what) {
    assertTrue(Double.isFinite(expected), what + ": expected " + expected);
    assertEquals(expected, actual, SUMS * Math.abs(expected), what);
  }
}
