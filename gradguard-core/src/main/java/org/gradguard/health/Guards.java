package org.gradguard.health;

import java.util.List;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.Params;
import org.gradguard.optim.StepContext;
import org.gradguard.optim.TransformState;
import org.gradguard.tensor.Tensor;

/**
 * Guards: gradient transformations that wrap an inner one and refuse bad steps, after optax's
 * {@code apply_if_finite}. Each keeps an explicit record of what it did in its state (child 0 is
 * the inner state), so a guard can sit anywhere in a chain, be checkpointed and rolled back like
 * any other transformation, and be read by a training loop ({@link TrainingStep} turns the records
 * into {@link GuardAction}s).
 *
 * <p><b>A skipped step</b> leaves the inner transformation untouched (its {@code update} is not
 * called, so moments, counts and the learning-rate schedule's position stay as they were) and sets
 * every update to {@code −0.0}: {@code p + (−0.0) == p} bit for bit for every float, so applying
 * the update leaves the parameters bit-identical too (a {@code +0.0} update would turn a {@code
 * −0.0} weight into {@code +0.0}).
 *
 * <p><b>Schedules and skipped steps:</b> a learning-rate schedule inside the guard counts applied
 * steps only. The step after a skip uses the rate the skipped step would have used; the schedule is
 * not advanced by skips, just as PyTorch's does not advance when {@code optimizer.step()} is not
 * called. ({@link StepContext#step()} still counts every step, for reports.)
 */
public final class Guards {
  /** State number: 1 when the latest step was skipped by this guard, else 0. */
  public static final String SKIPPED = "skipped";

  /** State number: steps this guard skipped in all. */
  public static final String TOTAL_SKIPPED = "total_skipped";

  /** State number ({@link #skipNonFinite}): consecutive non-finite steps, 0 after a good one. */
  public static final String CONSECUTIVE = "consecutive";

  /** State number ({@link #skipNonFinite}): non-finite entries of the latest skipped step. */
  public static final String NON_FINITE = "non_finite";

  /** State number ({@link #skipSpikes}): the z-score of the latest loss (NaN when not known). */
  public static final String LOSS_Z = "loss_z";

  /** State number ({@link #skipSpikes}): the z-score of the latest gradient norm. */
  public static final String NORM_Z = "norm_z";

  /** State number ({@link #skipSpikes}): the latest gradient norm. */
  public static final String NORM = "norm";

  private Guards() {}

  /**
   * Skips every step whose incoming updates (the gradients, at the head of a chain) hold a NaN or
   * an infinity, or whose loss is infinite; the {@code maxConsecutive}-th non-finite step in a row
   * throws {@link TrainingDivergedException} (it is not applied either). Unlike optax's {@code
   * apply_if_finite}, which applies the update anyway after too many errors, this stops.
   *
   * <p>A NaN loss means "not supplied" in a {@link StepContext}, so only an infinite loss is tested
   * here; a NaN loss almost always comes with NaN gradients, and {@link TrainingStep} tests the
   * loss itself.
   *
   * <p>State numbers: {@value #SKIPPED}, {@value #TOTAL_SKIPPED}, {@value #CONSECUTIVE}, {@value
   * #NON_FINITE}; child 0: the inner state.
   *
   * @param maxConsecutive {@code >= 1}
   */
  public static GradientTransformation skipNonFinite(
      GradientTransformation inner, int maxConsecutive) {
    return new SkipNonFinite(inner, maxConsecutive);
  }

  /**
   * Skips steps whose loss or global gradient norm is a statistical spike ({@link SpikeConfig},
   * OLMo-style); spikes are not added to the windows. Non-finite values are not spikes (they pass
   * to the inner transformation; put {@link #skipNonFinite} outside this guard).
   *
   * <p>State: tensors {@code loss_window}, {@code norm_window} (float32 rings of {@code window}
   * entries) with numbers {@code loss_count}, {@code loss_next}, {@code norm_count}, {@code
   * norm_next}; numbers {@value #SKIPPED}, {@value #TOTAL_SKIPPED}, {@value #LOSS_Z}, {@value
   * #NORM_Z}, {@value #NORM}; child 0: the inner state.
   */
  public static GradientTransformation skipSpikes(
      GradientTransformation inner, SpikeConfig config) {
    return new SkipSpikes(inner, config);
  }

  /** Sets every update to −0.0 (see the class documentation). Modified: the updates. */
  static void neutralize(Tensor[] updates) {
    for (Tensor u : updates) {
      u.fillInPlace(-0.0f);
    }
  }

  record SkipNonFinite(GradientTransformation inner, int maxConsecutive)
      implements GradientTransformation {
    SkipNonFinite {
      if (inner == null) {
        throw new IllegalArgumentException("skipNonFinite: inner must not be null");
      }
      if (maxConsecutive < 1) {
        throw new IllegalArgumentException(
            "skipNonFinite: maxConsecutive must be >= 1, got " + maxConsecutive);
      }
    }

    @Override
    public TransformState init(Params params) {
      return TransformState.withChildren(List.of(inner.init(params)))
          .putNumber(SKIPPED, 0)
          .putNumber(TOTAL_SKIPPED, 0)
          .putNumber(CONSECUTIVE, 0)
          .putNumber(NON_FINITE, 0);
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      long bad = 0;
      for (Tensor u : updates) {
        float[] d = u.data();
        int n = u.numel();
        for (int i = 0; i < n; i++) {
          float v = d[i];
          bad += v - v != 0 ? 1 : 0;
        }
      }
      boolean infiniteLoss = Double.isInfinite(ctx.loss());
      if (bad == 0 && !infiniteLoss) {
        state.setNumber(SKIPPED, 0);
        state.setNumber(CONSECUTIVE, 0);
        inner.update(updates, state.child(0), params, ctx);
        return;
      }
      long consecutive = (long) state.number(CONSECUTIVE) + 1;
      state.setNumber(SKIPPED, 1);
      state.setNumber(TOTAL_SKIPPED, state.number(TOTAL_SKIPPED) + 1);
      state.setNumber(CONSECUTIVE, consecutive);
      state.setNumber(NON_FINITE, bad);
      neutralize(updates);
      if (consecutive >= maxConsecutive) {
        throw new TrainingDivergedException(
            "skipNonFinite: "
                + consecutive
                + " consecutive non-finite steps (the limit is "
                + maxConsecutive
                + "), stopped at step "
                + ctx.step()
                + ". Try a lower learning rate, gradient clipping, or a roll-back guard.",
            ctx.step());
      }
    }
  }

  record SkipSpikes(GradientTransformation inner, SpikeConfig config)
      implements GradientTransformation {
    static final String LOSS_WINDOW = "loss_window";
    static final String NORM_WINDOW = "norm_window";
    static final String LOSS_COUNT = "loss_count";
    static final String NORM_COUNT = "norm_count";
    static final String LOSS_NEXT = "loss_next";
    static final String NORM_NEXT = "norm_next";

    SkipSpikes {
      if (inner == null || config == null) {
        throw new IllegalArgumentException("skipSpikes: inner and config must not be null");
      }
    }

    @Override
    public TransformState init(Params params) {
      return TransformState.withChildren(List.of(inner.init(params)))
          .putTensor(LOSS_WINDOW, Tensor.zeros(config.window()))
          .putTensor(NORM_WINDOW, Tensor.zeros(config.window()))
          .putNumber(LOSS_COUNT, 0)
          .putNumber(LOSS_NEXT, 0)
          .putNumber(NORM_COUNT, 0)
          .putNumber(NORM_NEXT, 0)
          .putNumber(SKIPPED, 0)
          .putNumber(TOTAL_SKIPPED, 0)
          .putNumber(LOSS_Z, Double.NaN)
          .putNumber(NORM_Z, Double.NaN)
          .putNumber(NORM, Double.NaN);
    }

    @Override
    public void update(Tensor[] updates, TransformState state, Params params, StepContext ctx) {
      double sumSq = 0;
      for (Tensor u : updates) {
        sumSq += Scans.sumSq(u.data(), u.numel());
      }
      double norm = Math.sqrt(sumSq);
      double loss = ctx.loss();
      boolean lossKnown = config.watchLoss() && Double.isFinite(loss);
      boolean normKnown = config.watchGradNorm() && Double.isFinite(norm);
      double lossZ = lossKnown ? z(state, LOSS_WINDOW, LOSS_COUNT, loss) : Double.NaN;
      double normZ = normKnown ? z(state, NORM_WINDOW, NORM_COUNT, norm) : Double.NaN;
      state.setNumber(LOSS_Z, lossZ);
      state.setNumber(NORM_Z, normZ);
      state.setNumber(NORM, norm);
      if (lossZ > config.k() || normZ > config.k()) {
        state.setNumber(SKIPPED, 1);
        state.setNumber(TOTAL_SKIPPED, state.number(TOTAL_SKIPPED) + 1);
        neutralize(updates);
        return;
      }
      state.setNumber(SKIPPED, 0);
      if (lossKnown) {
        push(state, LOSS_WINDOW, LOSS_COUNT, LOSS_NEXT, loss);
      }
      if (normKnown) {
        push(state, NORM_WINDOW, NORM_COUNT, NORM_NEXT, norm);
      }
      inner.update(updates, state.child(0), params, ctx);
    }

    private double z(TransformState state, String window, String count, double x) {
      return SpikeRule.z(
          state.tensor(window).data(), (int) state.number(count), x, config.minHistory());
    }

    private void push(TransformState state, String window, String count, String next, double x) {
      int i = (int) state.number(next);
      state.tensor(window).data()[i] = (float) x;
      state.setNumber(next, (i + 1) % config.window());
      state.setNumber(count, Math.min(state.number(count) + 1, config.window()));
    }
  }
}
