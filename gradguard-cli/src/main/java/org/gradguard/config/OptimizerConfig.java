package org.gradguard.config;

import java.util.List;
import java.util.Map;

/**
 * The optimizer, with PyTorch's names, defaults and meaning of every hyper-parameter ({@code
 * torch.optim.SGD}, {@code Adam}, {@code AdamW}, {@code RMSprop}). {@code weight_decay} means what
 * it means in PyTorch for that optimizer: an L2 term added to the gradient (coupled) for sgd, adam
 * and rmsprop, decoupled decay for adamw. The learning rate is the base rate a schedule scales.
 */
public sealed interface OptimizerConfig {
  /** The optimizer's config name, e.g. {@code "adamw"}. */
  String name();

  /** The base learning rate. */
  double lr();

  /** PyTorch's {@code weight_decay} of this optimizer. */
  double weightDecay();

  /** The optimizers configs may name. */
  enum Kind implements Named {
    SGD("sgd"),
    ADAM("adam"),
    ADAMW("adamw"),
    RMSPROP("rmsprop");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /**
   * {@code torch.optim.SGD}: {@code v ← μ v + (1 − τ) g; p ← p − lr (g + μ v if nesterov else v)}.
   */
  record Sgd(double lr, double momentum, double dampening, boolean nesterov, double weightDecay)
      implements OptimizerConfig {
    @Override
    public String name() {
      return "sgd";
    }
  }

  /** {@code torch.optim.Adam} (Kingma and Ba 2015); {@code amsgrad} as Reddi et al. 2018. */
  record Adam(
      double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
      implements OptimizerConfig {
    @Override
    public String name() {
      return "adam";
    }
  }

  /** {@code torch.optim.AdamW} (Loshchilov and Hutter 2019): decay decoupled from the moments. */
  record AdamW(
      double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
      implements OptimizerConfig {
    @Override
    public String name() {
      return "adamw";
    }
  }

  /** {@code torch.optim.RMSprop} (Hinton 2012): {@code alpha} is the smoothing constant. */
  record RmsProp(
      double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
      implements OptimizerConfig {
    @Override
    public String name() {
      return "rmsprop";
    }
  }

  /** The keys each optimizer takes, for messages about keys given to the wrong one. */
  Map<Kind, List<String>> KEYS =
      Map.of(
          Kind.SGD, List.of("name", "lr", "momentum", "dampening", "nesterov", "weight_decay"),
          Kind.ADAM, List.of("name", "lr", "betas", "eps", "weight_decay", "amsgrad"),
          Kind.ADAMW, List.of("name", "lr", "betas", "eps", "weight_decay", "amsgrad"),
          Kind.RMSPROP,
              List.of("name", "lr", "alpha", "eps", "weight_decay", "momentum", "centered"));

  /** The optimizer at {@code node}; absent gives SGD with PyTorch's default lr 1e-3. */
  static OptimizerConfig parse(Node node) {
    Kind kind = Choices.kind(node, "name", Kind.values(), Kind.SGD, "optimizer");
    Section t = Choices.settings(node);
    t.keys(KEYS.get(kind), Choices.elsewhere(KEYS, kind, "optimizer"));
    return switch (kind) {
      case SGD -> {
        double momentum = t.number("momentum", 0, Range.FRACTION);
        double dampening = t.number("dampening", 0, Range.FRACTION);
        boolean nesterov = t.bool("nesterov", false);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
          throw t.error(
              "nesterov",
              "nesterov momentum requires momentum > 0 and dampening 0, got momentum "
                  + Numbers.format(momentum)
                  + " and dampening "
                  + Numbers.format(dampening));
        }
        yield new Sgd(
            t.number("lr", 1e-3, Range.POSITIVE),
            momentum,
            dampening,
            nesterov,
            t.number("weight_decay", 0, Range.NON_NEGATIVE));
      }
      case ADAM, ADAMW -> {
        double lr = t.number("lr", 1e-3, Range.POSITIVE);
        double[] betas = betas(t);
        double eps = t.number("eps", 1e-8, Range.POSITIVE);
        double wd = t.number("weight_decay", kind == Kind.ADAMW ? 1e-2 : 0, Range.NON_NEGATIVE);
        boolean ams = t.bool("amsgrad", false);
        yield kind == Kind.ADAM
            ? new Adam(lr, betas[0], betas[1], eps, wd, ams)
            : new AdamW(lr, betas[0], betas[1], eps, wd, ams);
      }
      case RMSPROP ->
          new RmsProp(
              t.number("lr", 1e-2, Range.POSITIVE),
              t.number("alpha", 0.99, Range.FRACTION),
              t.number("eps", 1e-8, Range.POSITIVE),
              t.number("weight_decay", 0, Range.NON_NEGATIVE),
              t.number("momentum", 0, Range.FRACTION),
              t.bool("centered", false));
    };
  }

  private static double[] betas(Section t) {
    Node n = t.get("betas");
    if (n.isAbsent()) {
      return new double[] {0.9, 0.999};
    }
    List<Node> items = n.asList();
    if (items.size() != 2) {
      throw n.error("expected two numbers [beta1, beta2], got " + items.size());
    }
    return new double[] {
      items.get(0).asNumber(Range.FRACTION), items.get(1).asNumber(Range.FRACTION)
    };
  }
}
