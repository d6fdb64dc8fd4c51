package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradguard lr-find} on a problem whose best learning rate is known. */
class LrFindCommandTest {
  @TempDir Path tmp;

  /**
   * Full-batch gradient descent on linear regression with two features of standard deviation 3 and
   * a bias: the MSE loss is a quadratic with Hessian 2·E[(x,1)(x,1)ᵀ] ≈ diag(18, 18, 2), so its
   * largest eigenvalue is L ≈ 18 and the best constant SGD learning rate for the steep directions
   * is 1/L ≈ 0.056 (one step solves them); above 2/L ≈ 0.11 gradient descent diverges, inside the
   * default sweep range.
   */
  @Test
  void suggestionIsWithinAFactorOfThreeOfOneOverL() throws IOException {
    Path p = tmp.resolve("quadratic.yaml");
    Files.writeString(
        p,
        String.join(
            "\n",
            "name: quadratic",
            "data: {name: linear-regression, n: 2000, scales: [3, 3], noise: 0.0, seed: 0,"
                + " validation_split: 0}",
            "model: {type: mlp, depth: 0}",
            "loss: mse",
            "optimizer: {name: sgd, lr: 0.1}",
            "train: {steps: 100, batch_size: 2000, shuffle: false}",
            ""));
    CliRun r = CliRun.of("lr-find", p.toString());
    assertEquals(0, r.code(), r.toString());
    Matcher m = Pattern.compile("Suggested learning rate: ([0-9.eE+-]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double lr = Double.parseDouble(m.group(1));
    double best = 1.0 / 18;
    assertTrue(
        lr > best / 3 && lr < best * 3, "suggested " + lr + ", 1/L = " + best + "\n" + r.out());
    assertTrue(r.out().contains("Suggested clipping: clipping: {kind: norm, max_norm: "), r.out());
  }
}
