package org.gradguard.nn;

import org.gradguard.autograd.NormOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015, "Batch Normalization: Accelerating Deep Network
 * Training by Reducing Internal Covariate Shift"), the common part of {@link BatchNorm1d} and
 * {@link BatchNorm2d}, after PyTorch's {@code _BatchNorm}. Statistics are per channel (axis 1),
 * over the M elements of every other axis.
 *
 * <ul>
 *   <li><b>Training mode</b>: {@code y = γ·(x−μ_B)/√(σ²_B+eps) + β} with the batch mean and the
 *       <em>biased</em> batch variance; the gradient flows through μ_B and σ²_B (the fused {@link
 *       NormOps#batchNormTrain} primitive). Then, outside the differentiated op, the running
 *       statistics are updated with the <em>unbiased</em> variance:
 *       <pre>
 * running_mean = (1−momentum)·running_mean + momentum·μ_B
 * running_var  = (1−momentum)·running_var  + momentum·σ²_B·M/(M−1)
 * num_batches_tracked += 1</pre>
 *       A batch with M = 1 is rejected, as PyTorch does ("Expected more than 1 value per channel
 *       when training").
 *   <li><b>Evaluation mode</b>: {@code y = γ·(x−running_mean)/√(running_var+eps) + β}, an affine
 *       map; running statistics are unchanged.
 * </ul>
 *
 * <p><b>Momentum convention.</b> PyTorch's: {@code momentum} is the weight of the <em>new</em>
 * batch statistic (default 0.1). Keras's {@code BatchNormalization(momentum=0.99)} is the weight of
 * the <em>old</em> running value, so Keras momentum = 1 − this momentum.
 *
 * <p><b>State dict.</b> Parameters {@code weight} (γ, initialised to 1) and {@code bias} (β, 0)
 * when affine; buffers {@code running_mean} (0), {@code running_var} (1) and {@code
 * num_batches_tracked} (0) when tracking running statistics. {@code num_batches_tracked} is stored
 * here as a float32 scalar of shape {@code []}; PyTorch stores it as int64 (exact up to 2²⁴ batches
 * here). Without running statistics ({@code trackRunningStats = false}) the layer normalises with
 * batch statistics in both modes, like PyTorch.
 *
 * <p>The forward pass in training mode modifies the running-statistic buffers in place (under
 * {@code NoGrad} too, as PyTorch does); nothing else is modified.
 */
public abstract class BatchNorm extends Module {

  /** PyTorch's default {@code eps}. */
  public static final double DEFAULT_EPS = 1e-5;

  /** PyTorch's default {@code momentum}. */
  public static final double DEFAULT_MOMENTUM = 0.1;

  private final int numFeatures;
  private final double eps;
  private final double momentum;
  private final Parameter weight;
  private final Parameter bias;
  private final Tensor runningMean;
  private final Tensor runningVar;
  private final Tensor numBatchesTracked;

  /**
   * @param numFeatures C, the number of channels
   * @param eps added to the variance, &gt; 0
   * @param momentum weight of the new batch statistic in the running average, in [0, 1]
   * @param affine whether to learn γ and β
   * @param trackRunningStats whether to keep running statistics (and use them in eval mode)
   */
  protected BatchNorm(
      int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
    String name = getClass().getSimpleName();
    if (numFeatures <= 0) {
      throw new IllegalArgumentException(name + ": numFeatures must be > 0, got " + numFeatures);
    }
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException(name + ": eps must be > 0, got " + eps);
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(name + ": momentum must be in [0, 1], got " + momentum);
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
    this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
    if (trackRunningStats) {
      this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
      this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
      this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0f));
    } else {
      this.runningMean = null;
      this.runningVar = null;
      this.numBatchesTracked = null;
    }
  }

  /**
   * Checks the rank of the input (the subclass's accepted layouts); called before the channel count
   * is checked.
   */
  protected abstract void checkInput(int[] shape);

  @Override
  protected final Variable compute(Variable x) {
    int[] s = x.shape();
    checkInput(s);
    if (s[1] != numFeatures) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + ": expected "
              + numFeatures
              + " channels (axis 1), got input "
              + Shapes.format(s));
    }
    if (!isTraining() && runningMean != null) {
      return NormOps.batchNormEval(x, weight, bias, runningMean, runningVar, eps);
    }
    int m = Shapes.numel(s) / numFeatures;
    if (m <= 1) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + ": Expected more than 1 value per channel when training, got input size "
              + Shapes.format(s));
    }
    NormOps.BatchNormResult r = NormOps.batchNormTrain(x, weight, bias, eps);
    if (isTraining() && runningMean != null) {
      updateRunningStats(r.stats());
    }
    return r.output();
  }

  private void updateRunningStats(NormOps.BatchStats stats) {
    float[] rm = runningMean.data();
    float[] rv = runningVar.data();
    float[] mean = stats.mean().data();
    float[] var = stats.variance().data();
    int m = stats.count();
    for (int c = 0; c < numFeatures; c++) {
      double unbiased = (double) var[c] * m / (m - 1);
      rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mean[c]);
      rv[c] = (float) ((1 - momentum) * rv[c] + momentum * unbiased);
    }
    numBatchesTracked.data()[0] += 1f;
  }

  /** Resets running_mean to 0, running_var to 1 and num_batches_tracked to 0 (in place). */
  public final void resetRunningStats() {
    if (runningMean != null) {
      runningMean.fillInPlace(0f);
      runningVar.fillInPlace(1f);
      numBatchesTracked.fillInPlace(0f);
    }
  }

  public final int numFeatures() {
    return numFeatures;
  }

  public final double eps() {
    return eps;
  }

  public final double momentum() {
    return momentum;
  }

  /** γ, or null when not affine. */
  public final Parameter weight() {
    return weight;
  }

  /** β, or null when not affine. */
  public final Parameter bias() {
    return bias;
  }

  /** The running mean buffer (live, updated in place), or null when not tracked. */
  public final Tensor runningMean() {
    return runningMean;
  }

  /** The running (unbiased) variance buffer (live, updated in place), or null when not tracked. */
  public final Tensor runningVar() {
    return runningVar;
  }

  /** The number of training batches seen since construction or the last reset, or 0. */
  public final long numBatchesTracked() {
    return numBatchesTracked == null ? 0 : (long) numBatchesTracked.item();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "("
        + numFeatures
        + ", eps="
        + eps
        + ", momentum="
        + momentum
        + (weight == null ? ", affine=false" : "")
        + (runningMean == null ? ", trackRunningStats=false" : "")
        + ")";
  }

  @Override
  public Role role() {
    return Role.NORMALIZATION;
  }
}
