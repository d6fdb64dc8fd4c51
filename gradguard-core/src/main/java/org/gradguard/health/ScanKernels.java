package org.gradguard.health;

/**
 * The plain single-pass loops behind {@link Scans}, in two variants that compute the same values:
 * {@link ScalarScans} (plain Java, always present) and {@code VectorScans} (the Vector API, loaded
 * by name only when the JVM has the module {@code jdk.incubator.vector}). Each reads its arrays
 * once, allocates nothing per element and modifies no input. The loops do not look for NaN or
 * infinity: a non-finite entry propagates into the sums, and {@link Scans} and {@link
 * ActivationProbe} then run their careful scalar passes.
 *
 * <p>Sums end in double, so no finite float32 input can overflow them. {@link ScalarScans} widens
 * every element to double; {@code VectorScans} sums blocks in float lanes (within {@code
 * VectorScans.BLOCK·2⁻²⁴} relative of the double sum of the magnitudes) and widens only where float
 * cannot keep that bound. Minima, maxima and counts agree exactly. {@code ScansTest} compares the
 * variants method by method and fails if a method is added without a comparison.
 */
interface ScanKernels {
  /**
   * Fills {@code out}'s {@code gradSumSq = Σ g²}, {@code finiteMin = min g}, {@code finiteMax = max
   * g} (raw, as {@link Math#min}/{@link Math#max} over every entry; ±∞ for {@code n == 0}) and
   * {@code paramSumSq = Σ p²}, {@code paramSumAbs = Σ |p|} over {@code [0, n)}. With {@code g ==
   * null} only the parameter fields are written. Modified: {@code out}.
   */
  void gradientAndParameter(float[] g, float[] p, int n, Scans.GradientScan out);

  /** {@code out[0] = Σ u²}, {@code out[1] = Σ |u|} over {@code [0, n)}. Modified: {@code out}. */
  void sumSqAndSumAbs(float[] u, int n, double[] out);

  /** {@code Σ x²} over {@code [off, off + n)}. */
  double sumSq(float[] x, int off, int n);

  /**
   * {@code out[0] = Σ (x − shift)}, {@code out[1] = Σ (x − shift)²} over {@code [0, n)}, each term
   * in double. Modified: {@code out}.
   */
  void shiftedMoments(float[] x, int n, double shift, double[] out);

  /** The number of entries in {@code [0, n)} with {@code x ≤ lo} or {@code x ≥ hi}. */
  long countOutside(float[] x, int n, float lo, float hi);

  /** The number of entries in {@code [0, n)} with {@code |x| ≥ hi}. */
  long countAbsAtLeast(float[] x, int n, float hi);

  /**
   * {@link #shiftedMoments} of {@code x} as {@code [rows, units]} into {@code out}, and in the same
   * pass {@code active[u] |= x[r·units + u] > 0} for every row {@code r < rows} and unit {@code u <
   * units} (a rectifier's units that fired). Modified: {@code out}, {@code active}.
   */
  void momentsAndPositive(
      float[] x, int rows, int units, double shift, double[] out, boolean[] active);
}
