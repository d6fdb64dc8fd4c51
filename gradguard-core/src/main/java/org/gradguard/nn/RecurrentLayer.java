package org.gradguard.nn;

import org.gradguard.autograd.Variable;
import org.gradguard.nn.RecurrentSupport.LayerWeights;
import org.gradguard.tensor.Rng;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} have in common, after PyTorch's {@code RNNBase}:
 * sizes, stacked layers with PyTorch's parameter names ({@code weight_ih_l{k}}, {@code
 * weight_hh_l{k}}, {@code bias_ih_l{k}}, {@code bias_hh_l{k}}, {@code G·H} rows for G gates) and
 * initialisation ({@code U(±1/√H)}), sequence-major input {@code [T, N, inputSize]} and the {@link
 * Module.Role#RECURRENT} role. The gradient-health monitor measures the gradient reaching each time
 * step of such a layer's input.
 */
public abstract class RecurrentLayer extends Module {
  private final String name;
  private final int inputSize;
  private final int hiddenSize;
  private final int numLayers;
  private final boolean bias;
  private final LayerWeights[] layers;

  /**
   * Registers the parameters of {@code numLayers} layers of {@code gates} gates each, drawn from
   * {@code rng} (advanced) in PyTorch's order.
   *
   * @param name the layer's name in error messages ({@code "LSTM"})
   * @throws IllegalArgumentException when a size is not positive
   */
  RecurrentLayer(
      String name, int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, Rng rng) {
    RecurrentSupport.checkSizes(name, inputSize, hiddenSize, numLayers);
    this.name = name;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.layers =
        RecurrentSupport.register(this, gates, inputSize, hiddenSize, numLayers, bias, rng);
  }

  /** Layer {@code l}'s weights (biases null without them). */
  final LayerWeights weights(int l) {
    return layers[l];
  }

  /** Throws, naming the shapes, unless {@code x} is {@code [T, N, inputSize]} with T, N > 0. */
  final void checkInput(Variable x) {
    RecurrentSupport.checkInput(name, x, inputSize);
  }

  /**
   * The initial state {@code stateName} of each layer, {@code [1, N, H]}, cut from {@code state
   * [numLayers, N, H]}, or nulls (zero states) when it is null.
   */
  final Variable[] initialStates(String stateName, Variable state, int batch) {
    return RecurrentSupport.initialStateOrNull(
        name, stateName, state, numLayers, batch, hiddenSize);
  }

  public final int inputSize() {
    return inputSize;
  }

  public final int hiddenSize() {
    return hiddenSize;
  }

  public final int numLayers() {
    return numLayers;
  }

  public final boolean hasBias() {
    return bias;
  }

  /** {@link Module.Role#RECURRENT}. */
  @Override
  public final Role role() {
    return Role.RECURRENT;
  }

  /** What a subclass adds to {@link #toString()} after the layer count ({@code ", relu"}). */
  String details() {
    return "";
  }

  @Override
  public final String toString() {
    return name
        + "("
        + inputSize
        + " -> "
        + hiddenSize
        + ", layers "
        + numLayers
        + details()
        + (bias ? "" : ", no bias")
        + ")";
  }
}
