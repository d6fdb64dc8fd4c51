package org.gradguard.golden;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.Shapes;
import org.junit.jupiter.api.Assertions;

/**
 * Compares a {@link GoldenResult} with a {@link GoldenCase}'s expected {@code outputs} and {@code
 * grads}, element-wise in double like {@code numpy.allclose}: {@code |actual - expected| <= atol +
 * rtol * |expected|}, with the case's tolerance. A NaN or infinite actual value always fails.
 *
 * <p>The check fails (with one message listing every problem) when a name the file expects is
 * missing from the result, when the result has a name the file does not expect (usually a
 * misspelling, or a gradient for an input that is not differentiated), when a shape differs, or
 * when any element is out of tolerance; for the latter it reports how many elements fail, the first
 * one (flat position and index, actual, expected, difference and tolerance) and the largest
 * difference.
 */
public final class GoldenCheck {
  private GoldenCheck() {}

  /**
   * Fails the current test when the result does not match the case.
   *
   * @throws org.opentest4j.AssertionFailedError with a message listing every problem
   */
  public static void assertMatches(GoldenCase c, GoldenResult result) {
    List<String> problems = new ArrayList<>();
    compare("output", c.expectedOutputs(), result.outputs(), c.rtol(), c.atol(), problems);
    compare("grad", c.expectedGrads(), result.grads(), c.rtol(), c.atol(), problems);
    if (!problems.isEmpty()) {
      Assertions.fail(
          c.fileName()
              + " (rtol "
              + c.rtol()
              + ", atol "
              + c.atol()
              + "):\n  "
              + String.join("\n  ", problems));
    }
  }

  private static void compare(
      String what,
      Map<String, GoldenTensor> expected,
      Map<String, GoldenTensor> actual,
      double rtol,
      double atol,
      List<String> problems) {
    for (Map.Entry<String, GoldenTensor> e : expected.entrySet()) {
      String name = e.getKey();
      GoldenTensor want = e.getValue();
      GoldenTensor got = actual.get(name);
      String label = what + " '" + name + "'";
      if (got == null) {
        problems.add(label + " is missing from the result (result has " + actual.keySet() + ")");
      } else if (!Arrays.equals(want.shape(), got.shape())) {
        problems.add(
            label
                + ": shape "
                + Shapes.format(got.shape())
                + " but expected "
                + Shapes.format(want.shape()));
      } else {
        String mismatch = values(want, got, rtol, atol);
        if (mismatch != null) {
          problems.add(label + ": " + mismatch);
        }
      }
    }
    for (String name : actual.keySet()) {
      if (!expected.containsKey(name)) {
        problems.add(
            what
                + " '"
                + name
                + "' is in the result but not in the file (file has "
                + expected.keySet()
                + ")");
      }
    }
  }

  /** Null when every element is within tolerance, else a description of the mismatch. */
  private static String values(GoldenTensor want, GoldenTensor got, double rtol, double atol) {
    double[] e = want.data();
    double[] a = got.data();
    int bad = 0;
    int first = -1;
    int worst = -1;
    double worstDiff = -1;
    for (int i = 0; i < e.length; i++) {
      double diff = Math.abs(a[i] - e[i]);
      if (!(diff <= atol + rtol * Math.abs(e[i]))) {
        bad++;
        if (first < 0) {
          first = i;
        }
        if (!(diff <= worstDiff)) {
          worstDiff = diff;
          worst = i;
        }
      }
    }
    if (bad == 0) {
      return null;
    }
    int[] shape = want.shape();
    double tol = atol + rtol * Math.abs(e[first]);
    return bad
        + " of "
        + e.length
        + " elements out of tolerance; first at "
        + Arrays.toString(index(first, shape))
        + " (flat "
        + first
        + "): actual "
        + a[first]
        + ", expected "
        + e[first]
        + ", |diff| "
        + Math.abs(a[first] - e[first])
        + " > tolerance "
        + tol
        + " (atol "
        + atol
        + " + rtol "
        + rtol
        + " * |expected|); largest |diff| "
        + worstDiff
        + " at "
        + Arrays.toString(index(worst, shape));
  }

  /** The row-major multi-index of a flat position. */
  static int[] index(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }
}
