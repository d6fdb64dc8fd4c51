package org.gradguard.optim;

import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Tensor;

/**
 * Updates added to the parameters, {@code θ ← θ + u}, and what the adding pass measured on the way:
 * per parameter {@code Σ θ²} and {@code Σ |θ|} of the value <em>before</em> the update, and {@code
 * Σ u²} and {@code Σ |u|} of the update, each in double ({@link Backend#addInPlaceMeasured}).
 *
 * <p>Why: a gradient-health monitor wants the parameter norms, the update norms and DL4J's
 * update:parameter ratio {@code mean |u| / mean |θ|} every step. Reading every parameter and update
 * again after the step has written them costs as much as the measuring itself; the pass that
 * applies the update reads both anyway. This class is neutral data: it knows nothing of who reads
 * the sums (the health package's training step hands them to its monitor). Immutable.
 */
public final class AppliedUpdates {
  private static final int FIELDS = 4;

  /** {@code Σθ², Σ|θ|, Σu², Σ|u|} of parameter i at {@code sums[4i .. 4i+3]}. */
  private final double[] sums;

  private AppliedUpdates(double[] sums) {
    this.sums = sums;
  }

  /**
   * Adds {@code updates[i]} to {@code params.value(i)} in place (the float addition of {@link
   * Tensor#addInPlace}) for every parameter, measuring both in the same pass.
   *
   * <p>Modified: the parameter values. Not modified: {@code updates}.
   *
   * @throws IllegalArgumentException when {@code updates} does not hold one tensor of the
   *     parameter's shape per parameter (the message names the first mismatch)
   */
  public static AppliedUpdates applyInPlace(Params params, Tensor[] updates) {
    Check.notNull("AppliedUpdates.applyInPlace", "params", params);
    Check.notNull("AppliedUpdates.applyInPlace", "updates", updates);
    params.checkUpdates("AppliedUpdates.applyInPlace", updates);
    Backend be = Backends.current();
    double[] sums = new double[FIELDS * updates.length];
    double[] out = new double[FIELDS];
    for (int i = 0; i < updates.length; i++) {
      Tensor p = params.value(i);
      be.addInPlaceMeasured(p.data(), updates[i].data(), p.numel(), out);
      System.arraycopy(out, 0, sums, FIELDS * i, FIELDS);
    }
    return new AppliedUpdates(sums);
  }

  /** The number of parameters. */
  public int size() {
    return sums.length / FIELDS;
  }

  /** {@code Σ θ²} of parameter {@code i} before the update. */
  public double paramSumSq(int i) {
    return sums[at(i)];
  }

  /** {@code Σ |θ|} of parameter {@code i} before the update. */
  public double paramSumAbs(int i) {
    return sums[at(i) + 1];
  }

  /** {@code Σ u²} of the update of parameter {@code i}. */
  public double updateSumSq(int i) {
    return sums[at(i) + 2];
  }

  /** {@code Σ |u|} of the update of parameter {@code i}. */
  public double updateSumAbs(int i) {
    return sums[at(i) + 3];
  }

  private int at(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException(
          "AppliedUpdates: parameter index must be in [0, " + size() + "), got " + i);
    }
    return FIELDS * i;
  }
}
