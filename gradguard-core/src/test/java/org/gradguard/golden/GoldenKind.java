package org.gradguard.golden;

/**
 * Runs one kind of golden case (e.g. {@code "linear"}): reads the inputs and params from the case,
 * computes the operation with GradGuard, and returns the outputs and (after a backward pass with
 * {@link GoldenCase#upstream}) the gradients, under the names the file uses. The harness compares
 * the result with the file; see {@link GoldenCheck}.
 */
@FunctionalInterface
public interface GoldenKind {
  /**
   * Computes the case.
   *
   * @return every output in {@code c.expectedOutputs()} and every grad in {@code
   *     c.expectedGrads()}, no more and no fewer
   * @throws Exception to fail the case (it is reported as the test's failure)
   */
  GoldenResult run(GoldenCase c) throws Exception;
}
