package org.gradguard.golden;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.optim.Clip;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.OneCycle;
import org.gradguard.optim.Optimizer;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.ParamMask;
import org.gradguard.optim.Params;
import org.gradguard.optim.ReduceLROnPlateau;
import org.gradguard.optim.Schedule;
import org.gradguard.optim.StepContext;
import org.gradguard.optim.TransformState;
import org.gradguard.tensor.Tensor;

/**
 * Golden kinds of the optim area: {@code optimizer}, {@code lr_scheduler}, {@code clip_grad_norm},
 * {@code clip_grad_value}. Everything is built from the case's params and inputs.
 */
final class OptimGoldenKinds {
  private OptimGoldenKinds() {}

  static void register(GoldenKinds r) {
    r.register("optimizer", OptimGoldenKinds::optimizer);
    r.register("lr_scheduler", OptimGoldenKinds::lrScheduler);
    r.register("clip_grad_norm", OptimGoldenKinds::clipGradNorm);
    r.register("clip_grad_value", OptimGoldenKinds::clipGradValue);
  }

  // ---------------------------------------------------------------- clipping

  /** The inputs g0, g1, … in order. */
  private static Tensor[] grads(GoldenCase c) {
    List<Tensor> gs = new ArrayList<>();
    for (int i = 0; c.hasInput("g" + i); i++) {
      gs.add(c.input("g" + i));
    }
    return gs.toArray(new Tensor[0]);
  }

  private static GoldenResult clipWith(GradientTransformation clip, Tensor[] g, boolean norm) {
    Params p = Params.of(g);
    Tensor[] u = new Tensor[g.length];
    for (int i = 0; i < g.length; i++) {
      u[i] = g[i].copy();
    }
    TransformState s = clip.init(p);
    clip.update(u, s, p, StepContext.at(0));
    GoldenResult.Builder b = GoldenResult.builder();
    for (int i = 0; i < u.length; i++) {
      b.output("g" + i, u[i]);
    }
    if (norm) {
      b.output("total_norm", new double[] {s.number(Clip.LAST_NORM)});
    }
    return b.build();
  }

  private static GoldenResult clipGradNorm(GoldenCase c) {
    Object nt = c.param("norm_type");
    double normType = "inf".equals(nt) ? Clip.INF : c.paramDouble("norm_type");
    Clip.OnNonFinite policy =
        c.hasParam("error_if_nonfinite") && c.paramBool("error_if_nonfinite")
            ? Clip.OnNonFinite.ERROR
            : Clip.OnNonFinite.REPORT;
    return clipWith(Clip.byGlobalNorm(c.paramDouble("max_norm"), normType, policy), grads(c), true);
  }

  private static GoldenResult clipGradValue(GoldenCase c) {
    return clipWith(Clip.byValue(c.paramDouble("clip_value")), grads(c), false);
  }

  // ---------------------------------------------------------------- optimizers

  private static GradientTransformation optimizerFor(GoldenCase c) {
    if (c.hasParam("maximize") && c.paramBool("maximize")) {
      throw new UnsupportedOperationException("optimizer: maximize=true is not supported");
    }
    Schedule lr = Schedule.constant(c.paramDouble("lr"));
    String algorithm = c.paramString("algorithm");
    switch (algorithm) {
      case "sgd":
        return Optimizers.sgd(
            lr,
            c.paramDouble("momentum"),
            c.paramDouble("dampening"),
            c.paramDouble("weight_decay"),
            c.paramBool("nesterov"));
      case "adam":
      case "adamw":
        double[] betas = c.paramDoubleList("betas");
        return algorithm.equals("adam")
            ? Optimizers.adam(
                lr,
                betas[0],
                betas[1],
                c.paramDouble("eps"),
                c.paramDouble("weight_decay"),
                c.paramBool("amsgrad"))
            : Optimizers.adamw(
                lr,
                betas[0],
                betas[1],
                c.paramDouble("eps"),
                c.paramDouble("weight_decay"),
                c.paramBool("amsgrad"),
                ParamMask.all());
      case "rmsprop":
        return Optimizers.rmsprop(
            lr,
            c.paramDouble("alpha"),
            c.paramDouble("eps"),
            c.paramDouble("weight_decay"),
            c.paramDouble("momentum"),
            c.paramBool("centered"));
      case "adagrad":
        return Optimizers.adagrad(
            lr,
            c.paramDouble("lr_decay"),
            c.paramDouble("weight_decay"),
            c.paramDouble("initial_accumulator_value"),
            c.paramDouble("eps"));
      default:
        throw new IllegalArgumentException("optimizer: unknown algorithm '" + algorithm + "'");
    }
  }

  /**
   * The protocol of the golden README: for each step k, {@code p.grad = grad_p_k + l2_in_loss·p},
   * then one optimizer step; outputs {@code p_k} after k steps.
   */
  private static GoldenResult optimizer(GoldenCase c) {
    List<String> names = new ArrayList<>();
    for (Object o : (List<?>) c.param("param_names")) {
      names.add((String) o);
    }
    int steps = c.paramInt("steps");
    float l2 = (float) c.paramDouble("l2_in_loss");
    List<Variable> vars = new ArrayList<>();
    for (String n : names) {
      vars.add(Variable.leaf(c.input(n)));
    }
    Optimizer opt = Optimizer.ofVariables(optimizerFor(c), vars);
    GoldenResult.Builder b = GoldenResult.builder();
    Map<String, List<Tensor>> trajectory = new LinkedHashMap<>();
    names.forEach(n -> trajectory.put(n, new ArrayList<>()));
    for (int k = 1; k <= steps; k++) {
      for (int i = 0; i < names.size(); i++) {
        Variable v = vars.get(i);
        Tensor g = c.input("grad_" + names.get(i) + "_" + k).copy();
        if (l2 != 0) {
          g.addScaledInPlace(l2, v.value());
        }
        v.setGrad(g);
      }
      if (!opt.step().applied()) {
        throw new IllegalStateException("optimizer: step " + k + " was not applied");
      }
      for (int i = 0; i < names.size(); i++) {
        trajectory.get(names.get(i)).add(vars.get(i).value().copy());
      }
    }
    trajectory.forEach(
        (n, ts) -> {
          for (int k = 0; k < ts.size(); k++) {
            b.output(n + "_" + (k + 1), ts.get(k));
          }
        });
    return b.build();
  }

  // ---------------------------------------------------------------- schedules

  private static Schedule schedule(String cls, GoldenCase c, Map<String, Object> args, double lr) {
    switch (cls) {
      case "StepLR":
        return Schedule.step(lr, num(args, "step_size").longValue(), dbl(args, "gamma"));
      case "MultiStepLR":
        List<?> ms = (List<?>) args.get("milestones");
        long[] milestones = new long[ms.size()];
        for (int i = 0; i < milestones.length; i++) {
          milestones[i] = ((Number) ms.get(i)).longValue();
        }
        return Schedule.multiStep(lr, milestones, dbl(args, "gamma"));
      case "ExponentialLR":
        return Schedule.exponential(lr, dbl(args, "gamma"));
      case "CosineAnnealingLR":
        return Schedule.cosineAnnealing(lr, num(args, "T_max").longValue(), dbl(args, "eta_min"));
      case "CosineAnnealingWarmRestarts":
        return Schedule.cosineWarmRestarts(
            lr,
            num(args, "T_0").longValue(),
            num(args, "T_mult").longValue(),
            dbl(args, "eta_min"));
      case "LinearLR":
        return Schedule.linear(
            lr,
            dbl(args, "start_factor"),
            dbl(args, "end_factor"),
            num(args, "total_iters").longValue());
      case "OneCycleLR":
        return OneCycle.builder(dbl(args, "max_lr"), num(args, "total_steps").longValue())
            .pctStart(dbl(args, "pct_start"))
            .anneal(
                "cos".equals(args.get("anneal_strategy"))
                    ? OneCycle.Anneal.COS
                    : OneCycle.Anneal.LINEAR)
            .cycleMomentum((Boolean) args.get("cycle_momentum"))
            .momentum(dbl(args, "base_momentum"), dbl(args, "max_momentum"))
            .divFactor(dbl(args, "div_factor"))
            .finalDivFactor(dbl(args, "final_div_factor"))
            .threePhase((Boolean) args.get("three_phase"))
            .build();
      case "SequentialLR":
        List<Schedule> parts = new ArrayList<>();
        for (Object o : (List<?>) args.get("schedulers")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> sub = (Map<String, Object>) o;
          parts.add(schedule((String) sub.get("scheduler"), c, sub, lr));
        }
        List<?> ml = (List<?>) args.get("milestones");
        long[] marks = new long[ml.size()];
        for (int i = 0; i < marks.length; i++) {
          marks[i] = ((Number) ml.get(i)).longValue();
        }
        return Schedule.sequential(parts, marks);
      default:
        throw new IllegalArgumentException("lr_scheduler: unknown scheduler '" + cls + "'");
    }
  }

  private static Number num(Map<String, Object> args, String key) {
    Object v = args.get(key);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException("lr_scheduler: '" + key + "' is " + v);
    }
    return (Number) v;
  }

  private static double dbl(Map<String, Object> args, String key) {
    return num(args, key).doubleValue();
  }

  /**
   * The protocol of the golden README: {@code lr[i]} is the rate before optimizer step i, i.e.
   * after i scheduler steps — {@code schedule.at(i)}; ReduceLROnPlateau is fed {@code metrics[i]}
   * after step i.
   */
  private static GoldenResult lrScheduler(GoldenCase c) {
    int steps = c.paramInt("steps");
    double baseLr = c.paramDouble("base_lr");
    String cls = c.paramString("scheduler");
    double[] lr = new double[steps];
    GoldenResult.Builder b = GoldenResult.builder();
    if (cls.equals("ReduceLROnPlateau")) {
      ReduceLROnPlateau r =
          ReduceLROnPlateau.builder(baseLr)
              .mode(
                  c.paramString("mode").equals("min")
                      ? ReduceLROnPlateau.Mode.MIN
                      : ReduceLROnPlateau.Mode.MAX)
              .factor(c.paramDouble("factor"))
              .patience(c.paramInt("patience"))
              .threshold(
                  c.paramDouble("threshold"),
                  c.paramString("threshold_mode").equals("rel")
                      ? ReduceLROnPlateau.ThresholdMode.REL
                      : ReduceLROnPlateau.ThresholdMode.ABS)
              .cooldown(c.paramInt("cooldown"))
              .minLr(c.paramDouble("min_lr"))
              .eps(c.paramDouble("eps"))
              .build();
      double[] metrics = c.input("metrics").toDoubleArray();
      for (int i = 0; i < steps; i++) {
        lr[i] = r.lr();
        r.step(metrics[i]);
      }
      return b.output("lr", lr, steps).build();
    }
    Schedule s = schedule(cls, c, c.params(), baseLr);
    for (int i = 0; i < steps; i++) {
      lr[i] = s.at(i);
    }
    b.output("lr", lr, steps);
    if (c.expectedOutputs().containsKey("momentum")) {
      double[] m = new double[steps];
      for (int i = 0; i < steps; i++) {
        m[i] =
            s instanceof OneCycle && ((OneCycle) s).config().cycleMomentum()
                ? ((OneCycle) s).momentum(i)
                : c.paramDouble("optimizer_momentum");
      }
      b.output("momentum", m, steps);
    }
    return b.build();
  }
}
