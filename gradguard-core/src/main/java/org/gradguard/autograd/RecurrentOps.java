package org.gradguard.autograd;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.GruKernels;
import org.gradguard.tensor.LstmKernels;
import org.gradguard.tensor.RecurrentKernels;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Fused recurrent layers: a whole sequence is one op on the tape, with backpropagation through time
 * as its derivative rule (as cuDNN and PyTorch run {@code nn.RNN}, {@code nn.LSTM} and {@code
 * nn.GRU}). Built from per-step primitives, a sequence of T steps costs some 6·T nodes, T small
 * products for each weight gradient, and T slices of the input whose gradients are each as large as
 * the whole input; fused, the input projection and the weight gradients are single products over
 * all steps.
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
    checkInputAndWeight("rnn", xs, ws, 1);
    int steps = xs[0];
    int batch = xs[1];
    int in = xs[2];
    int hidden = ws[0];
    check("rnn", "weightHh", weightHh, hidden, hidden);
    check("rnn", "biasIh", biasIh, hidden);
    check("rnn", "biasHh", biasHh, hidden);
    check("rnn", "h0", h0, 1, batch, hidden);
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
          return inputGrads(
              inputs.size(), gx, gWih, gWhh, h0 != null, gh0, false, null, biasIh, biasHh, gb);
        };
    return Graph.record(
        Op.RNN, Tensor.wrap(out, steps, batch, hidden), rule, inputs.toArray(new Variable[0]));
  }

  /**
   * The result of {@link #lstm}: {@code h_1..h_T} as {@code [T, N, H]} and {@code c_T [1, N, H]}.
   */
  public record LstmOutput(Variable output, Variable cN) {}

  /**
   * One LSTM layer over a whole sequence, {@code torch.nn.LSTM} with one layer, gate order i, f, g,
   * o ({@link LstmKernels#forward}). Shapes: {@code x [T, N, I]}, {@code h0}, {@code c0} {@code [1,
   * N, H]} or null for zeros, {@code weightIh [4H, I]}, {@code weightHh [4H, H]}, {@code biasIh},
   * {@code biasHh} {@code [4H]} or null.
   *
   * <p>One op on the tape computes {@code [T + 1, N, H]}: {@code h_1..h_T} and then {@code c_T};
   * the two results are slices of it, so the rule ({@link LstmKernels#backward}) receives the
   * gradients of both. Inputs are not modified.
   *
   * @throws IllegalArgumentException naming the shapes when they do not fit together
   */
  public static LstmOutput lstm(
      Variable x,
      Variable h0,
      Variable c0,
      Variable weightIh,
      Variable weightHh,
      Variable biasIh,
      Variable biasHh) {
    int[] xs = x.shape();
    int[] ws = weightIh.shape();
    checkInputAndWeight("lstm", xs, ws, 4);
    int steps = xs[0];
    int batch = xs[1];
    int in = xs[2];
    int g4 = ws[0];
    int hidden = g4 / 4;
    check("lstm", "weightHh", weightHh, g4, hidden);
    check("lstm", "biasIh", biasIh, g4);
    check("lstm", "biasHh", biasHh, g4);
    check("lstm", "h0", h0, 1, batch, hidden);
    check("lstm", "c0", c0, 1, batch, hidden);
    float[] bias = combinedBias(biasIh, biasHh, g4);
    Backend be = Backends.current();
    float[] xd = x.value().data();
    float[] h0d = h0 == null ? null : h0.value().data();
    float[] c0d = c0 == null ? null : c0.value().data();
    float[] wIh = weightIh.value().data();
    float[] wHh = weightHh.value().data();
    int nh = batch * hidden;
    float[] out = new float[steps * nh];
    float[] cells = new float[steps * nh];
    float[] gates = new float[steps * batch * g4];
    LstmKernels.forward(
        be, steps, batch, in, hidden, xd, h0d, c0d, wIh, wHh, bias, out, cells, gates);
    float[] both = java.util.Arrays.copyOf(out, (steps + 1) * nh);
    System.arraycopy(cells, (steps - 1) * nh, both, steps * nh, nh);

    List<Variable> inputs = new ArrayList<>(List.of(x, weightIh, weightHh));
    for (Variable v : new Variable[] {h0, c0, biasIh, biasHh}) {
      if (v != null) {
        inputs.add(v);
      }
    }
    Backward rule =
        g -> {
          float[] gd = g.data();
          float[] gCell = java.util.Arrays.copyOfRange(gd, steps * nh, (steps + 1) * nh);
          Tensor gx = x.requiresGrad() ? Tensor.zeros(xs) : null;
          Tensor gWih = weightIh.requiresGrad() ? Tensor.zeros(g4, in) : null;
          Tensor gWhh = weightHh.requiresGrad() ? Tensor.zeros(g4, hidden) : null;
          Tensor gh0 = h0 != null && h0.requiresGrad() ? Tensor.zeros(1, batch, hidden) : null;
          Tensor gc0 = c0 != null && c0.requiresGrad() ? Tensor.zeros(1, batch, hidden) : null;
          boolean needBias =
              (biasIh != null && biasIh.requiresGrad())
                  || (biasHh != null && biasHh.requiresGrad());
          Tensor gb = needBias ? Tensor.zeros(g4) : null;
          LstmKernels.backward(
              be,
              steps,
              batch,
              in,
              hidden,
              xd,
              h0d,
              c0d,
              wIh,
              wHh,
              out,
              cells,
              gates,
              gd,
              gCell,
              data(gx),
              data(gh0),
              data(gc0),
              data(gWih),
              data(gWhh),
              data(gb));
          return inputGrads(
              inputs.size(), gx, gWih, gWhh, h0 != null, gh0, c0 != null, gc0, biasIh, biasHh, gb);
        };
    Variable packed =
        Graph.record(
            Op.LSTM,
            Tensor.wrap(both, steps + 1, batch, hidden),
            rule,
            inputs.toArray(new Variable[0]));
    return new LstmOutput(
        ShapeOps.slice(packed, 0, 0, steps, 1), ShapeOps.slice(packed, 0, steps, steps + 1, 1));
  }

  /**
   * One GRU layer over a whole sequence, {@code torch.nn.GRU} with one layer, gate order r, z, n
   * ({@link GruKernels#forward}): {@code h_t = (h_{t−1} − n) ⊙ z + n} with {@code n = tanh(a_n + r
   * ⊙ b_n)}, where the reset gate multiplies the hidden part {@code b_n} bias included, as PyTorch.
   * Shapes: {@code x [T, N, I]}, {@code h0 [1, N, H]} or null for zeros, {@code weightIh [3H, I]},
   * {@code weightHh [3H, H]}, {@code biasIh}, {@code biasHh} {@code [3H]} or null. Returns {@code
   * h_1..h_T} as {@code [T, N, H]}; {@code h_T} is its last step. The two biases get gradients of
   * their own (the new gate's parts differ). Inputs are not modified.
   *
   * @throws IllegalArgumentException naming the shapes when they do not fit together
   */
  public static Variable gru(
      Variable x,
      Variable h0,
      Variable weightIh,
      Variable weightHh,
      Variable biasIh,
      Variable biasHh) {
    int[] xs = x.shape();
    int[] ws = weightIh.shape();
    checkInputAndWeight("gru", xs, ws, 3);
    int steps = xs[0];
    int batch = xs[1];
    int in = xs[2];
    int g3 = ws[0];
    int hidden = g3 / 3;
    check("gru", "weightHh", weightHh, g3, hidden);
    check("gru", "biasIh", biasIh, g3);
    check("gru", "biasHh", biasHh, g3);
    check("gru", "h0", h0, 1, batch, hidden);
    Backend be = Backends.current();
    float[] xd = x.value().data();
    float[] h0d = h0 == null ? null : h0.value().data();
    float[] wIh = weightIh.value().data();
    float[] wHh = weightHh.value().data();
    float[] bIh = biasIh == null ? null : biasIh.value().data();
    float[] bHh = biasHh == null ? null : biasHh.value().data();
    float[] out = new float[steps * batch * hidden];
    float[] saved = new float[steps * batch * 4 * hidden];
    GruKernels.forward(be, steps, batch, in, hidden, xd, h0d, wIh, wHh, bIh, bHh, out, saved);

    List<Variable> inputs = new ArrayList<>(List.of(x, weightIh, weightHh));
    for (Variable v : new Variable[] {h0, biasIh, biasHh}) {
      if (v != null) {
        inputs.add(v);
      }
    }
    Backward rule =
        g -> {
          Tensor gx = x.requiresGrad() ? Tensor.zeros(xs) : null;
          Tensor gWih = weightIh.requiresGrad() ? Tensor.zeros(g3, in) : null;
          Tensor gWhh = weightHh.requiresGrad() ? Tensor.zeros(g3, hidden) : null;
          Tensor gh0 = h0 != null && h0.requiresGrad() ? Tensor.zeros(1, batch, hidden) : null;
          Tensor gbIh = biasIh != null && biasIh.requiresGrad() ? Tensor.zeros(g3) : null;
          Tensor gbHh = biasHh != null && biasHh.requiresGrad() ? Tensor.zeros(g3) : null;
          GruKernels.backward(
              be,
              steps,
              batch,
              in,
              hidden,
              xd,
              h0d,
              wIh,
              wHh,
              out,
              saved,
              g.data(),
              data(gx),
              data(gh0),
              data(gWih),
              data(gWhh),
              data(gbIh),
              data(gbHh));
          // in the order the inputs were recorded; null where an input needs no gradient
          List<Tensor> grads = new ArrayList<>();
          grads.add(gx);
          grads.add(gWih);
          grads.add(gWhh);
          if (h0 != null) {
            grads.add(gh0);
          }
          if (biasIh != null) {
            grads.add(gbIh);
          }
          if (biasHh != null) {
            grads.add(gbHh);
          }
          return grads.toArray(new Tensor[0]);
        };
    return Graph.record(
        Op.GRU, Tensor.wrap(out, steps, batch, hidden), rule, inputs.toArray(new Variable[0]));
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

  /**
   * Checks that {@code xs} is {@code [T, N, I]} with T, N, I > 0 and {@code ws} (the input weight)
   * is {@code [gates·H, I]} with H > 0.
   */
  private static void checkInputAndWeight(String op, int[] xs, int[] ws, int gates) {
    if (xs.length != 3 || Shapes.numel(xs) == 0) {
      throw new IllegalArgumentException(
          op + ": input must be [T, N, I] with T, N, I > 0, got " + Shapes.format(xs));
    }
    if (ws.length != 2 || ws[1] != xs[2] || ws[0] == 0 || ws[0] % gates != 0) {
      throw new IllegalArgumentException(
          op
              + ": input "
              + Shapes.format(xs)
              + " and weightIh "
              + Shapes.format(ws)
              + ": expected weightIh ["
              + (gates == 1 ? "" : gates)
              + "H, "
              + xs[2]
              + "]");
    }
  }

  /** Checks that {@code v}, when not null, has exactly {@code shape}. */
  private static void check(String op, String name, Variable v, int... shape) {
    if (v != null && !java.util.Arrays.equals(v.shape(), shape)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must be "
              + Shapes.format(shape)
              + ", got "
              + Shapes.format(v.shape()));
    }
  }

  /**
   * The gradients in the order the inputs were recorded: x, W_ih, W_hh, then h0 and c0 when they
   * were given, then b_ih and b_hh when present. Both biases are added to the same pre-activation,
   * so they share one gradient {@code gb} (b_hh gets a copy).
   */
  private static Tensor[] inputGrads(
      int count,
      Tensor gx,
      Tensor gWih,
      Tensor gWhh,
      boolean hasH0,
      Tensor gh0,
      boolean hasC0,
      Tensor gc0,
      Variable biasIh,
      Variable biasHh,
      Tensor gb) {
    Tensor[] grads = new Tensor[count];
    grads[0] = gx;
    grads[1] = gWih;
    grads[2] = gWhh;
    int k = 3;
    if (hasH0) {
      grads[k++] = gh0;
    }
    if (hasC0) {
      grads[k++] = gc0;
    }
    if (biasIh != null) {
      grads[k++] = gb;
    }
    if (biasHh != null) {
      grads[k] = gb == null ? null : gb.copy();
    }
    return grads;
  }
}
