package org.gradguard.health;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.nn.Activation;
import org.gradguard.tensor.Tensor;

/**
 * The running statistics of one activation layer during one monitored step: every call's output is
 * folded in with one pass, and the gradient of each call's output arrives during backward.
 * Package-private; the monitor turns it into an {@link ActivationStats}.
 */
final class ActivationProbe {
  private final String layer;
  private final Activation.Kind kind;
  private final float saturationTolerance;

  private int order = -1;
  private int calls;
  private long numel;
  private long finite;
  private boolean shiftSet;
  private double shift;
  private double sum;
  private double sumSq;
  private long saturated;
  private long nonFinite;
  private boolean[] everActive;
  private boolean unitsConsistent = true;
  private final List<Double> gradNorms = new ArrayList<>();

  ActivationProbe(String layer, Activation.Kind kind, double saturationTolerance) {
    this.layer = layer;
    this.kind = kind;
    this.saturationTolerance = (float) saturationTolerance;
  }

  void reset() {
    order = -1;
    calls = 0;
    numel = 0;
    finite = 0;
    shiftSet = false;
    sum = 0;
    sumSq = 0;
    saturated = 0;
    nonFinite = 0;
    everActive = null;
    unitsConsistent = true;
    gradNorms.clear();
  }

  boolean called() {
    return calls > 0;
  }

  int order() {
    return order;
  }

  /** Folds one call's output in; returns the call's index. Not modified: {@code y}. */
  int observe(Tensor y, int forwardOrder) {
    if (order < 0) {
      order = forwardOrder;
    }
    int call = calls++;
    gradNorms.add(Double.NaN);
    float[] d = y.data();
    int n = y.numel();
    int[] shape = y.shape();
    int batch = shape.length >= 2 ? shape[0] : 1;
    int units = shape.length >= 2 ? shape[1] : 1;
    int inner = n == 0 ? 0 : n / Math.max(1, batch * units);
    boolean rectifying = kind.rectifying();
    if (rectifying) {
      if (everActive == null) {
        everActive = new boolean[units];
      } else if (everActive.length != units) {
        unitsConsistent = false;
      }
    }
    boolean trackDead = rectifying && unitsConsistent;
    if (!shiftSet && n > 0 && Float.isFinite(d[0])) {
      shift = d[0];
      shiftSet = true;
    }
    double k = shift;
    double s = 0;
    double ss = 0;
    long fin = 0;
    long sat = 0;
    float lo = saturationTolerance;
    float hi = 1 - saturationTolerance;
    int i = 0;
    for (int b = 0; b < batch; b++) {
      for (int u = 0; u < units; u++) {
        boolean active = false;
        for (int r = 0; r < inner; r++, i++) {
          float v = d[i];
          if (v - v != 0) {
            continue;
          }
          fin++;
          double c = v - k;
          s += c;
          ss += c * c;
          switch (kind) {
            case SIGMOID -> sat += (v <= lo || v >= hi) ? 1 : 0;
            case TANH -> sat += Math.abs(v) >= hi ? 1 : 0;
            default -> active |= v > 0;
          }
        }
        if (trackDead && active) {
          everActive[u] = true;
        }
      }
    }
    numel += n;
    finite += fin;
    nonFinite += n - fin;
    sum += s;
    sumSq += ss;
    saturated += sat;
    return call;
  }

  void gradient(int call, double norm) {
    gradNorms.set(call, norm);
  }

  ActivationStats toStats() {
    double mean = Double.NaN;
    double std = Double.NaN;
    if (finite > 0) {
      double m = sum / finite;
      mean = shift + m;
      std = Math.sqrt(Math.max(0, sumSq / finite - m * m));
    }
    double fracSat = kind.saturating() && finite > 0 ? (double) saturated / finite : Double.NaN;
    double fracDead = Double.NaN;
    if (kind.rectifying() && unitsConsistent && everActive != null && everActive.length > 0) {
      int dead = 0;
      for (boolean a : everActive) {
        dead += a ? 0 : 1;
      }
      fracDead = (double) dead / everActive.length;
    }
    boolean anyGrad = gradNorms.stream().anyMatch(g -> !g.isNaN());
    return new ActivationStats(
        layer,
        order,
        kind,
        calls,
        numel,
        mean,
        std,
        fracSat,
        fracDead,
        nonFinite,
        anyGrad ? gradNorms : List.of());
  }
}
