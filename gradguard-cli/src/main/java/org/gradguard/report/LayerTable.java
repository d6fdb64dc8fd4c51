package org.gradguard.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.gradguard.report.ReportModel.LayerPoint;

/**
 * A run's per-layer statistics as a dense step × layer table: layers sorted by depth index (ties by
 * first appearance), steps ascending; cells never measured are NaN. Package-private.
 */
final class LayerTable {
  private final long[] steps;
  private final List<String> layers;
  private final double[][] grad;
  private final double[][] ratio;

  private LayerTable(long[] steps, List<String> layers, double[][] grad, double[][] ratio) {
    this.steps = steps;
    this.layers = layers;
    this.grad = grad;
    this.ratio = ratio;
  }

  static LayerTable of(List<LayerPoint> points) {
    Map<String, Integer> depth = new LinkedHashMap<>();
    TreeSet<Long> stepSet = new TreeSet<>();
    for (LayerPoint p : points) {
      depth.putIfAbsent(p.layer(), p.depth());
      stepSet.add(p.step());
    }
    List<String> names = new ArrayList<>(depth.keySet());
    List<String> firstSeen = List.copyOf(names);
    names.sort(
        Comparator.comparingInt((String n) -> depth.get(n)).thenComparing(firstSeen::indexOf));
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      col.put(names.get(i), i);
    }
    long[] steps = stepSet.stream().mapToLong(Long::longValue).toArray();
    double[][] grad = new double[steps.length][names.size()];
    double[][] ratio = new double[steps.length][names.size()];
    for (double[] row : grad) {
      Arrays.fill(row, Double.NaN);
    }
    for (double[] row : ratio) {
      Arrays.fill(row, Double.NaN);
    }
    for (LayerPoint p : points) {
      int s = Arrays.binarySearch(steps, p.step());
      int l = col.get(p.layer());
      grad[s][l] = p.gradNorm();
      ratio[s][l] = p.updateRatioLog10();
    }
    return new LayerTable(steps, List.copyOf(names), grad, ratio);
  }

  int stepCount() {
    return steps.length;
  }

  int layerCount() {
    return layers.size();
  }

  long step(int s) {
    return steps[s];
  }

  List<String> layers() {
    return layers;
  }

  double gradNorm(int s, int layer) {
    return grad[s][layer];
  }

  double updateRatio(int s, int layer) {
    return ratio[s][layer];
  }

  /** The median of the finite update ratios of {@code layer} over all steps; NaN when none. */
  double medianUpdateRatio(int layer) {
    double[] v = new double[steps.length];
    int n = 0;
    for (double[] row : ratio) {
      if (Double.isFinite(row[layer])) {
        v[n++] = row[layer];
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    Arrays.sort(v, 0, n);
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** The most common gap between consecutive monitored steps (the smaller on ties), at least 1. */
  long stepInterval() {
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 1; i < steps.length; i++) {
      counts.merge(steps[i] - steps[i - 1], 1, Integer::sum);
    }
    long best = 1;
    int bestCount = 0;
    for (Map.Entry<Long, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return Math.max(1, best);
  }
}
