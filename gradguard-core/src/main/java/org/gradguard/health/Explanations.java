package org.gradguard.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradguard.nn.Activation;

/**
 * The knowledge behind a {@link Diagnosis}: for each kind of problem, the likely causes (judged
 * from the model's profile and the numbers) and the remedies, mapped from the five classic ones
 * plus initialization, warm-up and guards. Package-private.
 */
final class Explanations {
  private Explanations() {}

  /** What a diagnosis knows when it explains one finding. */
  record Context(
      ModelProfile profile,
      Map<String, Double> numbers,
      List<String> signals,
      boolean saturationSeen,
      boolean recurrentSeen,
      long skips,
      long rollbacks,
      List<String> layers,
      java.util.Set<String> vanishingLayers) {
    double number(String key) {
      Double v = numbers.get(key);
      return v == null ? Double.NaN : v;
    }

    boolean has(String signal) {
      return signals.contains(signal);
    }

    String activation() {
      return profile.dominantActivation().name().toLowerCase(Locale.ROOT);
    }

    boolean plainDeepStack() {
      return profile.layers() >= 8 && !profile.residual() && !profile.normalization();
    }

    boolean recurrent() {
      return recurrentSeen || profile.recurrent() || has("time");
    }

    /** True when most of this finding's layers are also starved by a vanishing gradient. */
    boolean mostlyVanishing() {
      long n = layers.stream().filter(vanishingLayers::contains).count();
      return !layers.isEmpty() && 2 * n >= layers.size();
    }
  }

  static String title(EventType type) {
    return switch (type) {
      case NON_FINITE -> "Non-finite values (NaN/Inf)";
      case EXPLODING -> "Exploding gradients";
      case VANISHING -> "Vanishing gradients";
      case SATURATION -> "Saturated activations";
      case DEAD_UNITS -> "Dead units";
      case UPDATE_RATIO -> "Update:parameter ratio out of range";
    };
  }

  static List<String> causes(EventType type, Context c) {
    List<String> out = new ArrayList<>();
    switch (type) {
      case VANISHING -> {
        if (c.has("time")) {
          out.add(
              "a plain recurrent layer: the gradient is multiplied by the recurrent Jacobian"
                  + " W_hhᵀ·diag(φ') at every step back in time, and factors below 1 compound");
        }
        Activation.Kind k = c.profile().dominantActivation();
        if (k == Activation.Kind.SIGMOID) {
          out.add(
              "saturating activations: sigmoid's derivative is at most 0.25, so every layer"
                  + " shrinks the backward signal even when no unit is saturated");
        } else if (k.saturating() && (c.saturationSeen() || c.profile().chi1() < 1)) {
          out.add(
              "saturating activations: "
                  + c.activation()
                  + "'s derivative is below 1 away from 0 and near 0 in its tails");
        }
        String scale = initScale(c);
        if (scale != null && c.profile().chi1() < 1) {
          out.add(scale);
        }
        if (c.plainDeepStack()) {
          out.add(depthWithoutShortcuts(c));
        }
        if (c.has("floor") && out.isEmpty()) {
          out.add(
              "the gradient reaching these layers is tiny for many steps: they are starved by"
                  + " the layers above, or their inputs are (near) zero");
        }
      }
      case EXPLODING -> {
        if (c.has("time")) {
          out.add(
              "missing gradient clipping in a recurrent net: the recurrent weights amplify the"
                  + " gradient ×"
                  + Fmt.num(c.number("time.growth_per_step"))
                  + " per step back in time (spectral radius above 1)");
        }
        String scale = initScale(c);
        if (scale != null && c.profile().chi1() > 1 && (c.has("depth") || c.has("backprop"))) {
          out.add(scale);
        }
        if ((c.has("depth") || c.has("backprop")) && c.plainDeepStack()) {
          out.add(depthWithoutShortcuts(c));
        }
        if (c.has("spike")) {
          out.add(
              "learning rate too high (or a bad batch): the global gradient norm jumped to "
                  + Fmt.num(c.number("spike.median_ratio"))
                  + "× its median; without clipping one such step can throw the weights off");
        }
      }
      case NON_FINITE -> {
        out.add(
            "an overflow: a learning rate too high or exploding gradients drove values past the"
                + " float32 range (about 3.4e38), or an operation was undefined (log of 0, 0/0)");
        if (!Double.isNaN(c.number("first.activation_non_finite"))) {
          out.add(
              "the forward pass itself went non-finite (see the first activation named above):"
                  + " check the inputs and the weights of the layers before it");
        }
        if (c.skips() == 0 && c.rollbacks() == 0) {
          out.add("no guard skipped the step, so a single bad batch can poison the weights");
        }
      }
      case SATURATION -> {
        String scale = initScale(c);
        out.add(
            "pre-activations too large for "
                + c.activation()
                + ": weights initialized too large, inputs not normalized, or weights grown by"
                + " a high learning rate");
        if (scale != null) {
          out.add(scale);
        }
      }
      case DEAD_UNITS ->
          out.add(
              "units pushed into the flat region for every input: a learning-rate step too large"
                  + " or a large negative bias; once dead they get no gradient and stay dead");
      case UPDATE_RATIO -> {
        if (c.has("high")) {
          out.add(
              "learning rate too high for these layers: each step changes the weights by more"
                  + " than 1% (healthy is about 0.1%, log10 ratio ≈ −3)");
        }
        if (c.has("low") && c.mostlyVanishing()) {
          out.add(
              "the vanishing gradient (see that finding): these layers receive almost no"
                  + " gradient, so each step changes their weights by less than 0.01%");
        } else if (c.has("low")) {
          out.add(
              "learning rate too low for these layers, or their gradient vanishes: each step"
                  + " changes the weights by less than 0.01%");
        }
      }
    }
    return out;
  }

  static List<Finding.Advice> remedies(EventType type, Context c) {
    List<Finding.Advice> out = new ArrayList<>();
    Activation.Kind k = c.profile().dominantActivation();
    switch (type) {
      case VANISHING -> {
        if (c.has("time")) {
          out.add(
              advice(
                  Remedy.INITIALIZATION,
                  "initialize the recurrent weights orthogonal (Init.orthogonal) so their"
                      + " spectral radius is 1"));
          out.add(
              advice(
                  Remedy.RESIDUAL_CONNECTIONS,
                  "use a gated cell (LSTM/GRU): its additive cell state is a skip connection"
                      + " through time"));
        }
        if (c.has("depth") || c.has("backprop") || c.has("floor")) {
          out.add(advice(Remedy.INITIALIZATION, initAdvice(k)));
          out.add(
              advice(
                  Remedy.NORMALIZATION,
                  "add batch normalization (BatchNorm1d) or layer normalization (LayerNorm) after"
                      + " each linear layer: it keeps pre-activations at unit scale, out of the"
                      + " saturated tails"));
          out.add(
              advice(
                  Remedy.RESIDUAL_CONNECTIONS,
                  "wrap blocks in residual connections (new Residual(block), y = x + F(x)): the"
                      + " identity path carries the gradient to the early layers undiminished"));
        }
      }
      case EXPLODING -> {
        if (c.has("time")) {
          out.add(
              advice(
                  Remedy.GRADIENT_CLIPPING,
                  "clip by global norm (Clip.byGlobalNorm(1.0) first in the chain): the standard"
                      + " fix for recurrent nets (Pascanu et al. 2013)"));
          out.add(
              advice(
                  Remedy.INITIALIZATION,
                  "initialize the recurrent weights orthogonal (Init.orthogonal), spectral radius"
                      + " 1, instead of a random matrix whose radius exceeds 1"));
          out.add(
              advice(
                  Remedy.LEARNING_RATE,
                  "lower the learning rate, or use an LSTM/GRU, whose gates bound the recurrence"));
        }
        if (c.has("depth") || c.has("backprop")) {
          out.add(advice(Remedy.INITIALIZATION, initAdvice(k)));
          out.add(
              advice(
                  Remedy.NORMALIZATION,
                  "add batch or layer normalization after each linear layer to undo the growth"
                      + " of activations layer by layer"));
          out.add(
              advice(
                  Remedy.GRADIENT_CLIPPING,
                  "clip by global norm (Clip.byGlobalNorm) so that the first steps cannot blow up"
                      + " the weights while the scale is wrong"));
        }
        if (c.has("spike")) {
          double median = c.number("spike.median");
          out.add(
              advice(
                  Remedy.GRADIENT_CLIPPING,
                  "clip by global norm near the typical norm: Clip.byGlobalNorm("
                      + Fmt.num(Double.isNaN(median) ? 1.0 : 2 * median)
                      + ") (about twice the median), or adaptively: Clip.autoClip, Clip.zScore"));
          out.add(
              advice(
                  Remedy.LEARNING_RATE,
                  "lower the learning rate (try ×0.3), or decay it with a schedule"
                      + " (Schedule.cosineAnnealing)"));
          out.add(
              advice(
                  Remedy.WARMUP,
                  "warm the learning rate up over the first few hundred steps"
                      + " (Schedule.linear(lr, 0.01, 1.0, steps) in a Schedule.sequential)"));
          out.add(
              advice(
                  Remedy.WEIGHT_DECAY,
                  "add decoupled weight decay (Optimizers.adamw(lr, 0.01)) so weight norms, and"
                      + " with them gradient norms, cannot drift upward"));
          out.add(
              advice(
                  Remedy.GUARDS,
                  "skip spikes automatically (TrainingStep.Builder.skipSpikes, OLMo-style)"));
        }
      }
      case NON_FINITE -> {
        out.add(
            advice(
                Remedy.GUARDS,
                "skip non-finite steps (TrainingStep.Builder.skipNonFinite) or roll back to the"
                    + " last good state with a lower learning rate (rollback)"));
        out.add(advice(Remedy.LEARNING_RATE, "lower the learning rate (try ×0.1)"));
        out.add(
            advice(
                Remedy.GRADIENT_CLIPPING,
                "clip by global norm (Clip.byGlobalNorm(1.0)) so one large gradient cannot"
                    + " overflow the weights"));
        out.add(advice(Remedy.WARMUP, "warm the learning rate up over the first steps"));
      }
      case SATURATION -> {
        out.add(advice(Remedy.INITIALIZATION, initAdvice(k)));
        out.add(
            advice(
                Remedy.NORMALIZATION,
                "normalize the inputs, and add batch or layer normalization before the"
                    + " activations"));
        out.add(
            advice(
                Remedy.LEARNING_RATE,
                "if saturation grew during training, lower the learning rate"));
      }
      case DEAD_UNITS -> {
        out.add(advice(Remedy.LEARNING_RATE, "lower the learning rate (try ×0.3)"));
        out.add(advice(Remedy.WARMUP, "warm the learning rate up over the first steps"));
        out.add(
            advice(
                Remedy.INITIALIZATION,
                "He initialization (Init.kaimingNormal) with zero or small positive biases, or a"
                    + " leaky activation (Activation.leakyRelu, elu, gelu) that keeps a gradient"));
        out.add(
            advice(
                Remedy.NORMALIZATION,
                "batch normalization before the activation keeps half of the units active"));
      }
      case UPDATE_RATIO -> {
        if (c.has("high")) {
          double r = c.number("high.log10_ratio_max");
          out.add(
              advice(
                  Remedy.LEARNING_RATE,
                  "lower the learning rate by about ×"
                      + Fmt.num(Math.pow(10, -(r + 3)))
                      + " to bring the ratio near 1e-3"));
          out.add(advice(Remedy.WARMUP, "warm the learning rate up over the first steps"));
          out.add(
              advice(
                  Remedy.GRADIENT_CLIPPING,
                  "clip by global norm so no single step moves the weights too far"));
        }
        if (c.has("low") && c.mostlyVanishing()) {
          out.add(
              advice(
                  Remedy.INITIALIZATION,
                  "fix the vanishing gradient first (initialization, normalization, residual"
                      + " connections): a larger learning rate cannot reach layers whose"
                      + " gradient vanishes"));
        } else if (c.has("low")) {
          double r = c.number("low.log10_ratio_min");
          double factor = Math.pow(10, -3 - r);
          out.add(
              advice(
                  Remedy.LEARNING_RATE,
                  factor <= 100
                      ? "raise the learning rate (by up to ×" + Fmt.num(factor) + ")"
                      : "raise the learning rate step by step (×3 at a time); a ratio this"
                          + " low (log10 "
                          + Fmt.num(r)
                          + ") usually means the gradient vanishes rather than a small rate"));
        }
      }
    }
    return dedupe(out);
  }

  private static String initAdvice(Activation.Kind k) {
    return switch (k) {
      case SIGMOID ->
          "sigmoid cannot be made critical (its derivative is at most 0.25): switch to tanh with"
              + " Xavier/Glorot initialization (Init.xavierNormal, gain 5/3), or to ReLU with He"
              + " initialization (Init.kaimingNormal, σw² = 2)";
      case TANH ->
          "initialize for tanh near criticality: Xavier/Glorot (Init.xavierNormal) with gain"
              + " 5/3, i.e. σw² ≈ 1–1.5 with small biases (χ₁ ≈ 1), or orthogonal (Init.orthogonal)";
      case RELU, LEAKY_RELU, ELU, GELU, GELU_TANH, SILU ->
          "use He/Kaiming initialization (Init.kaimingNormal): σw² = 2 makes χ₁ = 1 for ReLU,"
              + " so gradients keep their scale through depth";
      default ->
          "use a variance-preserving initialization: Xavier/Glorot (Init.xavierNormal) for"
              + " saturating activations, He/Kaiming (Init.kaimingNormal) for the ReLU family";
    };
  }

  /** A sentence on the initial weight scale and what mean-field theory makes of it, or null. */
  private static String initScale(Context c) {
    ModelProfile p = c.profile();
    if (!(p.sigmaW2() > 0) || Double.isInfinite(p.sigmaW2())) {
      return null;
    }
    StringBuilder sb = new StringBuilder("initialization scale: the weights start at σw² ≈ ");
    sb.append(Fmt.num(p.sigmaW2()))
        .append(" (fan_in·Var(W); 1 is Xavier/LeCun scale, 2 is He scale)")
        .append(", σb² ≈ ")
        .append(Fmt.num(p.sigmaB2()));
    double chi = p.chi1();
    if (Double.isFinite(chi)) {
      sb.append("; mean-field theory gives χ₁ = ")
          .append(Fmt.num(chi))
          .append(" for this ")
          .append(c.activation())
          .append(" network: the gradient norm is multiplied by about √χ₁ = ")
          .append(Fmt.num(Math.sqrt(chi)))
          .append(" per layer going back")
          .append(chi < 1 ? " (ordered phase: it vanishes)" : " (chaotic phase: it explodes)");
      double measured =
          !Double.isNaN(c.number("depth.decay_per_layer"))
              ? c.number("depth.decay_per_layer")
              : !Double.isNaN(c.number("backprop.growth_per_layer"))
                  ? c.number("backprop.growth_per_layer")
                  : c.number("backprop.decay_per_layer");
      if (!Double.isNaN(measured)) {
        sb.append("; measured ×").append(Fmt.num(measured));
      }
    }
    return sb.toString();
  }

  private static String depthWithoutShortcuts(Context c) {
    return "depth without skip connections or normalization: "
        + c.profile().layers()
        + " layers in a plain stack, so the per-layer factors multiply with nothing to reset"
        + " the scale";
  }

  private static Finding.Advice advice(Remedy r, String text) {
    return new Finding.Advice(r, text);
  }

  /** Keeps the first advice per remedy. */
  private static List<Finding.Advice> dedupe(List<Finding.Advice> in) {
    List<Finding.Advice> out = new ArrayList<>();
    for (Finding.Advice a : in) {
      if (out.stream().noneMatch(b -> b.remedy() == a.remedy())) {
        out.add(a);
      }
    }
    return out;
  }
}
