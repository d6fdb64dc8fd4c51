package org.gradguard.health;

/**
 * When a loss or a gradient norm counts as a spike, after OLMo's skip-step rule (OLMo-core's {@code
 * SkipStepOptimizer}: rolling interval 128, σ-factor 6): the value exceeds {@code mean + k·σ} of
 * the last {@code window} accepted values, once at least {@code minHistory} are known. Spikes are
 * not added to the window, so a run of them keeps being caught.
 *
 * @param window the number of recent values kept (default 128)
 * @param k the number of standard deviations (default 6)
 * @param minHistory values needed before anything counts as a spike (default 20)
 * @param watchLoss test the loss (default true)
 * @param watchGradNorm test the global gradient norm (default true)
 */
public record SpikeConfig(
    int window, double k, int minHistory, boolean watchLoss, boolean watchGradNorm) {
  public SpikeConfig {
    if (window < 2) {
      throw new IllegalArgumentException("SpikeConfig: window must be >= 2, got " + window);
    }
    if (!(k > 0) || Double.isInfinite(k)) {
      throw new IllegalArgumentException("SpikeConfig: k must be finite and > 0, got " + k);
    }
    if (minHistory < 2 || minHistory > window) {
      throw new IllegalArgumentException(
          "SpikeConfig: minHistory must be in [2, window], got " + minHistory);
    }
    if (!watchLoss && !watchGradNorm) {
      throw new IllegalArgumentException(
          "SpikeConfig: watchLoss and watchGradNorm are both false: nothing to watch");
    }
  }

  /** The documented defaults: window 128, k 6, minHistory 20, loss and gradient norm. */
  public static SpikeConfig defaults() {
    return new SpikeConfig(128, 6, 20, true, true);
  }
}
