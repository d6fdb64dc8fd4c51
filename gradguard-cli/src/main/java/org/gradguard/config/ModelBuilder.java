package org.gradguard.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gradguard.nn.AvgPool2d;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.BatchNorm2d;
import org.gradguard.nn.Conv2d;
import org.gradguard.nn.Dropout;
import org.gradguard.nn.Flatten;
import org.gradguard.nn.GRU;
import org.gradguard.nn.LSTM;
import org.gradguard.nn.LayerNorm;
import org.gradguard.nn.Linear;
import org.gradguard.nn.MaxPool2d;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.RNN;
import org.gradguard.nn.Residual;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;

/**
 * Builds a model from its config for data of a given shape, following the shape of one example
 * through every layer: sizes left out are taken from the previous layer, sizes given are checked,
 * and the output is checked against what the data and the loss need. Every mismatch is a {@link
 * ConfigException} naming the layer's key path and both shapes. The builders ({@code mlp}, {@code
 * cnn}, {@code rnn}) produce {@link Sequential} models whose parameters are named as PyTorch would
 * name those of an {@code nn.Sequential} ({@code 0.weight}, {@code 3.fn.2.bias}).
 */
public final class ModelBuilder {
  private final Origin origin;
  private final DataShape data;
  private final Rng rng;
  private final List<Initializers.Target> targets = new ArrayList<>();
  private final PyTorchInit pytorch = new PyTorchInit();
  private int[] shape;
  private String from;

  /**
   * The index in {@link #targets} of the last weighted layer not yet followed by an activation,
   * whose init gain the next activation sets (-1 when none); norm and dropout layers in between
   * keep it.
   */
  private int awaitingActivation = -1;

  private ModelBuilder(Origin origin, DataShape data, Rng rng) {
    this.origin = origin;
    this.data = data;
    this.rng = rng;
    this.shape = data.featureShape();
    this.from = data.describe();
  }

  /**
   * The model for {@code run} on data of shape {@code data}, initialized as {@code model.init} says
   * (except {@code lsuv}, which needs data: see {@link RunFactory}).
   *
   * @param rng draws the initial weights (advanced); dropout layers get streams split from it
   * @throws ConfigException if the model does not fit the data or the loss
   */
  public static Module build(RunConfig run, DataShape data, Rng rng, Origin origin) {
    ModelBuilder b = new ModelBuilder(origin, data, rng);
    int[] out = outputShape(run.lossKind(), data, origin);
    ModelConfig m = run.model();
    Module model;
    if (m instanceof ModelConfig.Mlp mlp) {
      model = b.mlp(mlp, out[0]);
    } else if (m instanceof ModelConfig.Layers layers) {
      model = b.sequence(layers.layers(), "model.layers");
      b.checkOutput(out, "model.layers");
    } else if (m instanceof ModelConfig.Cnn cnn) {
      model = b.cnn(cnn, out);
    } else {
      model = b.rnn((ModelConfig.Rnn) m, out);
    }
    if (run.train().rng() == TrainConfig.RandomNumbers.PYTORCH) {
      if (m.init().kind() != InitConfig.Kind.PYTORCH) {
        throw origin.error(
            "train.rng",
            "pytorch draws PyTorch's default initialization, but model.init is "
                + m.init().kind().id()
                + " (use init: pytorch, or rng: gradguard)");
      }
      b.pytorch.apply(run.train().seed());
    } else {
      Initializers.apply(m.init(), b.targets, rng);
    }
    reapplyZeroInit(model);
    return model;
  }

  /**
   * Zeroes again the last weighted layer of every residual block built with {@code zero_init_last},
   * after an initializer has redrawn the weights (Modified: those layers).
   */
  static void reapplyZeroInit(Module model) {
    for (Module m : model.namedModules().values()) {
      if (m instanceof Residual r) {
        r.reapplyZeroInit();
      }
    }
  }

  /** The output shape of one example that the loss needs for this data. */
  static int[] outputShape(LossConfig.Kind loss, DataShape data, Origin origin) {
    if (loss == LossConfig.Kind.BCE_WITH_LOGITS && data.classification()) {
      if (data.numClasses() != 2) {
        throw origin.error(
            "loss",
            "bce_with_logits on class labels needs 2 classes, but "
                + data.describe()
                + " has "
                + data.numClasses()
                + " (use cross_entropy)");
      }
      return new int[] {1};
    }
    if (data.classification()) {
      return new int[] {data.numClasses()};
    }
    return data.targetShape();
  }

  // ------------------------------------------------------------------ builders

  private Module mlp(ModelConfig.Mlp m, int outFeatures) {
    if (shape.length != 1) {
      throw origin.error(
          "model",
          "the mlp takes flat inputs [features], but "
              + data.describe()
              + " gives "
              + Shapes.format(shape)
              + hint());
    }
    int in = shape[0];
    if (m.inFeatures() != null && m.inFeatures() != in) {
      throw origin.error(
          "model.in_features", "is " + m.inFeatures() + " but " + data.describe() + " has " + in);
    }
    if (m.outFeatures() != null && m.outFeatures() != outFeatures) {
      throw origin.error(
          "model.out_features",
          "is "
              + m.outFeatures()
              + " but "
              + data.describe()
              + " needs "
              + outFeatures
              + " outputs");
    }
    double gain = m.activation().gain(0.01);
    List<Module> layers = new ArrayList<>();
    int width = in;
    for (int i = 0; i < m.depth(); i++) {
      if (m.residual() && i > 0) {
        // Pre-activation block h + Linear(act(norm(h))) (He et al. 2016, "Identity mappings").
        List<Module> branch = new ArrayList<>();
        if (m.norm() != ModelConfig.Norm.NONE) {
          branch.add(norm(m.norm(), width));
        }
        branch.add(m.activation().create());
        branch.add(linear(width, m.width(), m.bias(), gain));
        if (m.dropout() > 0) {
          branch.add(new Dropout(m.dropout(), rng.split()));
        }
        layers.add(new Residual(new Sequential(branch)));
      } else {
        layers.add(linear(width, m.width(), m.bias(), gain));
        if (m.norm() != ModelConfig.Norm.NONE) {
          layers.add(norm(m.norm(), m.width()));
        }
        layers.add(m.activation().create());
        if (m.dropout() > 0) {
          layers.add(new Dropout(m.dropout(), rng.split()));
        }
      }
      width = m.width();
    }
    layers.add(linear(width, outFeatures, m.bias(), 1.0));
    shape = new int[] {outFeatures};
    return new Sequential(layers);
  }

  private Module cnn(ModelConfig.Cnn c, int[] out) {
    if (shape.length != 3) {
      throw origin.error(
          "model",
          "the cnn takes images [channels, height, width], but "
              + data.describe()
              + " gives "
              + Shapes.format(shape)
              + hint());
    }
    List<Module> layers = new ArrayList<>();
    LayerSpec act = new LayerSpec.Act(c.activation(), 0.01, 1, 1, 20);
    for (int i = 0; i < c.channels().size(); i++) {
      String path = "model.channels[" + i + "]";
      layers.add(
          layer(
              new LayerSpec.Conv2d(null, c.channels().get(i), c.kernelSize(), 1, c.padding(), true),
              path));
      if (c.norm() == ModelConfig.Norm.BATCH) {
        layers.add(layer(new LayerSpec.BatchNorm(2, null, 1e-5, 0.1, true), path));
      }
      layers.add(layer(act, path));
      if (c.pool() != ModelConfig.Pool.NONE) {
        layers.add(
            layer(
                new LayerSpec.Pool(c.pool() == ModelConfig.Pool.MAX, c.poolSize(), null, 0), path));
      }
    }
    layers.add(layer(new LayerSpec.Flatten(1, -1), "model"));
    for (int i = 0; i < c.hidden().size(); i++) {
      String path = "model.hidden[" + i + "]";
      layers.add(layer(new LayerSpec.Linear(null, c.hidden().get(i), true), path));
      layers.add(layer(act, path));
      if (c.dropout() > 0) {
        layers.add(layer(new LayerSpec.Dropout(c.dropout()), path));
      }
    }
    layers.add(layer(new LayerSpec.Linear(null, out[0], true), "model"));
    checkOutput(out, "model");
    return new Sequential(layers);
  }

  private Module rnn(ModelConfig.Rnn r, int[] out) {
    if (shape.length != 2) {
      throw origin.error(
          "model",
          "the rnn takes sequences [steps, features], but "
              + data.describe()
              + " gives "
              + Shapes.format(shape));
    }
    Module encoder =
        layer(
            new LayerSpec.Recurrent(
                r.cell(), null, r.hiddenSize(), r.numLayers(), r.nonlinearity()),
            "model");
    Module head = layer(new LayerSpec.Linear(null, out[0], true), "model");
    checkOutput(out, "model");
    return new Sequential(encoder, head);
  }

  // ------------------------------------------------------------------ layers

  private Module norm(ModelConfig.Norm norm, int features) {
    return norm == ModelConfig.Norm.BATCH ? new BatchNorm1d(features) : new LayerNorm(features);
  }

  private Linear linear(int in, int out, boolean bias, double gain) {
    Linear l = new Linear(in, out, bias, rng);
    targets.add(new Initializers.Target(l.weight().value(), bias ? l.bias().value() : null, gain));
    pytorch.weighted(l.weight().value(), bias ? l.bias().value() : null);
    return l;
  }

  private Sequential sequence(List<LayerSpec> specs, String path) {
    List<Module> out = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      out.add(layer(specs.get(i), path + "[" + i + "]"));
    }
    return new Sequential(out);
  }

  private Module layer(LayerSpec spec, String path) {
    Module m;
    if (spec instanceof LayerSpec.Linear l) {
      int in = lastAxis(path, "linear");
      if (l.in() != null && l.in() != in) {
        throw origin.error(
            path + ".in", "is " + l.in() + " but " + from + " gives " + in + " features");
      }
      m = linear(in, l.out(), l.bias(), 1.0);
      awaitingActivation = targets.size() - 1;
      shape = replaceLast(shape, l.out());
    } else if (spec instanceof LayerSpec.Act a) {
      m = a.name().create(a.negativeSlope(), a.alpha(), a.beta(), a.threshold());
      if (awaitingActivation >= 0) {
        Initializers.Target t = targets.get(awaitingActivation);
        targets.set(
            awaitingActivation,
            new Initializers.Target(t.weight(), t.bias(), a.name().gain(a.negativeSlope())));
        awaitingActivation = -1;
      }
    } else if (spec instanceof LayerSpec.BatchNorm b) {
      m = batchNorm(b, path);
    } else if (spec instanceof LayerSpec.LayerNorm n) {
      m = new LayerNorm(new int[] {lastAxis(path, "layernorm")}, n.eps(), n.elementwiseAffine());
    } else if (spec instanceof LayerSpec.Dropout d) {
      m = new Dropout(d.p(), rng.split());
    } else if (spec instanceof LayerSpec.Flatten f) {
      m = flatten(f, path);
      awaitingActivation = -1;
    } else if (spec instanceof LayerSpec.Residual r) {
      m = residual(r, path);
      awaitingActivation = -1;
    } else if (spec instanceof LayerSpec.Conv2d c) {
      m = conv(c, path);
      awaitingActivation = targets.size() - 1;
    } else if (spec instanceof LayerSpec.Pool p) {
      m = pool(p, path);
    } else {
      m = recurrent((LayerSpec.Recurrent) spec, path);
      awaitingActivation = -1;
    }
    from = "layer " + path + " (" + spec.type() + " → " + Shapes.format(shape) + ")";
    return m;
  }

  private Module residual(LayerSpec.Residual r, String path) {
    int[] in = shape;
    String inFrom = from;
    awaitingActivation = -1;
    Sequential fn = sequence(r.layers(), path + ".layers");
    if (!Arrays.equals(in, shape)) {
      throw origin.error(
          path,
          "a residual block must keep the shape of its input "
              + Shapes.format(in)
              + " (from "
              + inFrom
              + "), but its layers give "
              + Shapes.format(shape));
    }
    try {
      return new Residual(fn, r.rezero(), r.zeroInitLast());
    } catch (IllegalArgumentException e) {
      throw origin.error(
          path + ".zero_init_last", "the block has no layer with weights to zero", e);
    }
  }

  private Module batchNorm(LayerSpec.BatchNorm b, String path) {
    boolean fits = b.dims() == 1 ? shape.length == 1 || shape.length == 2 : shape.length == 3;
    if (!fits) {
      throw origin.error(
          path,
          b.type()
              + " takes "
              + (b.dims() == 1 ? "[C] or [C, L]" : "[C, H, W]")
              + " inputs, but "
              + from
              + " gives "
              + Shapes.format(shape));
    }
    int c = shape[0];
    if (b.numFeatures() != null && b.numFeatures() != c) {
      throw origin.error(
          path + ".num_features",
          "is " + b.numFeatures() + " but " + from + " gives " + c + " channels");
    }
    return b.dims() == 1
        ? new BatchNorm1d(c, b.eps(), b.momentum(), b.affine(), true)
        : new BatchNorm2d(c, b.eps(), b.momentum(), b.affine(), true);
  }

  private Module flatten(LayerSpec.Flatten f, String path) {
    int rank = shape.length + 1; // with the batch axis
    int start = f.startDim();
    int end = f.endDim() < 0 ? rank + f.endDim() : f.endDim();
    if (start >= rank || end < start || end >= rank) {
      throw origin.error(
          path,
          "start_dim "
              + f.startDim()
              + " and end_dim "
              + f.endDim()
              + " do not fit the input [batch, "
              + Shapes.format(shape).replaceAll("^\\[|]$", "")
              + "] from "
              + from);
    }
    List<Integer> out = new ArrayList<>();
    int merged = 1;
    for (int a = 1; a < rank; a++) {
      int size = shape[a - 1];
      if (a < start || a > end) {
        out.add(size);
      } else {
        merged *= size;
        if (a == end) {
          out.add(merged);
        }
      }
    }
    shape = out.stream().mapToInt(Integer::intValue).toArray();
    return new Flatten(f.startDim(), f.endDim());
  }

  private Module conv(LayerSpec.Conv2d c, String path) {
    requireImage(path, "conv2d");
    if (c.inChannels() != null && c.inChannels() != shape[0]) {
      throw origin.error(
          path + ".in_channels",
          "is " + c.inChannels() + " but " + from + " gives " + shape[0] + " channels");
    }
    int[] hw = window(path, "conv2d", c.kernelSize(), c.stride(), c.padding());
    Conv2d conv =
        new Conv2d(
            shape[0],
            c.outChannels(),
            new int[] {c.kernelSize(), c.kernelSize()},
            new int[] {c.stride(), c.stride()},
            new int[] {c.padding(), c.padding()},
            c.bias(),
            rng);
    targets.add(
        new Initializers.Target(
            conv.weight().value(), conv.bias() == null ? null : conv.bias().value(), 1.0));
    pytorch.weighted(conv.weight().value(), conv.bias() == null ? null : conv.bias().value());
    shape = new int[] {c.outChannels(), hw[0], hw[1]};
    return conv;
  }

  private Module pool(LayerSpec.Pool p, String path) {
    requireImage(path, p.type());
    int stride = p.stride() != null ? p.stride() : p.kernelSize();
    int[] hw = window(path, p.type(), p.kernelSize(), stride, p.padding());
    shape = new int[] {shape[0], hw[0], hw[1]};
    return p.max()
        ? new MaxPool2d(p.kernelSize(), stride, p.padding())
        : new AvgPool2d(p.kernelSize(), stride, p.padding());
  }

  private Module recurrent(LayerSpec.Recurrent r, String path) {
    if (shape.length != 2) {
      throw origin.error(
          path,
          r.type()
              + " takes sequences [steps, features], but "
              + from
              + " gives "
              + Shapes.format(shape));
    }
    int in = shape[1];
    if (r.inputSize() != null && r.inputSize() != in) {
      throw origin.error(
          path + ".input_size",
          "is " + r.inputSize() + " but " + from + " gives " + in + " features");
    }
    Module cell =
        switch (r.cell()) {
          case LSTM -> new LSTM(in, r.hiddenSize(), r.numLayers(), true, rng);
          case GRU -> new GRU(in, r.hiddenSize(), r.numLayers(), true, rng);
          case RNN ->
              new RNN(
                  in,
                  r.hiddenSize(),
                  r.numLayers(),
                  r.nonlinearity() == ActivationName.RELU
                      ? RNN.Nonlinearity.RELU
                      : RNN.Nonlinearity.TANH,
                  true,
                  rng);
        };
    // the gated cells' weights feed sigmoids and tanh: gain 1, as for a linear layer
    double gain = r.cell() == ModelConfig.Cell.RNN ? r.nonlinearity().gain(0.01) : 1.0;
    Map<String, Parameter> own = cell.ownParameters();
    pytorch.recurrent(own.values(), r.hiddenSize());
    for (Map.Entry<String, Parameter> e : own.entrySet()) {
      if (e.getKey().startsWith("weight_")) {
        Parameter bias = own.get("bias_" + e.getKey().substring("weight_".length()));
        targets.add(
            new Initializers.Target(
                e.getValue().value(), bias == null ? null : bias.value(), gain));
      }
    }
    shape = new int[] {r.hiddenSize()};
    return new RecurrentEncoder(cell);
  }

  // ------------------------------------------------------------------ shapes

  private void requireImage(String path, String type) {
    if (shape.length != 3) {
      throw origin.error(
          path,
          type
              + " takes images [C, H, W], but "
              + from
              + " gives "
              + Shapes.format(shape)
              + hint());
    }
  }

  /** The output height and width of a square window over the current image. */
  private int[] window(String path, String type, int k, int stride, int padding) {
    int h = (shape[1] + 2 * padding - k) / stride + 1;
    int w = (shape[2] + 2 * padding - k) / stride + 1;
    if (shape[1] + 2 * padding < k || shape[2] + 2 * padding < k) {
      throw origin.error(
          path,
          type
              + " with kernel_size "
              + k
              + " and padding "
              + padding
              + " does not fit the "
              + shape[1]
              + "x"
              + shape[2]
              + " input from "
              + from);
    }
    return new int[] {h, w};
  }

  private String hint() {
    return data.name().endsWith("mnist") ? " (set data.layout: flat or image)" : "";
  }

  private int lastAxis(String path, String type) {
    if (shape.length == 0) {
      throw origin.error(
          path, type + " needs at least one feature axis, but " + from + " gives a scalar");
    }
    return shape[shape.length - 1];
  }

  private static int[] replaceLast(int[] s, int v) {
    int[] out = s.clone();
    out[out.length - 1] = v;
    return out;
  }

  private void checkOutput(int[] needed, String path) {
    if (!Arrays.equals(shape, needed)) {
      throw origin.error(
          path,
          "the model's output "
              + Shapes.format(shape)
              + " (from "
              + from
              + ") does not match "
              + Shapes.format(needed)
              + ", what "
              + data.describe()
              + " needs");
    }
  }
}
