package org.gradguard.golden;

import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.BatchNorm;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.BatchNorm2d;
import org.gradguard.nn.Embedding;
import org.gradguard.nn.LayerNorm;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.Residual;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * The golden kinds of the normalisation area: {@code batchnorm1d}, {@code batchnorm2d}, {@code
 * layernorm}, {@code embedding} and {@code residual_block}. Each builds the layer through the
 * public {@code nn} API, loads the file's tensors into its parameters and buffers, runs forward and
 * backward with the file's upstream, and reports outputs (including the running statistics after
 * the call) and gradients by the file's names. Shapes and hyper-parameters come only from the case.
 */
final class NormGoldenKinds {
  private NormGoldenKinds() {}

  static void register(GoldenKinds r) {
    r.register("batchnorm1d", c -> batchNorm(c, false));
    r.register("batchnorm2d", c -> batchNorm(c, true));
    r.register("layernorm", NormGoldenKinds::layerNorm);
    r.register("embedding", NormGoldenKinds::embedding);
    r.register("residual_block", NormGoldenKinds::residualBlock);
  }

  private static GoldenResult batchNorm(GoldenCase c, boolean twoD) {
    int features = c.paramInt("num_features");
    double eps = c.paramDouble("eps");
    double momentum = c.paramDouble("momentum");
    boolean affine = c.paramBool("affine");
    boolean track = c.paramBool("track_running_stats");
    BatchNorm bn =
        twoD
            ? new BatchNorm2d(features, eps, momentum, affine, track)
            : new BatchNorm1d(features, eps, momentum, affine, track);
    if (affine) {
      load(bn.weight(), c, "weight");
      load(bn.bias(), c, "bias");
    }
    if (track) {
      bn.runningMean().copyFromInPlace(c.input("running_mean"));
      bn.runningVar().copyFromInPlace(c.input("running_var"));
    }
    if (c.paramBool("training")) {
      bn.train();
    } else {
      bn.eval();
    }
    Variable x = Variable.leaf(c.input("x"));
    Variable out = bn.forward(x);
    out.backward(c.upstream("out"));
    GoldenResult.Builder b = GoldenResult.builder().output("out", out.value()).grad("x", x.grad());
    if (track) {
      b.output("running_mean_after", bn.runningMean()).output("running_var_after", bn.runningVar());
    }
    if (affine) {
      b.grad("weight", bn.weight().grad()).grad("bias", bn.bias().grad());
    }
    return b.build();
  }

  private static GoldenResult layerNorm(GoldenCase c) {
    boolean affine = c.paramBool("elementwise_affine");
    LayerNorm ln = new LayerNorm(c.paramIntList("normalized_shape"), c.paramDouble("eps"), affine);
    Variable x = Variable.leaf(c.input("x"));
    GoldenResult.Builder b = GoldenResult.builder();
    if (affine) {
      load(ln.weight(), c, "weight");
      load(ln.bias(), c, "bias");
    }
    Variable out = ln.forward(x);
    out.backward(c.upstream("out"));
    b.output("out", out.value()).grad("x", x.grad());
    if (affine) {
      b.grad("weight", ln.weight().grad()).grad("bias", ln.bias().grad());
    }
    return b.build();
  }

  private static GoldenResult embedding(GoldenCase c) {
    if (!c.paramIsNull("max_norm")) {
      throw new UnsupportedOperationException("embedding: max_norm is not supported");
    }
    Integer padding = c.paramIsNull("padding_idx") ? null : c.paramInt("padding_idx");
    Embedding e =
        new Embedding(
            c.paramInt("num_embeddings"), c.paramInt("embedding_dim"), padding, new Rng(0));
    load(e.weight(), c, "weight");
    int[] shape = c.inputShape("indices");
    int[] indices = c.inputInts("indices");
    Variable out =
        shape.length == 0
            ? e.forward(Variable.constant(Tensor.scalar(indices[0])))
            : e.forward(indices, shape);
    out.backward(c.upstream("out"));
    return GoldenResult.builder()
        .output("out", out.value())
        .grad("weight", e.weight().grad())
        .build();
  }

  /**
   * {@code x + Linear2(relu(BatchNorm1d(Linear1(x))))}, assembled from {@link Residual}, {@link
   * Sequential}, {@link Linear}, {@link BatchNorm1d} and {@link Activation}: the layers compose.
   */
  private static GoldenResult residualBlock(GoldenCase c) {
    int dim = c.paramInt("dim");
    int hidden = c.paramInt("hidden");
    Rng rng = new Rng(0);
    Linear linear1 = new Linear(dim, hidden, rng);
    BatchNorm1d bn =
        new BatchNorm1d(hidden, c.paramDouble("bn_eps"), c.paramDouble("bn_momentum"), true, true);
    Linear linear2 = new Linear(hidden, dim, rng);
    Module block = new Residual(new Sequential(linear1, bn, Activation.relu(), linear2));
    load(linear1.weight(), c, "linear1.weight");
    load(linear1.bias(), c, "linear1.bias");
    load(bn.weight(), c, "bn.weight");
    load(bn.bias(), c, "bn.bias");
    bn.runningMean().copyFromInPlace(c.input("bn.running_mean"));
    bn.runningVar().copyFromInPlace(c.input("bn.running_var"));
    load(linear2.weight(), c, "linear2.weight");
    load(linear2.bias(), c, "linear2.bias");
    if (c.paramBool("training")) {
      block.train();
    } else {
      block.eval();
    }
    Variable x = Variable.leaf(c.input("x"));
    Variable out = block.forward(x);
    out.backward(c.upstream("out"));
    return GoldenResult.builder()
        .output("out", out.value())
        .output("bn.running_mean_after", bn.runningMean())
        .output("bn.running_var_after", bn.runningVar())
        .grad("x", x.grad())
        .grad("linear1.weight", linear1.weight().grad())
        .grad("linear1.bias", linear1.bias().grad())
        .grad("bn.weight", bn.weight().grad())
        .grad("bn.bias", bn.bias().grad())
        .grad("linear2.weight", linear2.weight().grad())
        .grad("linear2.bias", linear2.bias().grad())
        .build();
  }

  /** Copies the file's input {@code name} into the parameter (shapes must agree). */
  private static void load(Parameter p, GoldenCase c, String name) {
    p.value().copyFromInPlace(c.input(name));
  }
}
