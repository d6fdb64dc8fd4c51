package org.gradguard.health;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.tensor.Tensor;

/** The per-time-step input-gradient norms of one recurrent layer in one step. Package-private. */
final class SequenceProbe {
  private final String layer;
  private final String module;
  private int steps;
  private double[] norms;

  SequenceProbe(String layer, String module) {
    this.layer = layer.isEmpty() ? "(root)" : layer;
    this.module = module;
  }

  void reset() {
    steps = 0;
    norms = null;
  }

  void expect(int steps) {
    this.steps = steps;
    this.norms = null;
  }

  /** One pass over {@code g [T, …]}: the L2 norm of each time step's block. Not modified: g. */
  void measure(Tensor g, int t) {
    float[] d = g.data();
    int block = g.numel() / t;
    double[] out = new double[t];
    ScanKernels k = Scans.kernels();
    for (int s = 0; s < t; s++) {
      out[s] = Math.sqrt(k.sumSq(d, s * block, block));
    }
    norms = out;
  }

  SequenceStats toStats() {
    if (steps == 0 || norms == null) {
      return null;
    }
    List<Double> list = new ArrayList<>(norms.length);
    for (double v : norms) {
      list.add(v);
    }
    return new SequenceStats(layer, module, steps, list);
  }
}
