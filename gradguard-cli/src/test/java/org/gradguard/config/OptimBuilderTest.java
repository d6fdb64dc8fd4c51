package org.gradguard.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.List;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.OneCycle;
import org.gradguard.optim.Optimizer;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.ParamMask;
import org.gradguard.optim.ReduceLROnPlateau;
import org.gradguard.optim.Schedule;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimBuilderTest {
  private static final Origin ORIGIN = new Origin(Source.of("t.yaml"), "");

  private static RunConfig run(String extra) {
    return Configs.parse(
            "data: {name: spirals}\nmodel: {depth: 1, width: 4, norm: batch}\n" + extra)
        .base();
  }

  private static Module model(RunConfig r) {
    return ModelBuilder.build(r, DataShape.classes("spirals", 3, 2), new Rng(0), ORIGIN);
  }

  /** The parameters after three steps of {@code t} with fixed pseudo-random gradients. */
  private static List<float[]> train(RunConfig r, GradientTransformation t) {
    Module m = model(r);
    Optimizer opt = Optimizer.of(t, m);
    Rng rng = new Rng(7);
    for (int step = 0; step < 3; step++) {
      for (Parameter p : m.parameters()) {
        p.setGrad(Tensor.randn(rng, p.value().shape()));
      }
      opt.step();
    }
    return m.parameters().stream().map(p -> p.value().data().clone()).toList();
  }

  private static void assertSameTraining(String optimizer, GradientTransformation expected) {
    RunConfig r = run("optimizer: " + optimizer + "\n");
    List<float[]> a = train(r, OptimBuilder.build(r, model(r), 100).transformation());
    List<float[]> b = train(r, expected);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(b.get(i), a.get(i), optimizer);
    }
  }

  @Test
  void withoutRegularizationTheChainIsTheLibrarysOptimizer() {
    assertSameTraining(
        "{name: sgd, lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01}",
        Optimizers.sgd(0.1, 0.9, 0, 0.01, true));
    assertSameTraining(
        "{name: adam, lr: 0.01, betas: [0.8, 0.99], amsgrad: true}",
        Optimizers.adam(Schedule.constant(0.01), 0.8, 0.99, 1e-8, 0, true));
    assertSameTraining(
        "{name: adamw, lr: 0.01}",
        Optimizers.adamw(Schedule.constant(0.01), 0.9, 0.999, 1e-8, 0.01, false, ParamMask.all()));
    assertSameTraining(
        "{name: rmsprop, lr: 0.01, momentum: 0.5, centered: true}",
        Optimizers.rmsprop(Schedule.constant(0.01), 0.99, 1e-8, 0, 0.5, true));
  }

  @Test
  void decoupledDecayIsAdamWsDecayOnTheChosenParameters() {
    // Adam + regularization.weight_decay with every parameter = AdamW.
    RunConfig r = run("optimizer: {name: adam, lr: 0.01}\nregularization: {weight_decay: 0.1}\n");
    List<float[]> a = train(r, OptimBuilder.build(r, model(r), 100).transformation());
    List<float[]> b =
        train(
            r,
            Optimizers.adamw(
                Schedule.constant(0.01), 0.9, 0.999, 1e-8, 0.1, false, ParamMask.all()));
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(b.get(i), a.get(i));
    }
  }

  @Test
  void masksExcludeBiasesAndNormParameters() {
    RunConfig r = run("regularization: {l2: 0.1, exclude_biases: true, exclude_norm: true}\n");
    Module m = model(r);
    ParamMask mask = OptimBuilder.mask(r.regularization(), m);
    // 0: linear, 1: batch norm, 2: relu, 3: read-out
    assertEquals(true, mask.includes("0.weight", m.namedParameters().get("0.weight").value()));
    assertEquals(false, mask.includes("0.bias", m.namedParameters().get("0.bias").value()));
    assertEquals(false, mask.includes("1.weight", m.namedParameters().get("1.weight").value()));
    assertEquals(true, mask.includes("3.weight", m.namedParameters().get("3.weight").value()));
  }

  @Test
  void schedulesFollowTheConfig() {
    assertEquals(
        0.05, OptimBuilder.schedule(new ScheduleConfig.Step(10, 0.5), 0.1, 100).at(10), 1e-12);
    Schedule cos = OptimBuilder.schedule(new ScheduleConfig.Cosine(null, 0), 0.1, 100);
    assertEquals(0.05, cos.at(50), 1e-12); // t_max defaults to the training steps
    Schedule seq =
        OptimBuilder.schedule(
            Configs.parse(
                    ConfigLoaderTest.MIN
                        + "schedule: {name: sequential, schedules: [{name: linear_warmup,"
                        + " start_factor: 0.5, total_iters: 10}, constant], milestones: [10]}\n")
                .base()
                .schedule(),
            0.2,
            100);
    assertEquals(0.1, seq.at(0), 1e-12);
    assertEquals(0.2, seq.at(50), 1e-12);

    RunConfig oc = run("schedule: {name: one_cycle, max_lr: 1.0}\noptimizer: {momentum: 0.9}\n");
    OptimBuilder.BuiltOptim built = OptimBuilder.build(oc, model(oc), 200);
    OneCycle one = assertInstanceOf(OneCycle.class, built.schedule());
    assertEquals(1.0 / 25, one.at(0), 1e-12);
    assertEquals(0.95, one.momentum(0), 1e-12);

    RunConfig pl = run("schedule: {name: plateau, patience: 2}\n");
    ReduceLROnPlateau plateau = OptimBuilder.build(pl, model(pl), 10).plateau();
    assertNotNull(plateau);
    assertEquals(1e-3, plateau.at(0), 1e-15);
  }

  private static void assertSameParams(List<float[]> expected, List<float[]> actual, String what) {
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), what);
    }
  }

  @Test
  void oneCycleCyclesAdamsBeta1AndRmspropsMomentumAsPyTorch() {
    String oneCycle = "schedule: {name: one_cycle, max_lr: 0.1}\n";
    for (String name : List.of("adam", "adamw")) {
      RunConfig r = run(oneCycle + "optimizer: {name: " + name + "}\n");
      OptimBuilder.BuiltOptim built = OptimBuilder.build(r, model(r), 100);
      OneCycle oc = assertInstanceOf(OneCycle.class, built.schedule());
      GradientTransformation cycled =
          name.equals("adam")
              ? Optimizers.adam(oc, oc.momentumSchedule(), 0.999, 1e-8, 0, false)
              : Optimizers.adamw(
                  oc, oc.momentumSchedule(), 0.999, 1e-8, 0.01, false, ParamMask.all());
      List<float[]> trained = train(r, built.transformation());
      assertSameParams(train(r, cycled), trained, name);
      List<float[]> fixed =
          train(
              r,
              OptimBuilder.build(
                      run(
                          oneCycle.replace("}", ", cycle_momentum: false}")
                              + "optimizer: {name: "
                              + name
                              + "}\n"),
                      model(r),
                      100)
                  .transformation());
      assertFalse(Arrays.equals(fixed.get(0), trained.get(0)), name + ": beta1 cycled");
    }
    RunConfig rms = run(oneCycle + "optimizer: {name: rmsprop}\n");
    OptimBuilder.BuiltOptim built = OptimBuilder.build(rms, model(rms), 100);
    OneCycle oc = (OneCycle) built.schedule();
    assertSameParams(
        train(rms, Optimizers.rmsprop(oc, 0.99, 1e-8, 0, oc.momentumSchedule(), false)),
        train(rms, built.transformation()),
        "rmsprop: momentum cycled though the config's is 0");
  }

  @Test
  void clippingKindsMapToTheLibrarys() {
    for (String c :
        List.of(
            "{kind: value, clip_value: 1}",
            "{kind: norm, max_norm: 1, norm_type: inf}",
            "{kind: per_layer, max_norm: 1}",
            "agc",
            "autoclip",
            "zclip")) {
      RunConfig r = run("clipping: " + c + "\n");
      List<float[]> params = train(r, OptimBuilder.build(r, model(r), 10).transformation());
      for (float[] p : params) {
        for (float v : p) {
          assertEquals(true, Float.isFinite(v), c);
        }
      }
    }
  }
}
