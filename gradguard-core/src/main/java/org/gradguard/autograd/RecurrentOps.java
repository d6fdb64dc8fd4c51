package org.gradguard.autograd;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.RecurrentKernels;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Fused recurrent layers: a whole sequence is one op on the tape, with backpropagation through time
 * as its derivative rule (as cuDNN and PyTorch run {@code nn.RNN}). Built from per-step primitives,
 * a sequence of T steps costs some 6·T nodes, T small products for each weight gradient, and T
 * slices of the input whose gradients are each as large as the whole input; fused, the input
 * projection and the weight gradients are single products over all steps.
 */
public final class RecurrentOps {
  private RecurrentOps() {}

  /**
   * One Elman layer over a whole sequence, {@code torch.nn.RNN} with one layer:
   *
   * <pre>
   * h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh),   t = 1..T
   * </pre>
   *
   * with {@code act} tanh or ReLU. Shapes: {@code x [T, N, I]}, {@code h0 [1, N, H]} or null for
   * zeros, {@code weightIh [H, I]}, {@code weightHh [H, H]}, {@code biasIh}, {@code biasHh} {@code
   * [H]} or null. Returns {@code h_1..h_T} as {@code [T, N, H]}; {@code h_T} is its last step.
   *
   * <p>Backward ({@link RecurrentKernels#elmanBackward}): {@code dA_t = (G_t + dh_t) ⊙ act'},
   * {@code dh_{t−1} = dA_t·W_hh}, then {@code ∂W_hh = Σ_t dA_tᵀ·h_{t−1}}, {@code ∂W_ih = Σ_t
   * dA_tᵀ·x_t}, {@code ∂b_ih = ∂b_hh = Σ_t Σ_n dA_t}, {@code ∂x_t = dA_t·W_ih}, {@code ∂h0 = dh_0}.
   * The activation's derivative is taken from the saved outputs. Inputs are not modified.
   *
   * @throws IllegalArgumentException naming the shapes when they do not fit together
   */
  public static Variable rnn(
      Variable x,
      Variable h0,
      Variable weightIh,
      Variable weightHh,
      Variable biasIh,
      Variable biasHh,
      boolean tanh) {
    int[] xs = x.shape();
    int[] ws = weightIh.shape();
    if (xs.length != 3 || Shapes.numel(xs) == 0) {
      throw new IllegalArgumentException(
          "rnn: input must be [T, N, I] with T, N, I > 0, got " + Shapes.format(xs));
    }
    if (ws.length != 2 || ws[1] != xs[2] || ws[0] == 0) {
      throw new IllegalArgumentException(
          "rnn: input "
              + Shapes.format(xs)
              + " and weightIh "
              + Shapes.format(ws)
              + ": expected weightIh [H, "
              + xs[2]
              + "]");
    }
    int steps = xs[0];
    int batch = xs[1];
    int in = xs[2];
    int hidden = ws[0];
    checkShape("weightHh", weightHh, hidden, hidden);
    checkShape("biasIh", biasIh, hidden);
    checkShape("biasHh", biasHh, hidden);
    checkShape("h0", h0, 1, batch, hidden);
    float[] bias = combinedBias(biasIh, biasHh, hidden);
    Backend be = Backends.current();
    float[] xd = x.value().data();
    float[] h0d = h0 == null ? null : h0.value().data();
    float[] wIh = weightIh.value().data();
    float[] wHh = weightHh.value().data();
    float[] out = new float[steps * batch * hidden];
    RecurrentKernels.elmanForward(be, tanh, steps, batch, in, hidden, xd, h0d, wIh, wHh, bias, out);

    List<Variable> inputs = new ArrayList<>(List.of(x, weightIh, weightHh));
    if (h0 != null) {
      inputs.add(h0);
    }
    if (biasIh != null) {
      inputs.add(biasIh);
    }
    if (biasHh != null) {
      inputs.add(biasHh);
    }
    Backward rule =
        g -> {
          Tensor gx = x.requiresGrad() ? Tensor.zeros(xs) : null;
          Tensor gWih = weightIh.requiresGrad() ? Tensor.zeros(hidden, in) : null;
          Tensor gWhh = weightHh.requiresGrad() ? Tensor.zeros(hidden, hidden) : null;
          Tensor gh0 = h0 != null && h0.requiresGrad() ? Tensor.zeros(1, batch, hidden) : null;
          boolean needBias =
              (biasIh != null && biasIh.requiresGrad())
                  || (biasHh != null && biasHh.requiresGrad());
          Tensor gb = needBias ? Tensor.zeros(hidden) : null;
          RecurrentKernels.elmanBackward(
              be,
              tanh,
              steps,
              batch,
              in,
              hidden,
              xd,
              h0d,
              wIh,
              wHh,
              out,
              g.data(),
              data(gx),
              data(gh0),
              data(gWih),
              data(gWhh),
              data(gb));
          Tensor[] grads = new Tensor[inputs.size()];
          grads[0] = gx;
          grads[1] = gWih;
          grads[2] = gWhh;
          int k = 3;
          if (h0 != null) {
            grads[k++] = gh0;
          }
          if (biasIh != null) {
            grads[k++] = gb;
          }
          if (biasHh != null) {
            grads[k] = gb == null ? null : gb.copy();
          }
          return grads;
        };
    return Graph.record(
        Op.RNN, Tensor.wrap(out, steps, batch, hidden), rule, inputs.toArray(new Variable[0]));
  }

  private static float[] data(Tensor t) {
    return t == null ? null : t.data();
  }

  /** {@code b_ih + b_hh}, either of which may be null; null when both are. */
  private static float[] combinedBias(Variable biasIh, Variable biasHh, int hidden) {
    if (biasIh == null && biasHh == null) {
      return null;
    }
    float[] b = new float[hidden];
    for (Variable v : new Variable[] {biasIh, biasHh}) {
      if (v != null) {
        float[] d = v.value().data();
        for (int j = 0; j < hidden; j++) {
          b[j] += d[j];
        }
      }
    }
    return b;
  }

  /** Checks that {@code v}, when not null, has exactly {@code shape}. */
  private static void checkShape(String name, Variable v, int... shape) {
    if (v != null && !java.util.Arrays.equals(v.shape(), shape)) {
      throw new IllegalArgumentException(
          "rnn: "
              + name
              + " must be "
              + Shapes.format(shape)
              + ", got "
              + Shapes.format(v.shape()));
    }
  }
}
