package org.gradguard.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.BatchNorm2d;
import org.gradguard.nn.Dropout;
import org.gradguard.nn.Flatten;
import org.gradguard.nn.LayerNorm;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.Residual;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;

/**
 * Builds a model from its config for data of a given shape, following the shape of one example
 * through every layer: sizes left out are taken from the previous layer, sizes given are checked,
 * and the output is checked against what the data and the loss need. Every mismatch is a {@link
 * ConfigException} naming the layer's key path and both shapes.
 */
public final class ModelBuilder {
  private final Origin origin;
  private final DataShape data;
  private final Rng rng;
  private final List<Initializers.Target> dense = new ArrayList<>();
  private int[] shape;
  private String from;

  /**
   * The index in {@link #dense} of the last dense layer not yet followed by an activation, whose
   * init gain the next activation sets (-1 when none); norm and dropout layers in between keep it.
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
   * The model for {@code run} on data of shape {@code data}.
   *
   * @param rng draws the initial weights (advanced); dropout layers get streams split from it
   * @throws ConfigException if the model does not fit the data or the loss, or needs layers this
   *     build lacks
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
    } else if (m instanceof ModelConfig.Cnn) {
      throw origin.error(
          "model.type",
          "cnn models are not available in this build yet (they need Conv2d and MaxPool2d from"
              + " branch nn-conv)");
    } else {
      throw origin.error(
          "model.type",
          "rnn models are not available in this build yet (they need RNN and LSTM from branch"
              + " nn-conv)");
    }
    Initializers.apply(m.init(), b.dense, rng, origin);
    return model;
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

  private Module mlp(ModelConfig.Mlp m, int outFeatures) {
    if (shape.length != 1) {
      throw origin.error(
          "model",
          "the mlp takes flat inputs [features], but "
              + data.describe()
              + " gives "
              + Shapes.format(shape)
              + (data.name().endsWith("mnist") ? " (set data.layout: flat)" : ""));
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
        List<Module> branch = new ArrayList<>();
        if (m.norm() != ModelConfig.Norm.NONE) {
          branch.add(norm(m.norm(), width));
        }
        branch.add(m.activation().create());
        branch.add(linear(width, m.width(), m.bias(), m.activation().gain(0.01)));
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
    return new Sequential(layers);
  }

  private Module norm(ModelConfig.Norm norm, int features) {
    return norm == ModelConfig.Norm.BATCH ? new BatchNorm1d(features) : new LayerNorm(features);
  }

  private Linear linear(int in, int out, boolean bias, double gain) {
    Linear l = new Linear(in, out, bias, rng);
    dense.add(new Initializers.Target(l, gain));
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
      awaitingActivation = dense.size() - 1;
      shape = replaceLast(shape, l.out());
    } else if (spec instanceof LayerSpec.Act a) {
      m = a.name().create(a.negativeSlope(), a.alpha(), a.beta(), a.threshold());
      if (awaitingActivation >= 0) {
        Linear l = dense.get(awaitingActivation).layer();
        dense.set(awaitingActivation, new Initializers.Target(l, a.name().gain(a.negativeSlope())));
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
        m = new Residual(fn, r.rezero(), r.zeroInitLast());
        awaitingActivation = -1;
      } catch (IllegalArgumentException e) {
        throw origin.error(
            path + ".zero_init_last", "the block has no layer with weights to zero", e);
      }
    } else {
      throw origin.error(
          path + ".type",
          spec.type()
              + " layers are not available in this build yet (they come with branch nn-conv)");
    }
    from = "layer " + path + " (" + spec.type() + " → " + Shapes.format(shape) + ")";
    return m;
  }

  private Module batchNorm(LayerSpec.BatchNorm b, String path) {
    if (b.dims() == 1 ? shape.length < 1 || shape.length > 2 : shape.length != 3) {
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
