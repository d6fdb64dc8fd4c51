package org.gradguard.golden;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.autograd.ArithmeticOps;
import org.gradguard.autograd.ReductionOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.AvgPool2d;
import org.gradguard.nn.Conv2d;
import org.gradguard.nn.LSTM;
import org.gradguard.nn.MaxPool2d;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.RNN;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Golden kinds of the convolution and recurrent layers: {@code conv2d}, {@code maxpool2d}, {@code
 * avgpool2d}, {@code rnn}, {@code lstm}. Each builds the GradGuard layer from the case's params,
 * loads the case's weights into its parameters, runs it, and backpropagates {@code Σ_k
 * sum(outputs[k] ⊙ upstream[k])} over every output the file gives an upstream for.
 */
final class ConvRnnGoldenKinds {
  private ConvRnnGoldenKinds() {}

  static void register(GoldenKinds r) {
    r.register("conv2d", ConvRnnGoldenKinds::conv2d);
    r.register("maxpool2d", ConvRnnGoldenKinds::maxPool2d);
    r.register("avgpool2d", ConvRnnGoldenKinds::avgPool2d);
    r.register("rnn", ConvRnnGoldenKinds::rnn);
    r.register("lstm", ConvRnnGoldenKinds::lstm);
  }

  /** Throws unless an optional param, when present, has the only value GradGuard supports. */
  private static void requireParam(GoldenCase c, String key, Object supported) {
    if (!c.hasParam(key)) {
      return;
    }
    Object v = c.param(key);
    boolean ok =
        supported instanceof int[] s
            ? v != null && Arrays.equals(c.paramIntList(key), s)
            : supported == null ? v == null : supported.equals(v);
    if (!ok) {
      throw new IllegalArgumentException(
          c.kind()
              + ": params."
              + key
              + " = "
              + v
              + " is not supported (only "
              + (supported instanceof int[] s ? Arrays.toString(s) : supported)
              + ")");
    }
  }

  /** Copies the case's input into a parameter, checking that the shapes agree. */
  private static void load(GoldenCase c, String name, Parameter p) {
    Tensor t = c.input(name);
    if (!t.sameShape(p.value())) {
      throw new IllegalArgumentException(
          c.id()
              + ": inputs."
              + name
              + " has shape "
              + Arrays.toString(t.shape())
              + ", the layer built from params expects "
              + Arrays.toString(p.shape()));
    }
    p.value().copyFromInPlace(t);
  }

  /** Backpropagates {@code Σ_k sum(out_k ⊙ upstream_k)} over the outputs named in the upstream. */
  private static void backward(GoldenCase c, Map<String, Variable> outputs) {
    Variable loss = null;
    for (String k : c.upstreamNames()) {
      Variable out = outputs.get(k);
      if (out == null) {
        throw new IllegalArgumentException(c.id() + ": upstream '" + k + "' names no output");
      }
      Variable term =
          ReductionOps.sum(ArithmeticOps.mul(out, Variable.constant(c.upstream(k))), false);
      loss = loss == null ? term : loss.add(term);
    }
    if (loss != null) {
      loss.backward();
    }
  }

  /** Outputs and the expected grads, taken from {@code sources} by the file's names. */
  private static GoldenResult result(
      GoldenCase c, Map<String, Variable> outputs, Map<String, Variable> sources) {
    backward(c, outputs);
    GoldenResult.Builder b = GoldenResult.builder();
    for (String k : c.expectedOutputs().keySet()) {
      b.output(k, outputs.get(k).value());
    }
    for (String k : c.expectedGrads().keySet()) {
      Variable v = sources.get(k);
      if (v == null || v.grad() == null) {
        throw new IllegalArgumentException(c.id() + ": no gradient for '" + k + "'");
      }
      b.grad(k, v.grad());
    }
    return b.build();
  }

  private static GoldenResult single(GoldenCase c, Module layer, Map<String, Variable> sources) {
    Variable x = Variable.leaf(c.input("x"));
    sources.put("x", x);
    Variable out = layer.forward(x);
    return result(c, Map.of("out", out), sources);
  }

  private static GoldenResult conv2d(GoldenCase c) {
    requireParam(c, "dilation", new int[] {1, 1});
    requireParam(c, "groups", 1L);
    boolean bias = c.paramBool("bias");
    Conv2d conv =
        new Conv2d(
            c.paramInt("in_channels"),
            c.paramInt("out_channels"),
            c.paramIntList("kernel_size"),
            c.paramIntList("stride"),
            c.paramIntList("padding"),
            bias,
            new Rng(0));
    Map<String, Variable> sources = new LinkedHashMap<>();
    load(c, "weight", conv.weight());
    sources.put("weight", conv.weight());
    if (bias) {
      load(c, "bias", conv.bias());
      sources.put("bias", conv.bias());
    }
    return single(c, conv, sources);
  }

  private static GoldenResult maxPool2d(GoldenCase c) {
    requireParam(c, "dilation", new int[] {1, 1});
    requireParam(c, "ceil_mode", Boolean.FALSE);
    MaxPool2d pool =
        new MaxPool2d(
            c.paramIntList("kernel_size"), c.paramIntList("stride"), c.paramIntList("padding"));
    return single(c, pool, new LinkedHashMap<>());
  }

  private static GoldenResult avgPool2d(GoldenCase c) {
    requireParam(c, "ceil_mode", Boolean.FALSE);
    requireParam(c, "divisor_override", null);
    AvgPool2d pool =
        new AvgPool2d(
            c.paramIntList("kernel_size"),
            c.paramIntList("stride"),
            c.paramIntList("padding"),
            c.paramBool("count_include_pad"));
    return single(c, pool, new LinkedHashMap<>());
  }

  /**
   * Loads {@code weight_ih}, … into the layer's {@code weight_ih_l0}, …; a file for several layers
   * names them with PyTorch's {@code _l{k}} suffix, a one-layer file may omit it.
   */
  private static Map<String, Variable> loadRecurrent(GoldenCase c, Module layer, int numLayers) {
    Map<String, Variable> sources = new LinkedHashMap<>();
    layer
        .namedParameters()
        .forEach(
            (name, p) -> {
              String base = name.substring(0, name.lastIndexOf("_l"));
              String file = numLayers == 1 && c.hasInput(base) ? base : name;
              load(c, file, p);
              sources.put(file, p);
            });
    return sources;
  }

  private static void requireRecurrentParams(GoldenCase c) {
    requireParam(c, "batch_first", Boolean.FALSE);
    requireParam(c, "dropout", 0.0);
    requireParam(c, "bidirectional", Boolean.FALSE);
    requireParam(c, "proj_size", 0L);
  }

  private static GoldenResult rnn(GoldenCase c) {
    requireRecurrentParams(c);
    int layers = c.paramInt("num_layers");
    String nl = c.hasParam("nonlinearity") ? c.paramString("nonlinearity") : "tanh";
    RNN.Nonlinearity act =
        switch (nl) {
          case "tanh" -> RNN.Nonlinearity.TANH;
          case "relu" -> RNN.Nonlinearity.RELU;
          default ->
              throw new IllegalArgumentException(
                  c.id() + ": params.nonlinearity '" + nl + "' is not tanh or relu");
        };
    RNN rnn =
        new RNN(
            c.paramInt("input_size"),
            c.paramInt("hidden_size"),
            layers,
            act,
            c.paramBool("bias"),
            new Rng(0));
    Map<String, Variable> sources = loadRecurrent(c, rnn, layers);
    Variable x = Variable.leaf(c.input("x"));
    Variable h0 = c.hasInput("h0") ? Variable.leaf(c.input("h0")) : null;
    sources.put("x", x);
    sources.put("h0", h0);
    RNN.Result r = rnn.run(x, h0);
    Map<String, Variable> outputs = new LinkedHashMap<>();
    outputs.put("out", r.output());
    outputs.put("h_n", r.hN());
    return result(c, outputs, sources);
  }

  private static GoldenResult lstm(GoldenCase c) {
    requireRecurrentParams(c);
    int layers = c.paramInt("num_layers");
    LSTM lstm =
        new LSTM(
            c.paramInt("input_size"),
            c.paramInt("hidden_size"),
            layers,
            c.paramBool("bias"),
            new Rng(0));
    Map<String, Variable> sources = loadRecurrent(c, lstm, layers);
    Variable x = Variable.leaf(c.input("x"));
    Variable h0 = c.hasInput("h0") ? Variable.leaf(c.input("h0")) : null;
    Variable c0 = c.hasInput("c0") ? Variable.leaf(c.input("c0")) : null;
    sources.put("x", x);
    sources.put("h0", h0);
    sources.put("c0", c0);
    LSTM.Result r = lstm.run(x, h0, c0);
    Map<String, Variable> outputs = new LinkedHashMap<>();
    outputs.put("out", r.output());
    outputs.put("h_n", r.hN());
    outputs.put("c_n", r.cN());
    return result(c, outputs, sources);
  }
}
