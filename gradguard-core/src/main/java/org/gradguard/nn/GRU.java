package org.gradguard.nn;

import org.gradguard.autograd.RecurrentOps;
import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.RecurrentSupport.LayerWeights;
import org.gradguard.tensor.Rng;

/**
 * A multi-layer gated recurrent unit network, {@code torch.nn.GRU} (Cho et al. 2014, "Learning
 * Phrase Representations using RNN Encoder–Decoder"). Each layer computes, for t = 1..T,
 *
 * <pre>
 * a = x_t·W_ihᵀ + b_ih,   b = h_{t−1}·W_hhᵀ + b_hh      (3H values each, blocks r, z, n)
 * r = σ(a_r + b_r),   z = σ(a_z + b_z)
 * n = tanh(a_n + r ⊙ b_n)
 * h_t = (h_{t−1} − n) ⊙ z + n                           (= (1 − z) ⊙ n + z ⊙ h_{t−1})
 * </pre>
 *
 * and layer {@code l > 0} takes layer {@code l − 1}'s outputs {@code h_1..h_T} as its inputs. The
 * reset gate multiplies {@code b_n}, bias included, as in PyTorch (the original paper applies it
 * before the product with {@code W_hn}); the last line is PyTorch's order of operations.
 *
 * <p>Conventions are PyTorch's: input {@code [T, N, inputSize]}, sequence-major ({@code
 * batch_first=False}); output {@code [T, N, H]} (the top layer's {@code h_1..h_T}); state {@code
 * h0, hN} {@code [numLayers, N, H]}, zeros when absent. Parameters {@code weight_ih_l{k} [3H, in]},
 * {@code weight_hh_l{k} [3H, H]}, {@code bias_ih_l{k} [3H]}, {@code bias_hh_l{k} [3H]}, row blocks
 * in gate order r, z, n, all initialised uniform in {@code ±1/√H}. No inter-layer dropout, not
 * bidirectional.
 *
 * <p>Each layer is one fused op over the whole sequence ({@link RecurrentOps#gru}), whose rule is
 * backpropagation through time; {@code hN} is sliced from each layer's output. {@link #forward}
 * returns the output sequence and runs the forward hooks; {@link #run} also returns the final state
 * but runs no hooks.
 */
public final class GRU extends RecurrentLayer {

  /** The result of {@link #run}: the output {@code [T, N, H]} and {@code hN [L, N, H]}. */
  public record Result(Variable output, Variable hN) {}

  /** One layer with biases. */
  public GRU(int inputSize, int hiddenSize, Rng rng) {
    this(inputSize, hiddenSize, 1, true, rng);
  }

  /**
   * @param numLayers stacked layers, ≥ 1
   * @param bias whether the layers have {@code bias_ih} and {@code bias_hh}
   * @param rng the source of the initial weights (advanced)
   */
  public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, Rng rng) {
    super("GRU", 3, inputSize, hiddenSize, numLayers, bias, rng);
  }

  @Override
  protected Variable compute(Variable x) {
    return run(x, null).output();
  }

  /** Runs from a zero initial state. Inputs are not modified. */
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
    int steps = x.shape()[0];
    Variable[] h = initialStates("h0", h0, x.shape()[1]);
    Variable seq = x;
    Variable[] last = new Variable[numLayers()];
    for (int l = 0; l < last.length; l++) {
      LayerWeights w = weights(l);
      seq = RecurrentOps.gru(seq, h[l], w.weightIh(), w.weightHh(), w.biasIh(), w.biasHh());
      last[l] = steps == 1 ? seq : ShapeOps.slice(seq, 0, steps - 1, steps, 1);
    }
    return new Result(seq, RecurrentSupport.join(last));
  }
}
