package org.gradguard.nn;

import java.util.List;
import org.gradguard.autograd.Variable;

/**
 * Modules applied in order, each to the previous one's output. Children are named {@code "0"},
 * {@code "1"}, … as in {@code torch.nn.Sequential}.
 */
public final class Sequential extends Module {
  private final Module[] layers;

  public Sequential(Module... layers) {
    this.layers = layers.clone();
    for (int i = 0; i < layers.length; i++) {
      registerModule(Integer.toString(i), layers[i]);
    }
  }

  public Sequential(List<? extends Module> layers) {
    this(layers.toArray(new Module[0]));
  }

  @Override
  protected Variable compute(Variable x) {
    Variable h = x;
    for (Module m : layers) {
      h = m.forward(h);
    }
    return h;
  }

  /** The i-th layer. */
  public Module get(int i) {
    return layers[i];
  }

  public int size() {
    return layers.length;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Sequential(");
    for (int i = 0; i < layers.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(layers[i]);
    }
    return sb.append(')').toString();
  }
}
