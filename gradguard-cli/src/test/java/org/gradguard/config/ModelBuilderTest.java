package org.gradguard.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.Residual;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModelBuilderTest {
  private static final Origin ORIGIN = new Origin(Source.of("t.yaml"), "");

  private static Module build(String model, DataShape shape) {
    RunConfig run = Configs.parse("data: {name: spirals}\nmodel: " + model + "\n").base();
    return ModelBuilder.build(run, shape, new Rng(0), ORIGIN);
  }

  private static String error(String model, DataShape shape) {
    return assertThrows(ConfigException.class, () -> build(model, shape)).getMessage();
  }

  private static int[] outShape(Module m, int... inputShape) {
    m.eval();
    return m.forward(Variable.constant(Tensor.zeros(inputShape))).shape();
  }

  private static final DataShape FLAT = DataShape.classes("d", 3, 5);

  @Test
  void mlpHasDepthHiddenLayersAndAReadOut() {
    Module m = build("{depth: 3, width: 8, activation: tanh}", FLAT);
    // (5·8 + 8) + 2·(8·8 + 8) + (8·3 + 3)
    assertEquals(48 + 144 + 27, m.parameterCount());
    assertEquals(7, ((Sequential) m).size()); // 3 x (linear, tanh) + linear
    assertArrayEquals(new int[] {4, 3}, outShape(m, 4, 5));
  }

  @Test
  void mlpWithNormAndResidualBlocks() {
    Sequential m = (Sequential) build("{depth: 3, width: 8, norm: batch, residual: true}", FLAT);
    // linear, bn, relu, residual, residual, linear
    assertEquals(6, m.size());
    assertInstanceOf(BatchNorm1d.class, m.get(1));
    Residual r = assertInstanceOf(Residual.class, m.get(3));
    assertInstanceOf(BatchNorm1d.class, ((Sequential) r.fn()).get(0));
    assertArrayEquals(new int[] {2, 3}, outShape(m, 2, 5));
  }

  @Test
  void depthZeroIsALinearModel() {
    Module m = build("{depth: 0}", DataShape.regression("d", 1, 3));
    assertEquals(4, m.parameterCount());
  }

  @Test
  void layersListInfersSizesAndChecksThem() {
    Module m =
        build(
            "{layers: [{type: linear, out: 6}, relu, {type: residual, layers: [layernorm, {type:"
                + " linear, out: 6}]}, dropout, {type: linear, in: 6, out: 3}]}",
            FLAT);
    assertArrayEquals(new int[] {2, 3}, outShape(m, 2, 5));
    assertEquals(
        "t.yaml: model.layers[1].in: is 7 but layer model.layers[0] (linear → [6]) gives 6"
            + " features",
        error("{layers: [{type: linear, out: 6}, {type: linear, in: 7, out: 3}]}", FLAT));
    assertTrue(
        error("{layers: [batchnorm2d, {type: linear, out: 3}]}", FLAT)
            .startsWith("t.yaml: model.layers[0]: batchnorm2d takes [C, H, W] inputs, but data"));
  }

  @Test
  void imagesThroughConvolutionsAndPooling() {
    DataShape img = DataShape.classes("img", 4, 1, 8, 8);
    Module m =
        build(
            "{layers: [{type: conv2d, out_channels: 3, kernel_size: 3, padding: 1}, batchnorm2d,"
                + " relu, {type: maxpool2d, kernel_size: 2}, {type: avgpool2d, kernel_size: 2},"
                + " flatten, {type: linear, in: 12, out: 4}]}",
            img);
    assertArrayEquals(new int[] {2, 4}, outShape(m, 2, 1, 8, 8));
    assertEquals(
        "t.yaml: model.layers[0].in_channels: is 3 but data 'img' ([1, 8, 8] inputs, 4 classes)"
            + " gives 1 channels",
        error("{layers: [{type: conv2d, in_channels: 3, out_channels: 2, kernel_size: 3}]}", img));
    assertTrue(
        error("{layers: [{type: conv2d, out_channels: 2, kernel_size: 9}]}", img)
            .contains("conv2d with kernel_size 9 and padding 0 does not fit the 8x8 input"));
  }

  @Test
  void cnnBuilderMatchesW5() {
    Module m =
        build(
            "{type: cnn, channels: [32, 64], kernel_size: 3, padding: 1, hidden: [128]}",
            DataShape.classes("fashion-mnist", 10, 1, 28, 28));
    // conv 320 + conv 18,496 + linear 401,536 + linear 1,290 (the PyTorch model of W5)
    assertEquals(421_642, m.parameterCount());
    assertTrue(
        error("{type: cnn}", DataShape.classes("fashion-mnist", 10, 784))
            .contains("the cnn takes images [channels, height, width], but data 'fashion-mnist'"));
  }

  @Test
  void rnnBuilderReadsOutTheLastStep() {
    DataShape seq = DataShape.regression("adding", 1, 6, 2);
    Module m = build("{type: rnn, hidden_size: 4}", seq);
    assertEquals(2 * 4 + 4 * 4 + 4 + 4 + 4 + 1, m.parameterCount());
    assertArrayEquals(new int[] {3, 1}, outShape(m, 3, 6, 2));
    Module lstm = build("{type: rnn, cell: lstm, hidden_size: 4, num_layers: 2}", seq);
    assertArrayEquals(new int[] {3, 1}, outShape(lstm, 3, 6, 2));
    Module gru = build("{type: rnn, cell: gru, hidden_size: 4, num_layers: 2}", seq);
    assertArrayEquals(new int[] {3, 1}, outShape(gru, 3, 6, 2));
    // two layers of 3 gates: [12, 2] and [12, 4] inputs, [12, 4] recurrent, biases; read-out 4 + 1
    assertEquals(12 * 2 + 12 * 4 + 24 + 12 * 4 + 12 * 4 + 24 + 5, gru.parameterCount());
    assertTrue(
        gru.namedModules().values().stream().anyMatch(x -> x instanceof org.gradguard.nn.GRU));
    assertTrue(error("{type: rnn}", FLAT).contains("the rnn takes sequences [steps, features]"));
    assertTrue(
        error("{type: rnn, cell: gru, nonlinearity: relu}", seq).contains("nonlinearity"),
        "nonlinearity belongs to cell: rnn");
  }

  @Test
  void aGruLayerInAnExplicitList() {
    DataShape seq = DataShape.regression("adding", 1, 6, 2);
    Module m = build("{layers: [{type: gru, hidden_size: 5}, {type: linear, out: 1}]}", seq);
    assertArrayEquals(new int[] {3, 1}, outShape(m, 3, 6, 2));
    assertEquals(15 * 2 + 15 * 5 + 30 + 6, m.parameterCount());
  }

  @Test
  void initializersScaleTheWeights() {
    DataShape wide = DataShape.classes("d", 2, 200);
    Map<String, Parameter> he =
        build("{depth: 1, width: 100, init: kaiming_normal}", wide).namedParameters();
    assertEquals(Math.sqrt(2.0 / 200), std(he.get("0.weight")), 0.05 * Math.sqrt(2.0 / 200));
    assertEquals(0.0, maxAbs(he.get("0.bias")));
    // The read-out is followed by no activation: gain 1.
    assertEquals(Math.sqrt(1.0 / 100), std(he.get("2.weight")), 0.1 * Math.sqrt(1.0 / 100));

    Map<String, Parameter> normal =
        build(
                "{depth: 1, width: 100, activation: tanh, init: normal, sigma_w2: 1.5, sigma_b2: 0.04}",
                wide)
            .namedParameters();
    assertEquals(Math.sqrt(1.5 / 200), std(normal.get("0.weight")), 0.05 * Math.sqrt(1.5 / 200));
    assertEquals(0.2, std(normal.get("0.bias")), 0.04);

    Tensor q =
        build("{depth: 1, width: 100, init: orthogonal}", wide)
            .namedParameters()
            .get("0.weight")
            .value();
    Tensor qqt = q.matmul(q, false, true); // [100, 100], rows orthonormal
    for (int i = 0; i < 100; i++) {
      for (int j = 0; j < 100; j++) {
        assertEquals(i == j ? 1.0 : 0.0, qqt.data()[i * 100 + j], 1e-5);
      }
    }
  }

  @Test
  void theOutputMustFitTheLoss() {
    assertTrue(
        error("{layers: [{type: linear, out: 2}]}", FLAT)
            .contains("model.layers: the model's output [2]"));
    RunConfig bce =
        Configs.parse("data: {name: spirals, arms: 2}\nmodel: {depth: 1}\nloss: bce_with_logits\n")
            .base();
    Module m = ModelBuilder.build(bce, DataShape.classes("spirals", 2, 2), new Rng(0), ORIGIN);
    assertArrayEquals(new int[] {5, 1}, outShape(m, 5, 2));
    assertTrue(
        assertThrows(
                ConfigException.class,
                () ->
                    ModelBuilder.build(bce, DataShape.classes("spirals", 3, 2), new Rng(0), ORIGIN))
            .getMessage()
            .contains("bce_with_logits on class labels needs 2 classes"));
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    List<Parameter> a =
        build("{depth: 2, width: 8, init: xavier, dropout: 0.1}", FLAT).parameters();
    List<Parameter> b =
        build("{depth: 2, width: 8, init: xavier, dropout: 0.1}", FLAT).parameters();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).value().data(), b.get(i).value().data());
    }
  }

  private static double std(Parameter p) {
    float[] d = p.value().data();
    double s = 0;
    for (float v : d) {
      s += v * (double) v;
    }
    return Math.sqrt(s / d.length);
  }

  private static double maxAbs(Parameter p) {
    double m = 0;
    for (float v : p.value().data()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static Module buildWith(String yaml, DataShape shape) {
    RunConfig run = Configs.parse("data: {name: spirals}\n" + yaml).base();
    return ModelBuilder.build(run, shape, new Rng(0), ORIGIN);
  }

  private static float[] values(Module m, String name) {
    return m.namedParameters().get(name).value().data();
  }

  @Test
  void pytorchRandomNumbersDrawPyTorchsInitialWeights() {
    // torch.manual_seed(3); nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(),
    // nn.Linear(32, 3)): first two and last element of each parameter, printed by PyTorch 1.13.
    Module m =
        buildWith(
            "model: {layers: [{type: conv2d, out_channels: 2, kernel_size: 3, padding: 1}, relu,"
                + " flatten, {type: linear, out: 3}]}\ntrain: {seed: 3, rng: pytorch}\n",
            DataShape.classes("img", 3, 1, 4, 4));
    assertEnds(values(m, "0.weight"), -0x1.526c3cp-2f, -0x1.0d43c0p-2f, 0x1.32a466p-2f);
    assertEnds(values(m, "0.bias"), 0x1.da34acp-3f, 0x1.ffcdc0p-3f, 0x1.ffcdc0p-3f);
    assertEnds(values(m, "3.weight"), 0x1.ad8d88p-5f, -0x1.9d132ep-4f, -0x1.32420ep-3f);
    assertEnds(values(m, "3.bias"), 0x1.2ff582p-3f, 0x1.3f1fb0p-3f, -0x1.9466f8p-6f);

    // torch.manual_seed(4); nn.RNN(2, 3); nn.Linear(3, 1).
    Module rnn =
        buildWith(
            "model: {type: rnn, hidden_size: 3}\ntrain: {seed: 4, rng: pytorch}\n",
            DataShape.regression("adding", 1, 6, 2));
    List<float[]> p = rnn.namedParameters().values().stream().map(q -> q.value().data()).toList();
    assertEnds(p.get(0), 0x1.1a11ecp-4f, 0x1.177c90p-4f, -0x1.10919ep-1f); // weight_ih_l0
    assertEnds(p.get(1), 0x1.23670ep-1f, 0x1.e87870p-2f, 0x1.c10f88p-4f); // weight_hh_l0
    assertEnds(p.get(2), 0x1.5d7fcep-2f, 0x1.378c28p-2f, -0x1.52858ep-2f); // bias_ih_l0
    assertEnds(p.get(3), -0x1.c94868p-3f, -0x1.10cf6ep-1f, 0x1.a0c24ap-6f); // bias_hh_l0
    assertEnds(p.get(4), -0x1.a7e9cap-3f, 0x1.fbdcc8p-4f, 0x1.b8153ep-6f); // head weight
    assertEquals(0x1.f80676p-2f, p.get(5)[0]); // head bias
  }

  private static void assertEnds(float[] d, float first, float second, float last) {
    assertArrayEquals(new float[] {first, second, last}, new float[] {d[0], d[1], d[d.length - 1]});
  }

  @Test
  void pytorchRandomNumbersNeedPyTorchsInitialization() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                buildWith(
                    "model: {depth: 1, width: 4, init: xavier}\ntrain: {rng: pytorch}\n", FLAT));
    assertTrue(
        e.getMessage().contains("train.rng") && e.getMessage().contains("xavier"), e.getMessage());
  }

  @Test
  void zeroInitLastSurvivesEveryInitializer() {
    // The initializers redraw the weights after the blocks are built; the zeroed layer stays zero.
    for (String extra :
        List.of(
            "", "  init: kaiming_normal\n", "  init: orthogonal\n", "train: {rng: pytorch}\n")) {
      String yaml =
          "model:\n  layers: [{type: linear, out: 4}, {type: residual, zero_init_last: true,"
              + " layers: [relu, {type: linear, out: 4}]}, {type: linear, out: 3}]\n"
              + extra;
      Module m = buildWith(yaml, FLAT);
      for (float v : values(m, "1.fn.1.weight")) {
        assertEquals(0f, v, yaml);
      }
      for (float v : values(m, "1.fn.1.bias")) {
        assertEquals(0f, v, yaml);
      }
      assertTrue(values(m, "0.weight")[0] != 0f, yaml);
    }
  }
}
