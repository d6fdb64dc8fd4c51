package org.gradguard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.Sequential;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.Params;
import org.gradguard.optim.Schedule;
import org.gradguard.optim.StepContext;
import org.gradguard.optim.TransformState;
import org.gradguard.optim.Transforms;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The guards and the training step: skip, roll back, stop — and the records they leave. */
class GuardsTest {
  /** A small regression task: y = x·w for a fixed w, fresh batches from one RNG. */
  private static final class Task {
    final Rng rng;
    final Tensor w;

    Task(long seed) {
      rng = new Rng(seed);
      w = Tensor.randn(rng, 4, 1);
    }

    Tensor[] batch() {
      Tensor x = Tensor.randn(rng, 16, 4);
      return new Tensor[] {x, x.matmul(w)};
    }
  }

  private static Sequential net(Rng rng) {
    return new Sequential(new Linear(4, 8, rng), Activation.tanh(), new Linear(8, 1, rng));
  }

  private static Variable mse(Sequential net, Tensor[] b) {
    return LossOps.mse(net.forward(Variable.constant(b[0])), Variable.constant(b[1]));
  }

  private static List<Tensor> copies(Sequential net) {
    List<Tensor> out = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      out.add(p.value().copy());
    }
    return out;
  }

  private static boolean sameBits(Sequential net, List<Tensor> values) {
    List<Parameter> ps = net.parameters();
    for (int i = 0; i < ps.size(); i++) {
      if (!ps.get(i).value().bitEquals(values.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static double findNumber(TransformState s, String key) {
    if (s.hasNumber(key)) {
      return s.number(key);
    }
    for (int i = 0; i < s.childCount(); i++) {
      double v = findNumber(s.child(i), key);
      if (!Double.isNaN(v)) {
        return v;
      }
    }
    return Double.NaN;
  }

  @Test
  void aBatchWithANanIsSkippedWithParametersAndOptimizerStateBitIdentical() {
    Task task = new Task(1);
    Sequential net = net(new Rng(2));
    TrainingStep train = TrainingStep.builder(net, Optimizers.adam(1e-2)).skipNonFinite(3).build();
    for (int i = 0; i < 3; i++) {
      Tensor[] b = task.batch();
      assertTrue(train.run(() -> mse(net, b)).applied());
    }
    net.parameters().get(0).value().data()[0] = -0.0f; // a +0.0 update would flip this bit
    List<Tensor> before = copies(net);
    TransformState adamBefore = train.state().child(0).copy();

    Tensor[] poisoned = task.batch();
    poisoned[0].data()[5] = Float.NaN;
    StepOutcome o = train.run(() -> mse(net, poisoned));

    assertEquals(StepOutcome.Status.SKIPPED, o.status());
    assertTrue(sameBits(net, before), "parameters bit-identical");
    assertTrue(train.state().child(0).bitEquals(adamBefore), "Adam state bit-identical");
    assertEquals(1.0, train.state().number(Guards.TOTAL_SKIPPED));
    GuardAction a = o.actions().get(0);
    assertEquals(GuardAction.Action.SKIP, a.action());
    assertEquals("skipNonFinite", a.guard());
    assertEquals(1.0, a.numbers().get("consecutive"));
    assertEquals(EventType.NON_FINITE, train.monitor().log().eventsAt(3).get(0).type());
    // and training goes on
    Tensor[] b = task.batch();
    assertTrue(train.run(() -> mse(net, b)).applied());
    assertFalse(sameBits(net, before));
    assertEquals(0.0, train.state().number(Guards.CONSECUTIVE));
  }

  @Test
  void skippedStepsDoNotAdvanceTheSchedule() {
    Task task = new Task(3);
    Sequential net = net(new Rng(4));
    // the learning rate halves at every applied step: 1, 0.5, 0.25, …
    GradientTransformation sgd = Optimizers.sgd(Schedule.step(1.0, 1, 0.5), 0, 0, 0, false);
    TrainingStep train = TrainingStep.builder(net, sgd).skipNonFinite(5).build();
    List<Double> lrs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Tensor[] b = task.batch();
      if (i == 1 || i == 2) {
        b[1].data()[0] = Float.POSITIVE_INFINITY; // an infinite target: non-finite loss
      }
      StepOutcome o = train.run(() -> mse(net, b));
      assertEquals(i == 1 || i == 2, !o.applied(), "step " + i);
      lrs.add(findNumber(train.state(), "lr"));
    }
    // applied steps used 1, 0.5, 0.25: the two skips consumed no schedule step
    assertEquals(List.of(1.0, 1.0, 1.0, 0.5, 0.25), lrs);
    assertEquals(3.0, findNumber(train.state(), "count"));
  }

  @Test
  void consecutiveNonFiniteStepsStopTrainingWithTheDiagnosis() {
    Task task = new Task(5);
    Sequential net = net(new Rng(6));
    TrainingStep train = TrainingStep.builder(net, Optimizers.sgd(0.1)).skipNonFinite(3).build();
    Tensor[] good = task.batch();
    train.run(() -> mse(net, good));
    for (int i = 0; i < 2; i++) {
      Tensor[] b = task.batch();
      b[0].fillInPlace(Float.NaN);
      assertEquals(StepOutcome.Status.SKIPPED, train.run(() -> mse(net, b)).status());
    }
    Tensor[] b = task.batch();
    b[0].fillInPlace(Float.NaN);
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> train.run(() -> mse(net, b)));
    assertEquals(3, e.step());
    assertTrue(e.getMessage().startsWith("GradGuard diagnosis: 1 problem found"), e.getMessage());
    assertTrue(e.getMessage().contains("Guards: 3 skips, 1 stop"), e.getMessage());
    assertTrue(e.getMessage().contains("1. NON-FINITE VALUES (NAN/INF) — critical"));
    assertEquals(EventType.NON_FINITE, e.diagnosis().findings().get(0).type());
    assertTrue(e.getCause().getMessage().startsWith("skipNonFinite: 3 consecutive non-finite"));
  }

  @Test
  void aLossSpikeRollsBackHalvesTheLearningRateAndTrainingContinues() {
    Task task = new Task(7);
    Sequential net = net(new Rng(8));
    RollbackConfig cfg =
        RollbackConfig.defaults()
            .withEvery(7)
            .withSkipBatches(1)
            .withLossSpike(new SpikeConfig(20, 6, 10, true, false));
    TrainingStep train = TrainingStep.builder(net, Optimizers.sgd(0.05)).rollback(cfg).build();
    List<Tensor> afterStep27 = null;
    for (int i = 0; i < 30; i++) {
      Tensor[] b = task.batch();
      assertTrue(train.run(() -> mse(net, b)).applied(), "step " + i);
      if (i == 27) {
        afterStep27 = copies(net); // snapshots are taken after 7, 14, 21, 28 healthy steps
      }
    }
    Tensor[] spike = task.batch();
    spike[1].mulInPlace(1000f);
    StepOutcome o = train.run(() -> mse(net, spike));

    assertEquals(StepOutcome.Status.ROLLED_BACK, o.status());
    assertTrue(sameBits(net, afterStep27), "restored the last good state");
    assertEquals(0.5, train.lrScale());
    assertEquals(0.5, findNumber(train.state(), "lr_scale"));
    GuardAction a = o.actions().get(0);
    assertEquals(GuardAction.Action.ROLLBACK, a.action());
    assertEquals(28.0, a.numbers().get("restored_step"));
    assertTrue(a.reason().startsWith("loss "), a.reason());
    assertTrue(
        a.reason().contains("restored the state of step 28, learning rate ×0.5"), a.reason());
    // the next batch is skipped, then training continues at half the rate
    Tensor[] next = task.batch();
    assertEquals(StepOutcome.Status.SKIPPED_BATCH, train.run(() -> mse(net, next)).status());
    for (int i = 0; i < 5; i++) {
      Tensor[] b = task.batch();
      StepOutcome ok = train.run(() -> mse(net, b));
      assertTrue(ok.applied());
      assertTrue(Double.isFinite(ok.loss()));
      assertEquals(0.025, findNumber(train.state(), "lr"), 1e-12);
    }
    List<GuardAction.Action> kinds =
        train.monitor().log().actions().stream().map(GuardAction::action).toList();
    assertEquals(List.of(GuardAction.Action.ROLLBACK, GuardAction.Action.SKIP), kinds);
    assertTrue(Diagnosis.of(train.monitor()).toText().contains("Guards: 1 skip, 1 rollback"));
  }

  @Test
  void rollBacksWithoutProgressStopAfterMaxRetries() {
    Task task = new Task(9);
    Sequential net = net(new Rng(10));
    RollbackConfig cfg = RollbackConfig.defaults().withEvery(3).withMaxRetries(2);
    TrainingStep train = TrainingStep.builder(net, Optimizers.sgd(0.05)).rollback(cfg).build();
    Tensor[] good = task.batch();
    train.run(() -> mse(net, good));
    for (int i = 0; i < 2; i++) {
      Tensor[] b = task.batch();
      b[0].fillInPlace(Float.NaN);
      assertEquals(StepOutcome.Status.ROLLED_BACK, train.run(() -> mse(net, b)).status());
    }
    assertEquals(0.25, train.lrScale());
    Tensor[] b = task.batch();
    b[0].fillInPlace(Float.NaN);
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> train.run(() -> mse(net, b)));
    assertTrue(e.getMessage().contains("Guards: 2 rollbacks, 1 stop"), e.getMessage());
    GuardAction stop = train.monitor().log().actions().get(2);
    assertEquals(GuardAction.Action.STOP, stop.action());
    assertTrue(stop.reason().contains("2 roll-backs without 3 healthy steps"), stop.reason());
  }

  @Test
  void rollbackOnCriticalMonitorEvents() {
    Sequential net = Nets.mlpDefaultInit(4, 16, 20, Activation::sigmoid, new Rng(11));
    RollbackConfig cfg = RollbackConfig.defaults().withOnEvents(Set.of(EventType.VANISHING));
    TrainingStep train = TrainingStep.builder(net, Optimizers.sgd(0.05)).rollback(cfg).build();
    Tensor x = Tensor.randn(new Rng(12), 8, 4);
    StepOutcome o = train.run(() -> net.forward(Variable.constant(x)).sum());
    assertEquals(StepOutcome.Status.ROLLED_BACK, o.status());
    assertTrue(o.actions().get(0).reason().startsWith("VANISHING: "));
  }

  @Test
  void spikeGuardSkipsAGradientNormSpikeAndLeavesTheInnerStateAlone() {
    Tensor p = Tensor.zeros(3);
    Params params = Params.of(p);
    GradientTransformation g =
        Guards.skipSpikes(Optimizers.adam(0.1), new SpikeConfig(16, 6, 8, false, true));
    TransformState s = g.init(params);
    Rng rng = new Rng(13);
    for (int t = 0; t < 12; t++) {
      Tensor[] u = {Tensor.randn(rng, 3).add(5f)};
      g.update(u, s, params, StepContext.at(t));
      assertEquals(0.0, s.number(Guards.SKIPPED), "step " + t);
    }
    TransformState inner = s.child(0).copy();
    Tensor[] spike = {Tensor.full(100f, 3)};
    g.update(spike, s, params, StepContext.at(12));
    assertEquals(1.0, s.number(Guards.SKIPPED));
    assertTrue(s.number(Guards.NORM_Z) > 6);
    assertTrue(s.child(0).bitEquals(inner));
    for (float v : spike[0].data()) {
      assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(v));
    }
  }

  @Test
  void guardSettingsAreValidated() {
    GradientTransformation sgd = Optimizers.sgd(0.1);
    var e = assertThrows(IllegalArgumentException.class, () -> Guards.skipNonFinite(sgd, 0));
    assertEquals("skipNonFinite: maxConsecutive must be >= 1, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SpikeConfig(10, 6, 20, true, true));
    assertEquals("SpikeConfig: minHistory must be in [2, window], got 20", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> RollbackConfig.defaults().withBackoff(0));
    assertEquals("RollbackConfig: backoff must be in (0, 1], got 0.0", e.getMessage());
    Sequential net = net(new Rng(1));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingStep.builder(net, Transforms.scale(-0.1))
                    .rollback(RollbackConfig.defaults())
                    .build());
    assertTrue(e.getMessage().startsWith("TrainingStep: rollback backoff 0.5 needs a"));
  }
}
