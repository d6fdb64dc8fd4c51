package org.gradguard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model: one of the builders {@code mlp}, {@code cnn}, {@code rnn}, or an explicit {@code
 * layers} list. Input and output sizes come from the data; where a config states them they are
 * checked against it.
 */
public sealed interface ModelConfig {
  /** The model's config type. */
  String type();

  /** How the weights are initialized. */
  InitConfig init();

  /** The model types. */
  enum Type implements Named {
    MLP("mlp"),
    CNN("cnn"),
    RNN("rnn"),
    LAYERS("layers");

    private final String id;

    Type(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** Normalization inside a builder's blocks. */
  enum Norm implements Named {
    NONE,
    BATCH,
    LAYER;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** Pooling after each convolution of the cnn builder. */
  enum Pool implements Named {
    MAX,
    AVG,
    NONE;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** The recurrent cell of the rnn builder. */
  enum Cell implements Named {
    RNN,
    LSTM,
    GRU;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /**
   * A multi-layer perceptron: {@code depth} hidden layers of {@code width} units, then a linear
   * read-out. A hidden layer is {@code Linear → [norm] → activation → [dropout]}. With {@code
   * residual}, every hidden layer after the first is a pre-activation residual block {@code h +
   * Linear(activation([norm](h)))} [dropout] (He et al. 2016, "Identity mappings in deep residual
   * networks"). {@code depth} 0 is a linear model.
   *
   * @param inFeatures the input size if stated (checked against the data), else null
   * @param outFeatures the output size if stated (checked against the data), else null
   */
  record Mlp(
      int depth,
      int width,
      ActivationName activation,
      Norm norm,
      boolean residual,
      InitConfig init,
      double dropout,
      boolean bias,
      Integer inFeatures,
      Integer outFeatures)
      implements ModelConfig {
    @Override
    public String type() {
      return "mlp";
    }
  }

  /** An explicit list of layers, applied in order. */
  record Layers(List<LayerSpec> layers, InitConfig init) implements ModelConfig {
    @Override
    public String type() {
      return "layers";
    }
  }

  /**
   * A convolutional network on images {@code [C, H, W]}: for each entry of {@code channels}, {@code
   * Conv2d(k, padding) → [BatchNorm2d] → activation → [pool]}; then flatten, a dense layer per
   * entry of {@code hidden} ({@code Linear → activation → [dropout]}), and a linear read-out.
   */
  record Cnn(
      List<Integer> channels,
      int kernelSize,
      int padding,
      Pool pool,
      int poolSize,
      List<Integer> hidden,
      ActivationName activation,
      Norm norm,
      InitConfig init,
      double dropout)
      implements ModelConfig {
    @Override
    public String type() {
      return "cnn";
    }
  }

  /**
   * A recurrent network on sequences {@code [T, F]}: {@code numLayers} stacked cells of {@code
   * hiddenSize}, the last step's hidden state read out by a linear layer.
   */
  record Rnn(Cell cell, int hiddenSize, int numLayers, ActivationName nonlinearity, InitConfig init)
      implements ModelConfig {
    @Override
    public String type() {
      return "rnn";
    }
  }

  /** The keys of each model type, besides the init keys ({@link InitConfig#KEYS}). */
  Map<Type, List<String>> KEYS =
      Map.of(
          Type.MLP,
              List.of(
                  "type",
                  "depth",
                  "width",
                  "activation",
                  "norm",
                  "residual",
                  "dropout",
                  "bias",
                  "in_features",
                  "out_features"),
          Type.LAYERS, List.of("type", "layers"),
          Type.CNN,
              List.of(
                  "type",
                  "channels",
                  "kernel_size",
                  "padding",
                  "pool",
                  "pool_size",
                  "hidden",
                  "activation",
                  "norm",
                  "dropout"),
          Type.RNN, List.of("type", "cell", "hidden_size", "num_layers", "nonlinearity"));

  /** The model at {@code node} (required). */
  static ModelConfig parse(Node node) {
    if (node.isAbsent()) {
      throw node.error(
          "required section is missing (e.g. model: {type: mlp, depth: 4, width: 64})");
    }
    Type dflt = node.json().isObject() && node.json().has("layers") ? Type.LAYERS : Type.MLP;
    Type type = Choices.kind(node, "type", Type.values(), dflt, "model type");
    Section s = Choices.settings(node);
    return switch (type) {
      case MLP -> mlp(s);
      case LAYERS -> {
        s.keys(withInit(Type.LAYERS));
        yield new Layers(LayerSpec.parseList(s.get("layers")), InitConfig.parse(s));
      }
      case CNN -> cnn(s);
      case RNN -> rnn(s);
    };
  }

  private static List<String> withInit(Type type) {
    List<String> all = new ArrayList<>(KEYS.get(type));
    all.addAll(InitConfig.KEYS);
    return all;
  }

  private static Mlp mlp(Section s) {
    s.keys(withInit(Type.MLP));
    int depth = s.integer("depth", 2, 0);
    boolean residual = s.bool("residual", false);
    if (residual && depth < 2) {
      throw s.error(
          "residual",
          "residual blocks need depth >= 2 (the first hidden layer changes the width), got depth "
              + depth);
    }
    if (depth == 0) {
      for (String k : List.of("width", "activation", "norm", "dropout")) {
        s.onlyWith(k, "with depth >= 1 (depth 0 is a linear model)");
      }
    }
    return new Mlp(
        depth,
        s.integer("width", 64, 1),
        s.choice("activation", ActivationName.values(), ActivationName.RELU, "activation"),
        s.choice("norm", Norm.values(), Norm.NONE, "norm"),
        residual,
        InitConfig.parse(s),
        s.number("dropout", 0, Range.FRACTION),
        s.bool("bias", true),
        s.optionalInteger("in_features", 1),
        s.optionalInteger("out_features", 1));
  }

  private static Cnn cnn(Section s) {
    s.keys(withInit(Type.CNN));
    Norm norm = s.choice("norm", Norm.values(), Norm.NONE, "norm");
    if (norm == Norm.LAYER) {
      throw s.error("norm", "the cnn builder supports none or batch, got layer");
    }
    int kernel = s.integer("kernel_size", 3, 1);
    return new Cnn(
        sizes(s.get("channels"), List.of(32, 64), false),
        kernel,
        s.integer("padding", kernel / 2, 0),
        s.choice("pool", Pool.values(), Pool.MAX, "pool"),
        s.integer("pool_size", 2, 1),
        sizes(s.get("hidden"), List.of(128), true),
        s.choice("activation", ActivationName.values(), ActivationName.RELU, "activation"),
        norm,
        InitConfig.parse(s),
        s.number("dropout", 0, Range.FRACTION));
  }

  private static Rnn rnn(Section s) {
    s.keys(withInit(Type.RNN));
    Cell cell = s.choice("cell", Cell.values(), Cell.RNN, "cell");
    if (cell != Cell.RNN) {
      s.onlyWith("nonlinearity", "to cell: rnn");
    }
    ActivationName nl =
        s.choice("nonlinearity", ActivationName.values(), ActivationName.TANH, "nonlinearity");
    if (nl != ActivationName.TANH && nl != ActivationName.RELU) {
      throw s.error("nonlinearity", "must be tanh or relu, got " + nl.id());
    }
    return new Rnn(
        cell,
        s.integer("hidden_size", 128, 1),
        s.integer("num_layers", 1, 1),
        nl,
        InitConfig.parse(s));
  }

  /** A list of sizes {@code >= 1}; absent gives {@code dflt}. */
  private static List<Integer> sizes(Node n, List<Integer> dflt, boolean mayBeEmpty) {
    if (n.isAbsent()) {
      return dflt;
    }
    List<Integer> out = new ArrayList<>();
    for (Node item : n.asList()) {
      out.add(item.asInt(1));
    }
    if (out.isEmpty() && !mayBeEmpty) {
      throw n.error("expected at least one size");
    }
    return List.copyOf(out);
  }
}
