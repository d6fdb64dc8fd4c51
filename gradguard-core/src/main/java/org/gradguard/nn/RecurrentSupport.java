package org.gradguard.nn;

import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share: validation, PyTorch's parameter names,
 * layout and initialisation, and cutting stacked states into per-layer pieces.
 */
final class RecurrentSupport {
  private RecurrentSupport() {}

  /** The weights of one layer; {@code biasIh}, {@code biasHh} are null without biases. */
  record LayerWeights(Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh) {}

  static void checkSizes(String layer, int inputSize, int hiddenSize, int numLayers) {
    if (inputSize <= 0) {
      throw new IllegalArgumentException(layer + ": inputSize must be > 0, got " + inputSize);
    }
    if (hiddenSize <= 0) {
      throw new IllegalArgumentException(layer + ": hiddenSize must be > 0, got " + hiddenSize);
    }
    if (numLayers <= 0) {
      throw new IllegalArgumentException(layer + ": numLayers must be > 0, got " + numLayers);
    }
  }

  /**
   * Registers, layer by layer, {@code weight_ih_l{k} [G·H, in_k]}, {@code weight_hh_l{k} [G·H, H]},
   * {@code bias_ih_l{k} [G·H]}, {@code bias_hh_l{k} [G·H]} (PyTorch's names, order and layout;
   * {@code in_0 = inputSize}, else H), each drawn uniform in {@code ±1/√H} in that order, as
   * PyTorch's {@code reset_parameters}.
   */
  static LayerWeights[] register(
      Module m, int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, Rng rng) {
    double bound = 1.0 / Math.sqrt(hiddenSize);
    int rows = gates * hiddenSize;
    LayerWeights[] out = new LayerWeights[numLayers];
    for (int l = 0; l < numLayers; l++) {
      int in = l == 0 ? inputSize : hiddenSize;
      Parameter wih =
          m.registerParameter("weight_ih_l" + l, Tensor.uniform(rng, -bound, bound, rows, in));
      Parameter whh =
          m.registerParameter(
              "weight_hh_l" + l, Tensor.uniform(rng, -bound, bound, rows, hiddenSize));
      Parameter bih =
          bias
              ? m.registerParameter("bias_ih_l" + l, Tensor.uniform(rng, -bound, bound, rows))
              : null;
      Parameter bhh =
          bias
              ? m.registerParameter("bias_hh_l" + l, Tensor.uniform(rng, -bound, bound, rows))
              : null;
      out[l] = new LayerWeights(wih, whh, bih, bhh);
    }
    return out;
  }

  /** Throws, naming the shapes, unless {@code x} is {@code [T, N, inputSize]} with T, N > 0. */
  static void checkInput(String layer, Variable x, int inputSize) {
    int[] s = x.shape();
    if (s.length != 3 || s[0] == 0 || s[1] == 0 || s[2] != inputSize) {
      throw new IllegalArgumentException(
          layer
              + ": input must be [T, N, "
              + inputSize
              + "] (sequence-major, T, N > 0), got "
              + Shapes.format(s));
    }
  }

  /** The slices {@code [1, ...]} of {@code v} along axis 0. */
  static Variable[] split(Variable v) {
    int len = v.shape()[0];
    if (len == 1) {
      return new Variable[] {v};
    }
    Variable[] out = new Variable[len];
    for (int t = 0; t < len; t++) {
      out[t] = ShapeOps.slice(v, 0, t, t + 1, 1);
    }
    return out;
  }

  /**
   * The initial state per layer, each {@code [1, N, H]}: the slices of {@code state [numLayers, N,
   * H]}, or nulls (zero states) when {@code state} is null; throws, naming the shapes, when {@code
   * state} has another shape.
   */
  static Variable[] initialStateOrNull(
      String layer, String name, Variable state, int numLayers, int batch, int hiddenSize) {
    if (state == null) {
      return new Variable[numLayers];
    }
    int[] s = state.shape();
    if (s.length != 3 || s[0] != numLayers || s[1] != batch || s[2] != hiddenSize) {
      throw new IllegalArgumentException(
          layer
              + ": "
              + name
              + " must be [numLayers, N, H] = ["
              + numLayers
              + ", "
              + batch
              + ", "
              + hiddenSize
              + "], got "
              + Shapes.format(s));
    }
    return split(state);
  }

  /** Joins {@code [1, ...]} pieces along axis 0. */
  static Variable join(Variable[] pieces) {
    return pieces.length == 1 ? pieces[0] : ShapeOps.concat(0, pieces);
  }
}
