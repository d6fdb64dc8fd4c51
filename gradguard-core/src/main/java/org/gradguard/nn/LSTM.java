package org.gradguard.nn;

import org.gradguard.autograd.RecurrentOps;
import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.RecurrentSupport.LayerWeights;
import org.gradguard.tensor.Rng;

/**
 * A multi-layer long short-term memory network, {@code torch.nn.LSTM} (Hochreiter and Schmidhuber
 * 1997, with the forget gate of Gers et al. 2000). Each layer computes, for t = 1..T,
 *
 * <pre>
 * z   = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh        (4H values, blocks i, f, g, o)
 * i   = σ(z_i),  f = σ(z_f),  g = tanh(z_g),  o = σ(z_o)
 * c_t = f ⊙ c_{t−1} + i ⊙ g
 * h_t = o ⊙ tanh(c_t)
 * </pre>
 *
 * and layer {@code l > 0} takes layer {@code l − 1}'s outputs {@code h_1..h_T} as its inputs.
 *
 * <p>Conventions are PyTorch's: input {@code [T, N, inputSize]}, sequence-major ({@code
 * batch_first=False}); output {@code [T, N, H]} (the top layer's {@code h_1..h_T}); states {@code
 * h0, c0, hN, cN} {@code [numLayers, N, H]}, zeros when absent. Parameters {@code weight_ih_l{k}
 * [4H, in]}, {@code weight_hh_l{k} [4H, H]}, {@code bias_ih_l{k} [4H]}, {@code bias_hh_l{k} [4H]},
 * with row blocks in gate order i, f, g, o, all initialised uniform in {@code ±1/√H} (the forget
 * bias is not set to 1, as in PyTorch). No projections, no inter-layer dropout.
 *
 * <p>Each layer is one fused op over the whole sequence ({@link RecurrentOps#lstm}), whose rule is
 * backpropagation through time. {@link #forward} returns the output sequence and runs the forward
 * hooks; {@link #run} also returns the final states but runs no hooks.
 */
public final class LSTM extends RecurrentLayer {

  /**
   * The result of {@link #run}: the output {@code [T, N, H]}, {@code hN} and {@code cN} {@code [L,
   * N, H]}.
   */
  public record Result(Variable output, Variable hN, Variable cN) {}

  /** One layer with biases. */
  public LSTM(int inputSize, int hiddenSize, Rng rng) {
    this(inputSize, hiddenSize, 1, true, rng);
  }

  /**
   * @param numLayers stacked layers, ≥ 1
   * @param bias whether the layers have {@code bias_ih} and {@code bias_hh}
   * @param rng the source of the initial weights (advanced)
   */
  public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, Rng rng) {
    super("LSTM", 4, inputSize, hiddenSize, numLayers, bias, rng);
  }

  @Override
  protected Variable compute(Variable x) {
    return run(x, null, null).output();
  }

  /** Runs from zero initial states. Inputs are not modified. */
  public Result run(Variable x) {
    return run(x, null, null);
  }

  /**
   * Runs the network over {@code x [T, N, inputSize]} from {@code h0} and {@code c0} {@code
   * [numLayers, N, H]} (each zeros when null). Inputs are not modified.
   *
   * @throws IllegalArgumentException naming the shapes when {@code x}, {@code h0} or {@code c0} do
   *     not fit
   */
  public Result run(Variable x, Variable h0, Variable c0) {
    checkInput(x);
    int n = x.shape()[1];
    int steps = x.shape()[0];
    Variable[] h = initialStates("h0", h0, n);
    Variable[] c = initialStates("c0", c0, n);
    Variable seq = x;
    Variable[] lastH = new Variable[numLayers()];
    Variable[] lastC = new Variable[numLayers()];
    for (int l = 0; l < lastH.length; l++) {
      LayerWeights w = weights(l);
      RecurrentOps.LstmOutput r =
          RecurrentOps.lstm(seq, h[l], c[l], w.weightIh(), w.weightHh(), w.biasIh(), w.biasHh());
      seq = r.output();
      lastH[l] = ShapeOps.slice(seq, 0, steps - 1, steps, 1);
      lastC[l] = r.cN();
    }
    return new Result(seq, RecurrentSupport.join(lastH), RecurrentSupport.join(lastC));
  }
}
