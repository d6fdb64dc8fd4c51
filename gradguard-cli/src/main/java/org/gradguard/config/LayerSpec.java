package org.gradguard.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of an explicit {@code model.layers} list. An entry is a map with a {@code type} and
 * that type's settings ({@code {type: linear, out: 64}}), or just the type's name for a layer
 * without required settings ({@code relu}, {@code flatten}). Sizes that follow from the data or the
 * previous layer ({@code linear.in}, {@code batchnorm1d.num_features}, {@code conv2d.in_channels})
 * may be left out; when given they are checked.
 */
public sealed interface LayerSpec {
  /** The layer's config type, e.g. {@code "linear"}. */
  String type();

  /** The layer types other than activations (which are named by their function). */
  enum Type implements Named {
    LINEAR("linear", "dense"),
    BATCHNORM1D("batchnorm1d", "batch_norm"),
    BATCHNORM2D("batchnorm2d"),
    LAYERNORM("layernorm", "layer_norm"),
    DROPOUT("dropout"),
    FLATTEN("flatten"),
    RESIDUAL("residual"),
    CONV2D("conv2d"),
    MAXPOOL2D("maxpool2d"),
    AVGPOOL2D("avgpool2d"),
    RNN("rnn"),
    LSTM("lstm"),
    GRU("gru");

    private final String id;
    private final List<String> aliases;

    Type(String id, String... aliases) {
      this.id = id;
      this.aliases = List.of(aliases);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public List<String> aliases() {
      return aliases;
    }
  }

  /** {@code torch.nn.Linear(in, out, bias)}; {@code in} null means "from the previous layer". */
  record Linear(Integer in, int out, boolean bias) implements LayerSpec {
    @Override
    public String type() {
      return "linear";
    }
  }

  /** An activation function and its parameters (each used only by its function). */
  record Act(ActivationName name, double negativeSlope, double alpha, double beta, double threshold)
      implements LayerSpec {
    @Override
    public String type() {
      return name.id();
    }
  }

  /** {@code BatchNorm1d} ({@code dims} 1) or {@code BatchNorm2d} ({@code dims} 2). */
  record BatchNorm(int dims, Integer numFeatures, double eps, double momentum, boolean affine)
      implements LayerSpec {
    @Override
    public String type() {
      return "batchnorm" + dims + "d";
    }
  }

  /** {@code LayerNorm} over the last axis. */
  record LayerNorm(double eps, boolean elementwiseAffine) implements LayerSpec {
    @Override
    public String type() {
      return "layernorm";
    }
  }

  /** {@code Dropout(p)}. */
  record Dropout(double p) implements LayerSpec {
    @Override
    public String type() {
      return "dropout";
    }
  }

  /** {@code Flatten(start_dim, end_dim)}, axes counted with the batch axis as 0. */
  record Flatten(int startDim, int endDim) implements LayerSpec {
    @Override
    public String type() {
      return "flatten";
    }
  }

  /**
   * {@code x + F(x)} with F the given layers; optional ReZero gate and zero-init of F's last layer.
   */
  record Residual(List<LayerSpec> layers, boolean rezero, boolean zeroInitLast)
      implements LayerSpec {
    @Override
    public String type() {
      return "residual";
    }
  }

  /** {@code Conv2d}; {@code inChannels} null means "from the input". */
  record Conv2d(
      Integer inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias)
      implements LayerSpec {
    @Override
    public String type() {
      return "conv2d";
    }
  }

  /** {@code MaxPool2d} or {@code AvgPool2d}; {@code stride} null means the kernel size. */
  record Pool(boolean max, int kernelSize, Integer stride, int padding) implements LayerSpec {
    @Override
    public String type() {
      return max ? "maxpool2d" : "avgpool2d";
    }
  }

  /**
   * {@code RNN}, {@code LSTM} or {@code GRU} over batch-major sequences {@code [B, T, F]}; the
   * layer's output is the last time step's hidden state {@code [B, hidden_size]}. {@code
   * nonlinearity} applies to the {@code RNN} cell only.
   */
  record Recurrent(
      ModelConfig.Cell cell,
      Integer inputSize,
      int hiddenSize,
      int numLayers,
      ActivationName nonlinearity)
      implements LayerSpec {
    @Override
    public String type() {
      return cell.id();
    }
  }

  /** Parses the list at {@code node} (required, non-empty). */
  static List<LayerSpec> parseList(Node node) {
    if (node.isAbsent()) {
      throw node.error("required key is missing (a list of layers)");
    }
    List<LayerSpec> out = new ArrayList<>();
    for (Node item : node.asList()) {
      out.add(parse(item));
    }
    if (out.isEmpty()) {
      throw node.error("expected at least one layer");
    }
    return List.copyOf(out);
  }

  /** Parses one entry. */
  static LayerSpec parse(Node node) {
    if (node.isAbsent()) {
      throw node.error("expected a layer, got nothing");
    }
    Node typeNode;
    if (node.json().isTextual()) {
      typeNode = node;
    } else if (node.json().isObject()) {
      typeNode = node.child("type");
      if (typeNode.isAbsent()) {
        throw typeNode.error("required key is missing (e.g. type: linear)");
      }
    } else {
      throw node.error(
          "expected a layer (a map with a type, or a type name), got " + node.describe());
    }
    Section s = Choices.settings(node);
    String given = typeNode.asString();
    ActivationName act = match(given, ActivationName.values());
    if (act != null) {
      return activation(s, act);
    }
    Type type = match(given, Type.values());
    if (type == null) {
      List<String> all = new ArrayList<>();
      for (Type t : Type.values()) {
        all.add(t.id());
      }
      for (ActivationName a : ActivationName.values()) {
        all.add(a.id());
      }
      throw typeNode.error(
          "unknown layer type \""
              + given
              + "\""
              + Suggestions.didYouMean(given, all)
              + " (one of: "
              + String.join(", ", all)
              + ")");
    }
    return switch (type) {
      case LINEAR -> {
        s.keys("type", "in", "out", "bias");
        yield new Linear(s.optionalInteger("in", 1), s.integer("out", 1), s.bool("bias", true));
      }
      case BATCHNORM1D, BATCHNORM2D -> {
        s.keys("type", "num_features", "eps", "momentum", "affine");
        yield new BatchNorm(
            type == Type.BATCHNORM1D ? 1 : 2,
            s.optionalInteger("num_features", 1),
            s.number("eps", 1e-5, Range.POSITIVE),
            s.number("momentum", 0.1, Range.UNIT_POSITIVE),
            s.bool("affine", true));
      }
      case LAYERNORM -> {
        s.keys("type", "eps", "elementwise_affine");
        yield new LayerNorm(
            s.number("eps", 1e-5, Range.POSITIVE), s.bool("elementwise_affine", true));
      }
      case DROPOUT -> {
        s.keys("type", "p");
        yield new Dropout(s.number("p", 0.5, Range.FRACTION));
      }
      case FLATTEN -> {
        s.keys("type", "start_dim", "end_dim");
        yield new Flatten(s.integer("start_dim", 1, 1), (int) s.longValue("end_dim", -1));
      }
      case RESIDUAL -> {
        s.keys("type", "layers", "rezero", "zero_init_last");
        yield new Residual(
            parseList(s.get("layers")), s.bool("rezero", false), s.bool("zero_init_last", false));
      }
      case CONV2D -> {
        s.keys("type", "in_channels", "out_channels", "kernel_size", "stride", "padding", "bias");
        yield new Conv2d(
            s.optionalInteger("in_channels", 1),
            s.integer("out_channels", 1),
            s.integer("kernel_size", 1),
            s.integer("stride", 1, 1),
            s.integer("padding", 0, 0),
            s.bool("bias", true));
      }
      case MAXPOOL2D, AVGPOOL2D -> {
        s.keys("type", "kernel_size", "stride", "padding");
        int k = s.integer("kernel_size", 1);
        int padding = s.integer("padding", 0, 0);
        if (2 * padding > k) {
          throw s.error("padding", "must be at most half of kernel_size " + k + ", got " + padding);
        }
        yield new Pool(type == Type.MAXPOOL2D, k, s.optionalInteger("stride", 1), padding);
      }
      case RNN, LSTM, GRU -> {
        List<String> keys =
            new ArrayList<>(List.of("type", "input_size", "hidden_size", "num_layers"));
        if (type == Type.RNN) {
          keys.add("nonlinearity");
        }
        s.keys(keys);
        ActivationName nl = ActivationName.TANH;
        if (type == Type.RNN) {
          nl =
              s.choice(
                  "nonlinearity", ActivationName.values(), ActivationName.TANH, "nonlinearity");
          if (nl != ActivationName.TANH && nl != ActivationName.RELU) {
            throw s.error("nonlinearity", "must be tanh or relu, got " + nl.id());
          }
        }
        yield new Recurrent(
            type == Type.RNN
                ? ModelConfig.Cell.RNN
                : type == Type.LSTM ? ModelConfig.Cell.LSTM : ModelConfig.Cell.GRU,
            s.optionalInteger("input_size", 1),
            s.integer("hidden_size", 1),
            s.integer("num_layers", 1, 1),
            nl);
      }
    };
  }

  private static Act activation(Section s, ActivationName a) {
    List<String> keys = new ArrayList<>(List.of("type"));
    switch (a) {
      case LEAKY_RELU -> keys.add("negative_slope");
      case ELU -> keys.add("alpha");
      case SOFTPLUS -> keys.addAll(List.of("beta", "threshold"));
      default -> {}
    }
    s.keys(keys);
    double slope =
        a == ActivationName.LEAKY_RELU ? s.number("negative_slope", 0.01, Range.ANY) : 0.01;
    double alpha = a == ActivationName.ELU ? s.number("alpha", 1.0, Range.POSITIVE) : 1.0;
    double beta = a == ActivationName.SOFTPLUS ? s.number("beta", 1.0, Range.POSITIVE) : 1.0;
    double threshold =
        a == ActivationName.SOFTPLUS ? s.number("threshold", 20.0, Range.POSITIVE) : 20.0;
    return new Act(a, slope, alpha, beta, threshold);
  }

  private static <E extends Named> E match(String given, E[] values) {
    String norm = Suggestions.normalize(given);
    for (E e : values) {
      if (Suggestions.normalize(e.id()).equals(norm)) {
        return e;
      }
      for (String alias : e.aliases()) {
        if (Suggestions.normalize(alias).equals(norm)) {
          return e;
        }
      }
    }
    return null;
  }
}
