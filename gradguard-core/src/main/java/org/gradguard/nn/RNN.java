package org.gradguard.nn;

import org.gradguard.autograd.RecurrentOps;
import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.RecurrentSupport.LayerWeights;
import org.gradguard.tensor.Rng;

/**
 * A multi-layer Elman recurrent network, {@code torch.nn.RNN} (Elman 1990, "Finding Structure in
 * Time"). Each layer computes, for t = 1..T,
 *
 * <pre>
 * h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)
 * </pre>
 *
 * with {@code act} tanh (default) or ReLU; layer {@code l > 0} takes layer {@code l − 1}'s outputs
 * {@code h_1..h_T} as its inputs {@code x_t}.
 *
 * <p>Conventions are PyTorch's: input {@code [T, N, inputSize]}, sequence-major ({@code
 * batch_first=False}); output {@code [T, N, H]} (the top layer's {@code h_1..h_T}); states {@code
 * h0}, {@code hN} {@code [numLayers, N, H]}, zeros when {@code h0} is absent. Parameters {@code
 * weight_ih_l{k} [H, in]}, {@code weight_hh_l{k} [H, H]}, {@code bias_ih_l{k} [H]}, {@code
 * bias_hh_l{k} [H]}, all initialised uniform in {@code ±1/√H}. No inter-layer dropout.
 *
 * <p>Each layer is one fused op over the whole sequence ({@link RecurrentOps#rnn}), whose rule is
 * backpropagation through time; {@code hN} is sliced from each layer's output. {@link #forward}
 * returns the output sequence and runs the forward hooks; {@link #run} also returns the final
 * states but runs no hooks.
 */
public final class RNN extends RecurrentLayer {

  /** The activation of the recurrence, PyTorch's {@code nonlinearity}. */
  public enum Nonlinearity {
    TANH,
    RELU
  }

  /** The result of {@link #run}: the output sequence {@code [T, N, H]} and {@code hN [L, N, H]}. */
  public record Result(Variable output, Variable hN) {}

  private final Nonlinearity nonlinearity;

  /** One tanh layer with biases. */
  public RNN(int inputSize, int hiddenSize, Rng rng) {
    this(inputSize, hiddenSize, 1, Nonlinearity.TANH, true, rng);
  }

  /**
   * @param numLayers stacked layers, ≥ 1
   * @param nonlinearity tanh or ReLU
   * @param bias whether the layers have {@code bias_ih} and {@code bias_hh}
   * @param rng the source of the initial weights (advanced)
   */
  public RNN(
      int inputSize,
      int hiddenSize,
      int numLayers,
      Nonlinearity nonlinearity,
      boolean bias,
      Rng rng) {
    super("RNN", 1, inputSize, hiddenSize, numLayers, bias, rng);
    if (nonlinearity == null) {
      throw new IllegalArgumentException("RNN: nonlinearity must be TANH or RELU, got null");
    }
    this.nonlinearity = nonlinearity;
  }

  @Override
  protected Variable compute(Variable x) {
    return run(x, null).output();
  }

  /** Runs from zero initial states. Inputs are not modified. */
  public Result run(Variable x) {
    return run(x, null);
  }

  /**
   * Runs the network over {@code x [T, N, inputSize]} from {@code h0 [numLayers, N, H]} (zeros when
   * null). Inputs are not modified.
   *
   * @throws IllegalArgumentException naming the shapes when {@code x} or {@code h0} do not fit
   */
  public Result run(Variable x, Variable h0) {
    checkInput(x);
    Variable[] h = initialStates("h0", h0, x.shape()[1]);
    int steps = x.shape()[0];
    Variable seq = x;
    Variable[] last = new Variable[numLayers()];
    for (int l = 0; l < last.length; l++) {
      LayerWeights w = weights(l);
      seq =
          RecurrentOps.rnn(
              seq,
              h[l],
              w.weightIh(),
              w.weightHh(),
              w.biasIh(),
              w.biasHh(),
              nonlinearity == Nonlinearity.TANH);
      last[l] = steps == 1 ? seq : ShapeOps.slice(seq, 0, steps - 1, steps, 1);
    }
    return new Result(seq, RecurrentSupport.join(last));
  }

  public Nonlinearity nonlinearity() {
    return nonlinearity;
  }

  @Override
  String details() {
    return ", " + nonlinearity.name().toLowerCase(java.util.Locale.ROOT);
  }
}
