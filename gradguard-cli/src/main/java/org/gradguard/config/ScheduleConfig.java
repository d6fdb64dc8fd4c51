package org.gradguard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The learning-rate schedule, with the names and defaults of {@code torch.optim.lr_scheduler}. A
 * schedule is a function of the optimizer step (one batch), not of the epoch: {@code step_size},
 * {@code milestones}, {@code t_max} and the like count steps. {@code plateau} alone is evaluated
 * once per epoch, on the validation loss. Keys left unset that depend on the length of training
 * ({@code cosine.t_max}, {@code one_cycle.total_steps}) default to the number of training steps.
 */
public sealed interface ScheduleConfig {
  /** The schedule's config name. */
  String name();

  /** The schedules configs may name. */
  enum Kind implements Named {
    CONSTANT("constant"),
    STEP("step"),
    MULTISTEP("multistep"),
    EXPONENTIAL("exponential"),
    COSINE("cosine"),
    COSINE_RESTARTS("cosine_restarts"),
    LINEAR_WARMUP("linear_warmup"),
    ONE_CYCLE("one_cycle"),
    SEQUENTIAL("sequential"),
    PLATEAU("plateau");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** {@code cos} or {@code linear} annealing in one-cycle. */
  enum Anneal implements Named {
    COS,
    LINEAR;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** Whether plateau watches a quantity to minimize or to maximize. */
  enum Mode implements Named {
    MIN,
    MAX;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** Whether plateau's threshold is relative or absolute. */
  enum ThresholdMode implements Named {
    REL,
    ABS;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** The base rate throughout. */
  record Constant() implements ScheduleConfig {
    @Override
    public String name() {
      return "constant";
    }
  }

  /** {@code StepLR}: {@code lr·gamma^⌊t / step_size⌋}. */
  record Step(int stepSize, double gamma) implements ScheduleConfig {
    @Override
    public String name() {
      return "step";
    }
  }

  /** {@code MultiStepLR}: multiply by {@code gamma} at each milestone. */
  record MultiStep(List<Integer> milestones, double gamma) implements ScheduleConfig {
    @Override
    public String name() {
      return "multistep";
    }
  }

  /** {@code ExponentialLR}: {@code lr·gamma^t}. */
  record Exponential(double gamma) implements ScheduleConfig {
    @Override
    public String name() {
      return "exponential";
    }
  }

  /** {@code CosineAnnealingLR}; {@code tMax} null means the number of training steps. */
  record Cosine(Integer tMax, double etaMin) implements ScheduleConfig {
    @Override
    public String name() {
      return "cosine";
    }
  }

  /** {@code CosineAnnealingWarmRestarts} (Loshchilov and Hutter 2017, SGDR). */
  record CosineRestarts(int t0, int tMult, double etaMin) implements ScheduleConfig {
    @Override
    public String name() {
      return "cosine_restarts";
    }
  }

  /** {@code LinearLR}: the factor goes linearly from start to end over {@code totalIters} steps. */
  record LinearWarmup(double startFactor, double endFactor, int totalIters)
      implements ScheduleConfig {
    @Override
    public String name() {
      return "linear_warmup";
    }
  }

  /**
   * {@code OneCycleLR} (Smith and Topin 2019); {@code totalSteps} null means training's steps. With
   * {@code cycleMomentum}, SGD's momentum goes from {@code maxMomentum} down to {@code
   * baseMomentum} and back, inversely to the rate (PyTorch also cycles Adam's β1; here only SGD's
   * momentum is cycled).
   */
  record OneCycle(
      double maxLr,
      Integer totalSteps,
      double pctStart,
      Anneal annealStrategy,
      double divFactor,
      double finalDivFactor,
      boolean threePhase,
      boolean cycleMomentum,
      double baseMomentum,
      double maxMomentum)
      implements ScheduleConfig {
    @Override
    public String name() {
      return "one_cycle";
    }
  }

  /** {@code SequentialLR}: schedule {@code i} runs from milestone {@code i−1} to {@code i}. */
  record Sequential(List<ScheduleConfig> schedules, List<Integer> milestones)
      implements ScheduleConfig {
    @Override
    public String name() {
      return "sequential";
    }
  }

  /** {@code ReduceLROnPlateau}, stepped once per epoch on the validation loss. */
  record Plateau(
      Mode mode,
      double factor,
      int patience,
      double threshold,
      ThresholdMode thresholdMode,
      int cooldown,
      double minLr,
      double eps)
      implements ScheduleConfig {
    @Override
    public String name() {
      return "plateau";
    }
  }

  /** The keys each schedule takes. */
  Map<Kind, List<String>> KEYS =
      Map.of(
          Kind.CONSTANT, List.of("name"),
          Kind.STEP, List.of("name", "step_size", "gamma"),
          Kind.MULTISTEP, List.of("name", "milestones", "gamma"),
          Kind.EXPONENTIAL, List.of("name", "gamma"),
          Kind.COSINE, List.of("name", "t_max", "eta_min"),
          Kind.COSINE_RESTARTS, List.of("name", "t_0", "t_mult", "eta_min"),
          Kind.LINEAR_WARMUP, List.of("name", "start_factor", "end_factor", "total_iters"),
          Kind.ONE_CYCLE,
              List.of(
                  "name",
                  "max_lr",
                  "total_steps",
                  "pct_start",
                  "anneal_strategy",
                  "div_factor",
                  "final_div_factor",
                  "three_phase",
                  "cycle_momentum",
                  "base_momentum",
                  "max_momentum"),
          Kind.SEQUENTIAL, List.of("name", "schedules", "milestones"),
          Kind.PLATEAU,
              List.of(
                  "name",
                  "mode",
                  "factor",
                  "patience",
                  "threshold",
                  "threshold_mode",
                  "cooldown",
                  "min_lr",
                  "eps"));

  /** The schedule at {@code node}; absent gives {@code constant}. */
  static ScheduleConfig parse(Node node) {
    Kind kind = Choices.kind(node, "name", Kind.values(), Kind.CONSTANT, "schedule");
    Section s = Choices.settings(node);
    s.keys(KEYS.get(kind), Choices.elsewhere(KEYS, kind, "schedule"));
    return switch (kind) {
      case CONSTANT -> new Constant();
      case STEP -> new Step(s.integer("step_size", 1), s.number("gamma", 0.1, Range.POSITIVE));
      case MULTISTEP ->
          new MultiStep(
              milestones(s.get("milestones"), true), s.number("gamma", 0.1, Range.POSITIVE));
      case EXPONENTIAL -> new Exponential(s.number("gamma", Range.POSITIVE));
      case COSINE ->
          new Cosine(s.optionalInteger("t_max", 1), s.number("eta_min", 0, Range.NON_NEGATIVE));
      case COSINE_RESTARTS ->
          new CosineRestarts(
              s.integer("t_0", 1),
              s.integer("t_mult", 1, 1),
              s.number("eta_min", 0, Range.NON_NEGATIVE));
      case LINEAR_WARMUP ->
          new LinearWarmup(
              s.number("start_factor", 1.0 / 3, Range.UNIT_POSITIVE),
              s.number("end_factor", 1.0, new Range(0, true, 1, true)),
              s.integer("total_iters", 5, 1));
      case ONE_CYCLE -> oneCycle(s);
      case SEQUENTIAL -> sequential(s);
      case PLATEAU ->
          new Plateau(
              s.choice("mode", Mode.values(), Mode.MIN, "mode"),
              s.number("factor", 0.1, Range.OPEN_UNIT),
              s.integer("patience", 10, 0),
              s.number("threshold", 1e-4, Range.NON_NEGATIVE),
              s.choice(
                  "threshold_mode", ThresholdMode.values(), ThresholdMode.REL, "threshold mode"),
              s.integer("cooldown", 0, 0),
              s.number("min_lr", 0, Range.NON_NEGATIVE),
              s.number("eps", 1e-8, Range.NON_NEGATIVE));
    };
  }

  private static OneCycle oneCycle(Section s) {
    double base = s.number("base_momentum", 0.85, Range.FRACTION);
    double max = s.number("max_momentum", 0.95, Range.FRACTION);
    if (base > max) {
      throw s.error(
          "base_momentum",
          "must not exceed max_momentum " + Numbers.format(max) + ", got " + Numbers.format(base));
    }
    return new OneCycle(
        s.number("max_lr", Range.POSITIVE),
        s.optionalInteger("total_steps", 1),
        s.number("pct_start", 0.3, Range.OPEN_UNIT),
        s.choice("anneal_strategy", Anneal.values(), Anneal.COS, "anneal strategy"),
        s.number("div_factor", 25, Range.POSITIVE),
        s.number("final_div_factor", 1e4, Range.POSITIVE),
        s.bool("three_phase", false),
        s.bool("cycle_momentum", true),
        base,
        max);
  }

  private static Sequential sequential(Section s) {
    List<Node> items = s.get("schedules").asList();
    if (items.size() < 2) {
      throw s.error(
          "schedules", "a sequential schedule needs at least two schedules, got " + items.size());
    }
    List<ScheduleConfig> parts = new ArrayList<>();
    for (Node item : items) {
      ScheduleConfig part = parse(item);
      if (part instanceof Plateau || part instanceof Sequential) {
        throw item.error(part.name() + " cannot be part of a sequential schedule");
      }
      parts.add(part);
    }
    List<Integer> milestones = milestones(s.get("milestones"), true);
    if (milestones.size() != parts.size() - 1) {
      throw s.error(
          "milestones",
          "expected "
              + (parts.size() - 1)
              + " milestones for "
              + parts.size()
              + " schedules, got "
              + milestones.size());
    }
    return new Sequential(List.copyOf(parts), milestones);
  }

  /** A required, strictly increasing list of step numbers {@code >= 1}. */
  private static List<Integer> milestones(Node n, boolean required) {
    if (n.isAbsent() && required) {
      throw n.error("required key is missing");
    }
    List<Integer> out = new ArrayList<>();
    for (Node item : n.asList()) {
      int m = item.asInt(1);
      if (!out.isEmpty() && m <= out.get(out.size() - 1)) {
        throw item.error(
            "milestones must increase, got " + m + " after " + out.get(out.size() - 1));
      }
      out.add(m);
    }
    if (out.isEmpty()) {
      throw n.error("expected at least one milestone");
    }
    return List.copyOf(out);
  }
}
