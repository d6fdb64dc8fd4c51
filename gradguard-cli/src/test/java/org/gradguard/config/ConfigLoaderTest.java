package org.gradguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.gradguard.health.EventType;
import org.gradguard.health.ExplodingDetector;
import org.gradguard.health.RollbackConfig;
import org.gradguard.health.SaturationDetector;
import org.gradguard.health.SpikeConfig;
import org.gradguard.health.UpdateRatioDetector;
import org.gradguard.health.VanishingDetector;
import org.gradguard.train.EarlyStopping;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  static final String MIN = "data: {name: spirals}\nmodel: {depth: 2}\n";

  @Test
  void defaultsOfAMinimalConfig() {
    ExperimentConfig e = Configs.parse(MIN);
    assertEquals("t", e.name());
    RunConfig r = e.base();
    ModelConfig.Mlp m = assertInstanceOf(ModelConfig.Mlp.class, r.model());
    assertEquals(64, m.width());
    assertEquals(ActivationName.RELU, m.activation());
    assertEquals(InitConfig.Kind.PYTORCH, m.init().kind());
    DataConfig.Spirals d = assertInstanceOf(DataConfig.Spirals.class, r.data());
    assertEquals(1500, d.n());
    assertEquals(0.1, d.validationSplit());
    assertEquals(LossConfig.Kind.CROSS_ENTROPY, r.lossKind());
    assertEquals(new OptimizerConfig.Sgd(1e-3, 0, 0, false, 0), r.optimizer());
    assertEquals(new ScheduleConfig.Constant(), r.schedule());
    assertEquals(new ClippingConfig.None(), r.clipping());
    assertEquals(RegularizationConfig.NONE, r.regularization());
    assertEquals(GuardsConfig.DEFAULT, r.guards());
    assertEquals(MonitorConfig.DEFAULT, r.monitor());
    assertEquals(
        new TrainConfig(
            10, null, 32, 0, 0, true, false, 50, TrainConfig.RandomNumbers.GRADGUARD, null),
        r.train());
    assertTrue(e.variants().isEmpty());
  }

  @Test
  void earlyStoppingIsOffUnlessAskedFor() {
    assertNull(Configs.parse(MIN).base().train().earlyStopping());
    assertNull(Configs.parse(MIN, "train.early_stopping=false").base().train().earlyStopping());
    assertEquals(
        new EarlyStopping(3, 0),
        Configs.parse(MIN, "train.early_stopping=true").base().train().earlyStopping());
    assertEquals(
        new EarlyStopping(5, 0.01),
        Configs.parse(MIN, "train.early_stopping={patience: 5, min_delta: 0.01}")
            .base()
            .train()
            .earlyStopping());
    assertEquals(
        new EarlyStopping(2, 0),
        Configs.parse(MIN, "train.early_stopping={patience: 2}").base().train().earlyStopping());
    assertEquals(
        new EarlyStopping(3, 0, EarlyStopping.Monitor.VAL_ACCURACY, true),
        Configs.parse(
                MIN, "train.early_stopping={monitor: val_accuracy, restore_best_weights: true}")
            .base()
            .train()
            .earlyStopping());
    assertTrue(
        Configs.error(MIN, "train.early_stopping={monitor: accuracy}")
            .contains("train.early_stopping.monitor: unknown early-stopping metric"));
    assertTrue(
        Configs.error(MIN, "train.early_stopping={patience: 0}")
            .contains("train.early_stopping.patience: must be >= 1, got 0"));
    assertTrue(
        Configs.error(MIN, "train.early_stopping={min_delta: -1}")
            .contains("train.early_stopping.min_delta: must be finite and >= 0"));
    assertTrue(
        Configs.error(MIN, "train.early_stopping={patients: 2}")
            .contains("train.early_stopping.patients: unknown key; did you mean 'patience'?"));
  }

  @Test
  void everySectionParses() {
    String yaml =
        String.join(
            "\n",
            "name: full",
            "description: every section",
            "data: {name: teacher, n: 100, input_dim: 8, depth: 1, width: 16, classes: 3,"
                + " activation: relu, seed: 7, validation_split: 0.2}",
            "model: {type: mlp, depth: 3, width: 32, activation: tanh, norm: layer, residual: true,"
                + " init: he, gain: 1.5, dropout: 0.1, bias: false}",
            "loss: {name: cross_entropy, label_smoothing: 0.1}",
            "optimizer: {name: adamw, lr: 3e-4, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 0.05,"
                + " amsgrad: true}",
            "schedule: {name: one_cycle, max_lr: 0.01, pct_start: 0.25, anneal_strategy: linear}",
            "clipping: {kind: norm, max_norm: 2, norm_type: inf}",
            "guards: {skip_non_finite: 3, skip_spikes: {k: 4, watch_loss: false}, rollback: {every:"
                + " 20, loss_spike: false, on_events: [exploding, non_finite]}}",
            "monitor: {every: 5, saturation_tolerance: 0.05, vanishing: {ratio: 50}, dead_units:"
                + " false}",
            "train: {steps: 1000, batch_size: 16, seed: 3, threads: 2, shuffle: false, drop_last:"
                + " true, log_every: 10}",
            "");
    RunConfig r = Configs.parse(yaml).base();
    assertEquals(
        new DataConfig.Teacher(
            100, 8, 1, 16, 3, org.gradguard.data.TeacherTask.Activation.RELU, 7, 0.2),
        r.data());
    assertEquals(
        new ModelConfig.Mlp(
            3,
            32,
            ActivationName.TANH,
            ModelConfig.Norm.LAYER,
            true,
            new InitConfig(InitConfig.Kind.KAIMING_NORMAL, 1.5, 1, 0),
            0.1,
            false,
            null,
            null),
        r.model());
    assertEquals(new LossConfig(LossConfig.Kind.CROSS_ENTROPY, 0.1), r.loss());
    assertEquals(new OptimizerConfig.AdamW(3e-4, 0.8, 0.99, 1e-6, 0.05, true), r.optimizer());
    assertEquals(
        new ScheduleConfig.OneCycle(
            0.01, null, 0.25, ScheduleConfig.Anneal.LINEAR, 25, 1e4, false, true, 0.85, 0.95),
        r.schedule());
    assertEquals(new ClippingConfig.Norm(2, Double.POSITIVE_INFINITY), r.clipping());
    assertEquals(
        new GuardsConfig(
            3,
            new SpikeConfig(128, 4, 20, false, true),
            new RollbackConfig(
                20, 0.5, 0, 3, true, null, Set.of(EventType.EXPLODING, EventType.NON_FINITE))),
        r.guards());
    assertEquals(
        new MonitorConfig(
            5,
            0.05,
            ExplodingDetector.Config.defaults(),
            new VanishingDetector.Config(4, 50, 10, 1e-8, 50, 100),
            SaturationDetector.Config.defaults(),
            null,
            UpdateRatioDetector.Config.defaults()),
        r.monitor());
    assertEquals(
        new TrainConfig(
            null, 1000, 16, 3, 2, false, true, 10, TrainConfig.RandomNumbers.GRADGUARD, null),
        r.train());
  }

  @Test
  void schedulesParse() {
    String base = MIN + "schedule: ";
    assertEquals(
        new ScheduleConfig.Step(100, 0.5),
        Configs.parse(base + "{name: step, step_size: 100, gamma: 0.5}").base().schedule());
    assertEquals(
        new ScheduleConfig.MultiStep(List.of(10, 20), 0.1),
        Configs.parse(base + "{name: multistep, milestones: [10, 20]}").base().schedule());
    assertEquals(
        new ScheduleConfig.CosineRestarts(50, 2, 1e-5),
        Configs.parse(base + "{name: cosine_restarts, t_0: 50, t_mult: 2, eta_min: 1e-5}")
            .base()
            .schedule());
    ScheduleConfig.Sequential seq =
        assertInstanceOf(
            ScheduleConfig.Sequential.class,
            Configs.parse(
                    base
                        + "{name: sequential, schedules: [{name: linear_warmup, total_iters: 100},"
                        + " cosine], milestones: [100]}")
                .base()
                .schedule());
    assertEquals(new ScheduleConfig.LinearWarmup(1.0 / 3, 1.0, 100), seq.schedules().get(0));
    assertEquals(new ScheduleConfig.Cosine(null, 0), seq.schedules().get(1));
    assertEquals(
        new ScheduleConfig.Plateau(
            ScheduleConfig.Mode.MAX, 0.5, 3, 1e-4, ScheduleConfig.ThresholdMode.ABS, 1, 1e-6, 1e-8),
        Configs.parse(
                base
                    + "{name: plateau, mode: max, factor: 0.5, patience: 3, threshold_mode: abs,"
                    + " cooldown: 1, min_lr: 1e-6}")
            .base()
            .schedule());
  }

  @Test
  void clippingKindsParse() {
    String base = MIN + "clipping: ";
    assertEquals(
        new ClippingConfig.Value(0.5),
        Configs.parse(base + "{kind: value, clip_value: 0.5}").base().clipping());
    assertEquals(
        new ClippingConfig.PerLayer(1),
        Configs.parse(base + "{kind: per_layer, max_norm: 1}").base().clipping());
    assertEquals(new ClippingConfig.Agc(0.01, 1e-3), Configs.parse(base + "agc").base().clipping());
    assertEquals(
        new ClippingConfig.AutoClip(5, 1000),
        Configs.parse(base + "{kind: autoclip, percentile: 5, history: 1000}").base().clipping());
    assertEquals(
        new ClippingConfig.ZClip(0.97, 2.5, 25), Configs.parse(base + "zclip").base().clipping());
  }

  @Test
  void explicitLayersParse() {
    String yaml =
        "data: {name: spirals}\nmodel:\n  layers:\n"
            + "    - {type: linear, out: 16}\n"
            + "    - {type: leaky_relu, negative_slope: 0.2}\n"
            + "    - {type: residual, rezero: true, layers: [layernorm, gelu, {type: linear, out:"
            + " 16}]}\n"
            + "    - {type: dropout, p: 0.2}\n"
            + "    - {type: dense, out: 3, bias: false}\n"
            + "  init: orthogonal\n";
    ModelConfig.Layers m =
        assertInstanceOf(ModelConfig.Layers.class, Configs.parse(yaml).base().model());
    assertEquals(5, m.layers().size());
    assertEquals(new LayerSpec.Linear(null, 16, true), m.layers().get(0));
    assertEquals(new LayerSpec.Act(ActivationName.LEAKY_RELU, 0.2, 1, 1, 20), m.layers().get(1));
    LayerSpec.Residual res = assertInstanceOf(LayerSpec.Residual.class, m.layers().get(2));
    assertTrue(res.rezero());
    assertEquals(new LayerSpec.LayerNorm(1e-5, true), res.layers().get(0));
    assertEquals(new LayerSpec.Dropout(0.2), m.layers().get(3));
    assertEquals(new LayerSpec.Linear(null, 3, false), m.layers().get(4));
    assertEquals(InitConfig.Kind.ORTHOGONAL, m.init().kind());
  }

  @Test
  void variantsDeepMergeIntoTheBaseAndKeepTheirOrder() {
    String yaml =
        MIN
            + "optimizer: {name: sgd, lr: 0.1, momentum: 0.9}\n"
            + "train: {epochs: 3, batch_size: 16}\n"
            + "variants:\n"
            + "  baseline:\n"
            + "  small-lr: {description: smaller, optimizer: {lr: 0.01}}\n"
            + "  adam: {optimizer: {name: adam}}\n"
            + "  no-momentum: {optimizer: {momentum: null}}\n"
            + "  bn: {model: {norm: batch}, train: {batch_size: 64}}\n";
    ExperimentConfig e = Configs.parse(yaml);
    assertEquals(
        List.of("baseline", "small-lr", "adam", "no-momentum", "bn"),
        e.variants().stream().map(Variant::name).toList());
    assertEquals(e.base(), e.variant("baseline").orElseThrow().config());
    Variant small = e.variant("small-lr").orElseThrow();
    assertEquals("smaller", small.description());
    // Maps merge: momentum stays.
    assertEquals(new OptimizerConfig.Sgd(0.01, 0.9, 0, false, 0), small.config().optimizer());
    // A different optimizer name replaces the whole map: no SGD momentum leaks into Adam.
    assertEquals(
        new OptimizerConfig.Adam(1e-3, 0.9, 0.999, 1e-8, 0, false),
        e.variant("adam").orElseThrow().config().optimizer());
    // null resets a key to its default.
    assertEquals(
        new OptimizerConfig.Sgd(0.1, 0, 0, false, 0),
        e.variant("no-momentum").orElseThrow().config().optimizer());
    RunConfig bn = e.variant("bn").orElseThrow().config();
    assertEquals(ModelConfig.Norm.BATCH, ((ModelConfig.Mlp) bn.model()).norm());
    assertEquals(3, bn.train().epochs());
    assertEquals(64, bn.train().batchSize());
  }

  @Test
  void variantErrorsNameTheVariant() {
    String yaml = MIN + "variants:\n  a: {}\n  clip: {clipping: {kind: norm, max_norm: -1}}\n";
    assertEquals(
        "t.yaml: variants.clip.clipping.max_norm: must be > 0, got -1", Configs.error(yaml));
    assertEquals(
        "t.yaml: variants.a.name: unknown key (allowed here: description, model, data, loss,"
            + " optimizer, schedule, clipping, regularization, guards, monitor, train)",
        Configs.error(MIN + "variants:\n  a: {name: x}\n"));
    assertEquals(
        "t.yaml: variants: expected a map from variant name to overrides, got a list",
        Configs.error(MIN + "variants: [a, b]\n"));
  }

  @Test
  void typeErrorsNameThePathAndTheValue() {
    assertEquals(
        "t.yaml: optimizer.lr: expected a number, got \"fast\"",
        Configs.error(MIN + "optimizer: {lr: fast}\n"));
    assertEquals(
        "t.yaml: optimizer.lr: expected a number, got \"0.1\"",
        Configs.error(MIN + "optimizer: {lr: '0.1'}\n"));
    assertEquals(
        "t.yaml: train.epochs: expected an integer, got 1.5",
        Configs.error(MIN + "train: {epochs: 1.5}\n"));
    assertEquals(
        "t.yaml: model.layers: expected a list, got a map",
        Configs.error("data: {name: spirals}\nmodel: {type: layers, layers: {a: 1}}\n"));
    assertEquals(
        "t.yaml: data.scales[1]: must be > 0, got -10",
        Configs.error("data: {name: linear-regression, scales: [1, -10]}\nmodel: {depth: 0}\n"));
  }

  @Test
  void onlyTrueAndFalseAreBooleans() {
    assertEquals(
        "t.yaml: model.residual: expected true or false, got \"yes\"",
        Configs.error(MIN.replace("depth: 2", "depth: 2, residual: yes")));
  }

  @Test
  void integralNumbersMayBeWrittenWithAnExponent() {
    assertEquals(1000, Configs.parse(MIN + "train: {steps: 1e3}\n").base().train().steps());
  }

  @Test
  void crossSectionChecks() {
    assertTrue(
        Configs.error("data: {name: adding, n: 10}\nmodel: {type: rnn}\nloss: cross_entropy\n")
            .contains("loss: cross_entropy needs class labels, but data 'adding' has regression"));
    assertTrue(
        Configs.error(
                MIN + "optimizer: {name: sgd, weight_decay: 0.1}\nregularization: {l2: 0.01}\n")
            .startsWith("t.yaml: regularization: weight decay is set twice"));
    assertTrue(
        Configs.error(MIN.replace("depth: 2", "depth: 1, residual: true"))
            .startsWith("t.yaml: model.residual: residual blocks need depth >= 2"));
    assertTrue(
        Configs.error(MIN + "loss: {name: mse, label_smoothing: 0.1}\n")
            .contains("loss.label_smoothing: only applies to cross_entropy"));
  }

  @Test
  void datasetSpecificKeysAreChecked() {
    assertEquals(
        "t.yaml: data.arms: not a setting of dataset 'blobs' (it belongs to spirals; blobs takes:"
            + " name, n, centers, dim, std, seed, validation_split)",
        Configs.error("data: {name: blobs, arms: 3}\nmodel: {depth: 1}\n"));
    assertTrue(
        Configs.error("data: {name: csv, path: x.csv}\nmodel: {depth: 1}\n")
            .contains(
                "data.label: required key is missing: set label (classification) or targets"));
  }

  @Test
  void csvPathsAreRelativeToTheConfigFile() {
    ExperimentConfig e =
        ConfigLoader.parse(
            (com.fasterxml.jackson.databind.node.ObjectNode)
                Yaml.readValue(
                    "data: {name: csv, path: d/x.csv, label: y}\nmodel: {depth: 1}\n", "c.yaml"),
            Source.of("cfg/c.yaml"),
            java.nio.file.Path.of("cfg"),
            "c");
    DataConfig.Csv c = (DataConfig.Csv) e.base().data();
    assertEquals(java.nio.file.Path.of("cfg/d/x.csv"), c.path());
    assertNull(c.testPath());
  }

  @Test
  void yamlAnchorsAliasesAndMergeKeysWork() {
    String yaml =
        "defaults: &opt {name: sgd, lr: 0.1, momentum: 0.9}\n"
                .replace("defaults", "description")
                .replace("&opt {name: sgd, lr: 0.1, momentum: 0.9}", "x")
            + MIN
            + "optimizer: &opt {name: sgd, lr: 0.1, momentum: 0.9}\n"
            + "variants:\n"
            + "  a: {optimizer: {<<: *opt, lr: 0.2}}\n"
            + "  b: {optimizer: *opt}\n";
    ExperimentConfig e = Configs.parse(yaml);
    assertEquals(
        new OptimizerConfig.Sgd(0.2, 0.9, 0, false, 0),
        e.variant("a").orElseThrow().config().optimizer());
    assertEquals(e.base().optimizer(), e.variant("b").orElseThrow().config().optimizer());
  }
}
