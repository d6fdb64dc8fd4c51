package org.gradguard.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradguard.nn.BatchNorm;
import org.gradguard.nn.LayerNorm;
import org.gradguard.nn.Module;
import org.gradguard.optim.Clip;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.OneCycle;
import org.gradguard.optim.ParamMask;
import org.gradguard.optim.ReduceLROnPlateau;
import org.gradguard.optim.Schedule;
import org.gradguard.optim.Transforms;

/**
 * Builds the update of a run as one chain of gradient transformations, so that where each remedy
 * acts is explicit:
 *
 * <pre>
 * clipping → L2 (regularization.l2) → the optimizer's own scaling (with its PyTorch weight_decay)
 *          → decoupled decay (regularization.weight_decay) → −lr(t)
 * </pre>
 *
 * The optimizer parts are composed from {@link Transforms} exactly as {@link
 * org.gradguard.optim.Optimizers} composes them, so without regularization the chain computes what
 * {@code Optimizers.sgd/adam/adamw/rmsprop} compute.
 */
public final class OptimBuilder {
  /**
   * The update of a run.
   *
   * @param transformation the whole chain, for {@code Optimizer.of(transformation, model)}
   * @param schedule the learning rate as a function of the step
   * @param plateau the schedule when it is {@code plateau} (the trainer feeds it the validation
   *     loss once per epoch), else null
   */
  public record BuiltOptim(
      GradientTransformation transformation, Schedule schedule, ReduceLROnPlateau plateau) {}

  private OptimBuilder() {}

  /**
   * @param model decides which parameters {@code exclude_norm} leaves alone
   * @param totalSteps the run's optimizer steps, the default length of cosine and one-cycle
   */
  public static BuiltOptim build(RunConfig run, Module model, long totalSteps) {
    return build(run, model, totalSteps, null);
  }

  /**
   * As {@link #build(RunConfig, Module, long)}, with {@code lrSchedule} (when not null) in place of
   * the config's learning rate and schedule; used by the learning-rate range test.
   */
  public static BuiltOptim build(
      RunConfig run, Module model, long totalSteps, Schedule lrSchedule) {
    OptimizerConfig opt = run.optimizer();
    Schedule lr = lrSchedule != null ? lrSchedule : schedule(run.schedule(), opt.lr(), totalSteps);
    Schedule momentum = null;
    if (lr instanceof OneCycle oc && ((ScheduleConfig.OneCycle) run.schedule()).cycleMomentum()) {
      momentum = oc.momentumSchedule();
    }
    RegularizationConfig reg = run.regularization();
    ParamMask mask = mask(reg, model);

    List<GradientTransformation> chain = new ArrayList<>();
    GradientTransformation clip = clipping(run.clipping());
    if (clip != null) {
      chain.add(clip);
    }
    if (reg.l2() > 0) {
      chain.add(Transforms.addDecayedWeights(reg.l2(), mask));
    }
    if (opt instanceof OptimizerConfig.Sgd s) {
      chain.add(Transforms.addDecayedWeights(s.weightDecay()));
      Schedule mu =
          momentum != null ? momentum : s.momentum() > 0 ? Schedule.constant(s.momentum()) : null;
      if (mu != null) {
        chain.add(Transforms.trace(mu, s.dampening(), s.nesterov()));
      }
    } else if (opt instanceof OptimizerConfig.Adam a) {
      // one_cycle's momentum cycles Adam's beta1, as PyTorch's OneCycleLR does
      Schedule beta1 = momentum != null ? momentum : Schedule.constant(a.beta1());
      chain.add(Transforms.addDecayedWeights(a.weightDecay()));
      chain.add(Transforms.scaleByAdam(beta1, a.beta2(), a.eps(), a.amsgrad()));
    } else if (opt instanceof OptimizerConfig.AdamW a) {
      Schedule beta1 = momentum != null ? momentum : Schedule.constant(a.beta1());
      chain.add(Transforms.scaleByAdam(beta1, a.beta2(), a.eps(), a.amsgrad()));
      chain.add(Transforms.addDecayedWeights(a.weightDecay(), ParamMask.all()));
    } else {
      OptimizerConfig.RmsProp r = (OptimizerConfig.RmsProp) opt;
      chain.add(Transforms.addDecayedWeights(r.weightDecay()));
      chain.add(Transforms.scaleByRms(r.alpha(), r.eps(), r.centered()));
      // as SGD's: one_cycle cycles RMSprop's momentum even when the config's is 0
      Schedule mu =
          momentum != null ? momentum : r.momentum() > 0 ? Schedule.constant(r.momentum()) : null;
      if (mu != null) {
        chain.add(Transforms.trace(mu, 0, false));
      }
    }
    if (reg.weightDecay() > 0) {
      chain.add(Transforms.addDecayedWeights(reg.weightDecay(), mask));
    }
    chain.add(Transforms.scaleByLearningRate(lr));
    return new BuiltOptim(
        Transforms.chain(chain.toArray(new GradientTransformation[0])),
        lr,
        lr instanceof ReduceLROnPlateau p ? p : null);
  }

  /** The clipping transformation, or null for {@code none}. */
  static GradientTransformation clipping(ClippingConfig c) {
    if (c instanceof ClippingConfig.Value v) {
      return Clip.byValue(v.clipValue());
    } else if (c instanceof ClippingConfig.Norm n) {
      return Clip.byGlobalNorm(n.maxNorm(), n.normType(), Clip.OnNonFinite.REPORT);
    } else if (c instanceof ClippingConfig.PerLayer p) {
      return Clip.perLayer(p.maxNorm());
    } else if (c instanceof ClippingConfig.Agc a) {
      return Clip.adaptive(a.clipping(), a.eps());
    } else if (c instanceof ClippingConfig.AutoClip a) {
      return Clip.autoClip(a.percentile(), a.history());
    } else if (c instanceof ClippingConfig.ZClip z) {
      return Clip.zScore(z.alpha(), z.zThreshold(), z.warmupSteps());
    }
    return null;
  }

  /** The learning rate schedule with base rate {@code lr} over a run of {@code totalSteps}. */
  static Schedule schedule(ScheduleConfig s, double lr, long totalSteps) {
    if (s instanceof ScheduleConfig.Step st) {
      return Schedule.step(lr, st.stepSize(), st.gamma());
    } else if (s instanceof ScheduleConfig.MultiStep m) {
      return Schedule.multiStep(
          lr, m.milestones().stream().mapToLong(Integer::longValue).toArray(), m.gamma());
    } else if (s instanceof ScheduleConfig.Exponential e) {
      return Schedule.exponential(lr, e.gamma());
    } else if (s instanceof ScheduleConfig.Cosine c) {
      return Schedule.cosineAnnealing(lr, c.tMax() != null ? c.tMax() : totalSteps, c.etaMin());
    } else if (s instanceof ScheduleConfig.CosineRestarts c) {
      return Schedule.cosineWarmRestarts(lr, c.t0(), c.tMult(), c.etaMin());
    } else if (s instanceof ScheduleConfig.LinearWarmup w) {
      return Schedule.linear(lr, w.startFactor(), w.endFactor(), w.totalIters());
    } else if (s instanceof ScheduleConfig.OneCycle o) {
      return OneCycle.builder(o.maxLr(), o.totalSteps() != null ? o.totalSteps() : totalSteps)
          .pctStart(o.pctStart())
          .anneal(
              o.annealStrategy() == ScheduleConfig.Anneal.COS
                  ? OneCycle.Anneal.COS
                  : OneCycle.Anneal.LINEAR)
          .cycleMomentum(o.cycleMomentum())
          .momentum(o.baseMomentum(), o.maxMomentum())
          .divFactor(o.divFactor())
          .finalDivFactor(o.finalDivFactor())
          .threePhase(o.threePhase())
          .build();
    } else if (s instanceof ScheduleConfig.Sequential q) {
      List<Schedule> parts = new ArrayList<>();
      for (ScheduleConfig part : q.schedules()) {
        parts.add(schedule(part, lr, totalSteps));
      }
      return Schedule.sequential(
          parts, q.milestones().stream().mapToLong(Integer::longValue).toArray());
    } else if (s instanceof ScheduleConfig.Plateau p) {
      return ReduceLROnPlateau.builder(lr)
          .mode(
              p.mode() == ScheduleConfig.Mode.MIN
                  ? ReduceLROnPlateau.Mode.MIN
                  : ReduceLROnPlateau.Mode.MAX)
          .factor(p.factor())
          .patience(p.patience())
          .threshold(
              p.threshold(),
              p.thresholdMode() == ScheduleConfig.ThresholdMode.REL
                  ? ReduceLROnPlateau.ThresholdMode.REL
                  : ReduceLROnPlateau.ThresholdMode.ABS)
          .cooldown(p.cooldown())
          .minLr(p.minLr())
          .eps(p.eps())
          .build();
    }
    return Schedule.constant(lr);
  }

  /**
   * The parameters regularization acts on: all, minus those named {@code bias} ({@code
   * exclude_biases}) and those of batch and layer norm layers ({@code exclude_norm}).
   */
  static ParamMask mask(RegularizationConfig reg, Module model) {
    Set<String> excluded = new HashSet<>();
    for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
      boolean norm = m.getValue() instanceof BatchNorm || m.getValue() instanceof LayerNorm;
      for (String p : m.getValue().ownParameters().keySet()) {
        String full = m.getKey().isEmpty() ? p : m.getKey() + "." + p;
        if ((reg.excludeBiases() && p.equals("bias")) || (reg.excludeNorm() && norm)) {
          excluded.add(full);
        }
      }
    }
    return (name, value) -> !excluded.contains(name);
  }
}
