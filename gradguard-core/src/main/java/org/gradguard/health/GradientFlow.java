package org.gradguard.health;

import java.util.ArrayList;
import java.util.List;

/**
 * How gradient norms change across a network: over layers in depth order, and over the calls of
 * each recurrent activation layer (back through time). Shared by the exploding and vanishing
 * detectors. Package-private.
 */
final class GradientFlow {
  private GradientFlow() {}

  /** The trend of layer gradient norms against depth, or null (too few layers, non-finite). */
  static Trend depth(StepStats s, int minLayers) {
    List<LayerStats> layers = s.layers();
    double[] x = new double[layers.size()];
    double[] y = new double[layers.size()];
    for (int i = 0; i < x.length; i++) {
      LayerStats l = layers.get(i);
      if (l.nonFinite() > 0) {
        return null;
      }
      x[i] = l.layerIndex();
      y[i] = l.gradNorm();
    }
    return Trend.fit(x, y, minLayers);
  }

  /**
   * The trend of the backpropagated gradient {@code ‖∂loss/∂y_l‖} of activation layers called once
   * per step (feed-forward), against their forward order; or null.
   */
  static Trend backprop(StepStats s, int minLayers) {
    List<ActivationStats> acts = new ArrayList<>();
    for (ActivationStats a : s.activations()) {
      if (a.calls() == 1 && a.outputGradNorms().size() == 1) {
        if (a.nonFinite() > 0) {
          return null;
        }
        acts.add(a);
      }
    }
    double[] x = new double[acts.size()];
    double[] y = new double[acts.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
      y[i] = acts.get(i).outputGradNorms().get(0);
    }
    return Trend.fit(x, y, minLayers);
  }

  /**
   * The once-called activation layers whose gradient is at most {@code fraction} of the fit's last.
   */
  static List<String> activationsBelow(StepStats s, Trend t, double fraction) {
    return activationsWhere(s, t, g -> g <= t.fitted(t.lastX) * fraction);
  }

  /**
   * The once-called activation layers whose gradient is at least {@code factor} times the fit's
   * last.
   */
  static List<String> activationsAbove(StepStats s, Trend t, double factor) {
    return activationsWhere(s, t, g -> g >= t.fitted(t.lastX) * factor);
  }

  private static List<String> activationsWhere(
      StepStats s, Trend t, java.util.function.DoublePredicate keep) {
    List<String> out = new ArrayList<>();
    for (ActivationStats a : s.activations()) {
      if (a.calls() == 1
          && a.outputGradNorms().size() == 1
          && keep.test(a.outputGradNorms().get(0))) {
        out.add(a.layer());
      }
    }
    return out;
  }

  /**
   * The name of the i-th once-called activation layer with its position: {@code '3' (activation 2
   * of 20)}.
   */
  static String activationName(StepStats s, double index) {
    int i = 0;
    int total = 0;
    String name = null;
    for (ActivationStats a : s.activations()) {
      if (a.calls() == 1 && a.outputGradNorms().size() == 1) {
        if (i == (int) index) {
          name = a.layer();
        }
        i++;
        total++;
      }
    }
    return "'" + name + "' (activation " + ((int) index + 1) + " of " + total + ")";
  }

  /** The layers (in depth order) whose norm is at most {@code fraction} of the fit's last value. */
  static List<String> layersBelow(StepStats s, Trend t, double fraction) {
    double ref = t.fitted(t.lastX);
    List<String> out = new ArrayList<>();
    for (LayerStats l : s.layers()) {
      if (l.gradNorm() <= ref * fraction) {
        out.add(l.label());
      }
    }
    return out;
  }

  /** The layers whose norm is at least {@code factor} times the fit's last value. */
  static List<String> layersAbove(StepStats s, Trend t, double factor) {
    double ref = t.fitted(t.lastX);
    List<String> out = new ArrayList<>();
    for (LayerStats l : s.layers()) {
      if (l.gradNorm() >= ref * factor) {
        out.add(l.label());
      }
    }
    return out;
  }

  /** The trend of an activation layer's output-gradient norms over its calls, or null. */
  static Trend time(ActivationStats a, int minCalls) {
    return a.calls() < minCalls ? null : time(a.outputGradNorms(), minCalls);
  }

  /** The trend of gradient norms over time steps (in time order), or null. */
  static Trend time(List<Double> g, int minCalls) {
    if (g.size() < minCalls) {
      return null;
    }
    double[] x = new double[g.size()];
    double[] y = new double[g.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
      y[i] = g.get(i);
    }
    return Trend.fit(x, y, minCalls);
  }

  /** A layer's label with its 1-based depth: {@code '3' (layer 2 of 20)}. */
  static String layerName(StepStats s, double layerIndex) {
    int idx = (int) layerIndex;
    for (LayerStats l : s.layers()) {
      if (l.layerIndex() == idx) {
        return "'" + l.label() + "' (layer " + (idx + 1) + " of " + s.layers().size() + ")";
      }
    }
    return "layer " + (idx + 1);
  }
}
