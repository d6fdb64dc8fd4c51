package org.gradguard.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.config.OptimBuilder;
import org.gradguard.config.RunFactory;
import org.gradguard.data.Batch;
import org.gradguard.data.DataLoader;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.StateDict;
import org.gradguard.optim.Optimizer;
import org.gradguard.optim.Schedule;
import org.gradguard.tensor.Tensor;

/**
 * The learning-rate range test (Smith 2017, "Cyclical Learning Rates"), as PyTorch Lightning's
 * {@code Tuner.lr_find} runs it: the learning rate grows exponentially, {@code lr_i = min · (max /
 * min)^(i / (n − 1))}, for {@code n} steps of the run's own optimizer chain; the loss is smoothed
 * with an exponential moving average ({@code β = 0.98}) with bias correction {@code avg / (1 −
 * β^(i+1))}; the sweep stops when the smoothed loss exceeds 4× the best so far. The suggestion is
 * the learning rate at the steepest descent of the smoothed loss — the most negative {@code d loss
 * / d log lr} (central differences) — skipping the first 10 and the last point as Lightning does.
 *
 * <p>Also suggests a gradient-clipping threshold, AutoClip-style (Seetharaman et al. 2020): the
 * 10th percentile of the pre-clip global gradient norms seen before the sweep stopped.
 *
 * <p>Modifies the model during the sweep and restores its parameters and buffers afterwards.
 */
final class RangeTest {
  static final double BETA = 0.98;
  static final double DIVERGE_FACTOR = 4;
  static final int SKIP_BEGIN = 10;
  static final int SKIP_END = 1;
  static final double CLIP_PERCENTILE = 10;

  /** The sweep: learning rates, raw and smoothed losses, the suggestion and a clip threshold. */
  record Result(
      double[] lrs,
      double[] losses,
      double[] smoothed,
      double[] gradNorms,
      double suggestedLr,
      double suggestedClip,
      boolean stoppedEarly) {}

  private RangeTest() {}

  static Result run(RunFactory.BuiltRun run, double minLr, double maxLr, int steps) {
    Module model = run.model();
    Map<String, Tensor> saved = StateDict.snapshot(model);
    try {
      return sweep(run, minLr, maxLr, steps);
    } finally {
      StateDict.load(model, saved, true);
    }
  }

  private static Result sweep(RunFactory.BuiltRun run, double minLr, double maxLr, int steps) {
    Module model = run.model();
    Schedule lrAt = step -> minLr * Math.pow(maxLr / minLr, (double) step / (steps - 1));
    OptimBuilder.BuiltOptim built = OptimBuilder.build(run.config(), model, steps, lrAt);
    Optimizer opt = Optimizer.of(built.transformation(), model);
    // The batches training would see first (the same order as `train`).
    DataLoader loader =
        new DataLoader(
            run.data().train(),
            run.config().train().batchSize(),
            run.config().train().dropLast(),
            Runs.order(run.config()));
    model.train();
    List<Double> lrs = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Double> smoothed = new ArrayList<>();
    List<Double> norms = new ArrayList<>();
    double avg = 0;
    double best = Double.POSITIVE_INFINITY;
    boolean stopped = false;
    for (int i = 0; i < steps; i++) {
      Batch batch = loader.next();
      opt.zeroGrad();
      Variable out = model.forward(Variable.constant(batch.inputs()));
      Variable loss = run.loss().apply(out, batch);
      loss.backward();
      double l = loss.value().data()[0];
      norms.add(globalNorm(model));
      lrs.add(lrAt.at(i));
      losses.add(l);
      avg = BETA * avg + (1 - BETA) * l;
      double s = avg / (1 - Math.pow(BETA, i + 1));
      smoothed.add(s);
      if (i > 1 && (!Double.isFinite(s) || s > DIVERGE_FACTOR * best)) {
        stopped = true;
        break;
      }
      if (s < best || i == 0) {
        best = s;
      }
      opt.step(l);
    }
    double[] lr = toArray(lrs);
    double[] sm = toArray(smoothed);
    double[] g = toArray(norms);
    return new Result(lr, toArray(losses), sm, g, suggest(lr, sm), clip(g), stopped);
  }

  /**
   * The learning rate at the most negative {@code d smoothed / d log lr}, skipping the first
   * {@value #SKIP_BEGIN} and last {@value #SKIP_END} points; NaN when fewer than 3 remain.
   */
  static double suggest(double[] lrs, double[] smoothed) {
    int from = SKIP_BEGIN;
    int to = smoothed.length - SKIP_END; // exclusive
    if (to - from < 3) {
      return Double.NaN;
    }
    int bestI = -1;
    double bestG = Double.POSITIVE_INFINITY;
    for (int i = from; i < to; i++) {
      int a = i == from ? i : i - 1;
      int b = i == to - 1 ? i : i + 1;
      double d = (smoothed[b] - smoothed[a]) / (Math.log(lrs[b]) - Math.log(lrs[a]));
      if (Double.isFinite(d) && d < bestG) {
        bestG = d;
        bestI = i;
      }
    }
    return bestI < 0 ? Double.NaN : lrs[bestI];
  }

  /** The {@value #CLIP_PERCENTILE}th percentile (linear interpolation) of the finite norms. */
  static double clip(double[] norms) {
    double[] f = Arrays.stream(norms).filter(Double::isFinite).sorted().toArray();
    if (f.length == 0) {
      return Double.NaN;
    }
    double pos = CLIP_PERCENTILE / 100 * (f.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(f.length - 1, lo + 1);
    return f[lo] + (pos - lo) * (f[hi] - f[lo]);
  }

  private static double globalNorm(Module model) {
    double sum = 0;
    for (Parameter p : model.parameters()) {
      Tensor g = p.grad();
      if (g != null) {
        for (float v : g.data()) {
          sum += (double) v * v;
        }
      }
    }
    return Math.sqrt(sum);
  }

  private static double[] toArray(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
