package org.gradguard.config;

import org.gradguard.autograd.ShapeOps;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Module;
import org.gradguard.nn.RNN;

/**
 * Runs a recurrent module ({@link RNN}, {@code LSTM} or {@code GRU}, sequence-major as in PyTorch)
 * on batch-major sequences {@code [B, T, F]} and returns the top layer's last hidden state {@code
 * [B, H]}: {@code permute → rnn → output[T−1]}. The recurrent module is child {@code rnn}.
 */
public final class RecurrentEncoder extends Module {
  private final Module rnn;

  /** Wraps {@code rnn}, which maps {@code [T, B, F]} to {@code [T, B, H]}. */
  public RecurrentEncoder(Module rnn) {
    this.rnn = registerModule("rnn", rnn);
  }

  @Override
  protected Variable compute(Variable x) {
    if (x.shape().length != 3) {
      throw new IllegalArgumentException(
          "RecurrentEncoder: expected batch-major sequences [B, T, F], got rank "
              + x.shape().length);
    }
    Variable out = rnn.forward(ShapeOps.permute(x, 1, 0, 2));
    int steps = out.shape()[0];
    return ShapeOps.squeeze(ShapeOps.slice(out, 0, steps - 1, steps, 1), 0);
  }

  @Override
  public String toString() {
    return "RecurrentEncoder(" + rnn + ", last step)";
  }
}
