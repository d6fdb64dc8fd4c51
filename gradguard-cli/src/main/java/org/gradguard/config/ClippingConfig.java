package org.gradguard.config;

import java.util.List;
import java.util.Map;

/**
 * Gradient clipping, applied to the gradients after backward and before the optimizer. Kinds:
 * {@code none}; {@code value} ({@code clip_grad_value_}); {@code norm} ({@code clip_grad_norm_},
 * global over all parameters); {@code per_layer} (the norm clip applied to each layer's gradients
 * separately, as DL4J's ClipL2PerLayer); {@code agc} (adaptive gradient clipping, Brock et al.
 * 2021); {@code autoclip} (a percentile of the history of gradient norms, Seetharaman et al. 2020);
 * {@code zclip} (z-score spike clipping against an EMA of the norm's mean and variance, Kumar et
 * al. 2025).
 */
public sealed interface ClippingConfig {
  /** The clipping's config kind. */
  String kind();

  /** The clipping kinds configs may name. */
  enum Kind implements Named {
    NONE("none"),
    VALUE("value"),
    NORM("norm"),
    PER_LAYER("per_layer"),
    AGC("agc"),
    AUTOCLIP("autoclip"),
    ZCLIP("zclip");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** No clipping. */
  record None() implements ClippingConfig {
    @Override
    public String kind() {
      return "none";
    }
  }

  /** Every gradient element clamped to {@code [−clipValue, clipValue]}. */
  record Value(double clipValue) implements ClippingConfig {
    @Override
    public String kind() {
      return "value";
    }
  }

  /**
   * All gradients scaled by {@code min(1, maxNorm / (‖g‖ + 1e-6))}, the norm taken over all
   * parameters together; {@code normType} is 1, 2 or infinity.
   */
  record Norm(double maxNorm, double normType) implements ClippingConfig {
    @Override
    public String kind() {
      return "norm";
    }
  }

  /** The L2-norm clip applied to each layer's gradients separately. */
  record PerLayer(double maxNorm) implements ClippingConfig {
    @Override
    public String kind() {
      return "per_layer";
    }
  }

  /** Unit-wise {@code ‖G‖ / max(‖W‖, eps) ≤ clipping}. */
  record Agc(double clipping, double eps) implements ClippingConfig {
    @Override
    public String kind() {
      return "agc";
    }
  }

  /** Clip to the {@code percentile}-th percentile of the last {@code history} norms. */
  record AutoClip(double percentile, int history) implements ClippingConfig {
    @Override
    public String kind() {
      return "autoclip";
    }
  }

  /** Clip norms more than {@code zThreshold} deviations above their EMA ({@code alpha}). */
  record ZClip(double alpha, double zThreshold, int warmupSteps) implements ClippingConfig {
    @Override
    public String kind() {
      return "zclip";
    }
  }

  /** The keys each kind takes. */
  Map<Kind, List<String>> KEYS =
      Map.of(
          Kind.NONE, List.of("kind"),
          Kind.VALUE, List.of("kind", "clip_value"),
          Kind.NORM, List.of("kind", "max_norm", "norm_type"),
          Kind.PER_LAYER, List.of("kind", "max_norm"),
          Kind.AGC, List.of("kind", "clipping", "eps"),
          Kind.AUTOCLIP, List.of("kind", "percentile", "history"),
          Kind.ZCLIP, List.of("kind", "alpha", "z_threshold", "warmup_steps"));

  /** The clipping at {@code node}; absent gives {@code none}. */
  static ClippingConfig parse(Node node) {
    Kind kind = Choices.kind(node, "kind", Kind.values(), Kind.NONE, "clipping");
    Section s = Choices.settings(node);
    s.keys(KEYS.get(kind), Choices.elsewhere(KEYS, kind, "clipping"));
    return switch (kind) {
      case NONE -> new None();
      case VALUE -> new Value(s.number("clip_value", Range.POSITIVE));
      case NORM -> new Norm(s.number("max_norm", Range.POSITIVE), normType(s.get("norm_type")));
      case PER_LAYER -> new PerLayer(s.number("max_norm", Range.POSITIVE));
      case AGC ->
          new Agc(
              s.number("clipping", 0.01, Range.POSITIVE), s.number("eps", 1e-3, Range.POSITIVE));
      case AUTOCLIP ->
          new AutoClip(s.number("percentile", 10, new Range(0, false, 100, true)), history(s));
      case ZCLIP ->
          new ZClip(
              s.number("alpha", 0.97, Range.OPEN_UNIT),
              s.number("z_threshold", 2.5, Range.POSITIVE),
              s.integer("warmup_steps", 25, 1));
    };
  }

  /** The largest AutoClip history: a million norms (4 MB of state). */
  int MAX_HISTORY = 1_000_000;

  private static int history(Section s) {
    int h = s.integer("history", 1000, 1);
    if (h > MAX_HISTORY) {
      throw s.error("history", "must be <= " + MAX_HISTORY + ", got " + h);
    }
    return h;
  }

  /** 1, 2 or {@code inf} (also {@code infinity}); default 2. */
  private static double normType(Node n) {
    if (n.isAbsent()) {
      return 2;
    }
    if (n.json().isTextual()) {
      String t = n.json().asText().strip().toLowerCase();
      if (t.equals("inf") || t.equals("infinity")) {
        return Double.POSITIVE_INFINITY;
      }
      throw n.error("expected 1, 2 or inf, got " + n.describe());
    }
    double v = n.asNumber();
    if (v != 1 && v != 2) {
      throw n.error("expected 1, 2 or inf, got " + n.describe());
    }
    return v;
  }
}
