package org.gradguard.golden;

import java.util.Map;
import java.util.function.BiFunction;
import org.gradguard.autograd.ActivationOps;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.MatrixOps;
import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;

/** Golden kinds of the foundation: the dense layer, activations, softmax and the losses. */
final class FoundationGoldenKinds {
  private FoundationGoldenKinds() {}

  static void register(GoldenKinds r) {
    r.register(
        "linear",
        c ->
            GoldenGraph.run(
                c,
                in ->
                    Map.of(
                        "out", MatrixOps.linear(in.get("x"), in.get("weight"), in.get("bias")))));
    unary(r, "sigmoid", (x, c) -> x.sigmoid());
    unary(r, "tanh", (x, c) -> x.tanh());
    unary(r, "relu", (x, c) -> x.relu());
    unary(r, "leaky_relu", (x, c) -> ActivationOps.leakyRelu(x, c.paramDouble("negative_slope")));
    unary(r, "elu", (x, c) -> ActivationOps.elu(x, c.paramDouble("alpha")));
    unary(r, "silu", (x, c) -> ActivationOps.silu(x));
    unary(
        r,
        "softplus",
        (x, c) -> ActivationOps.softplus(x, c.paramDouble("beta"), c.paramDouble("threshold")));
    unary(
        r,
        "gelu",
        (x, c) ->
            switch (c.paramString("approximate")) {
              case "none" -> ActivationOps.gelu(x);
              case "tanh" -> ActivationOps.geluTanh(x);
              default ->
                  throw new IllegalArgumentException(
                      "gelu: unknown approximate '" + c.paramString("approximate") + "'");
            });
    unary(r, "softmax", (x, c) -> LossOps.softmax(x, c.paramInt("dim")));
    unary(r, "log_softmax", (x, c) -> LossOps.logSoftmax(x, c.paramInt("dim")));
    unary(
        r,
        "flatten",
        (x, c) -> ShapeOps.flatten(x, c.paramInt("start_dim"), c.paramInt("end_dim")));
    r.register(
        "cross_entropy",
        c -> {
          requireMean(c);
          int[] target = c.inputInts("target");
          return GoldenGraph.run(
              c,
              in ->
                  Map.of(
                      "out",
                      LossOps.crossEntropy(
                          in.get("input"), target, c.paramDouble("label_smoothing"))));
        });
    r.register(
        "mse",
        c -> {
          requireMean(c);
          return GoldenGraph.run(
              c, in -> Map.of("out", LossOps.mse(in.get("input"), in.get("target"))));
        });
    r.register(
        "bce_with_logits",
        c -> {
          requireMean(c);
          return GoldenGraph.run(
              c, in -> Map.of("out", LossOps.bceWithLogits(in.get("input"), in.get("target"))));
        });
  }

  private static void requireMean(GoldenCase c) {
    if (!"mean".equals(c.paramString("reduction"))) {
      throw new IllegalArgumentException(
          c.kind() + ": only reduction 'mean' is implemented, got " + c.paramString("reduction"));
    }
  }

  /** A kind with one input {@code x} and one output {@code out}. */
  private static void unary(
      GoldenKinds r, String kind, BiFunction<Variable, GoldenCase, Variable> f) {
    r.register(kind, c -> GoldenGraph.run(c, in -> Map.of("out", f.apply(in.get("x"), c))));
  }
}
