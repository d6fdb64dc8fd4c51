package org.gradguard.examples;

import java.util.Locale;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Linear;
import org.gradguard.nn.Parameter;
import org.gradguard.nn.Sequential;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Trains a small tanh network on two interleaved spirals with plain gradient descent and prints the
 * loss falling: the smallest end-to-end run of tensors, autograd and layers.
 *
 * <p>Run: {@code java -cp gradguard-core/target/classes org.gradguard.examples.TinyNetworkExample}
 */
public final class TinyNetworkExample {
  private TinyNetworkExample() {}

  /** Two spirals of {@code n} points each, labels 0 and 1. */
  static Tensor[] spirals(int n, Rng rng) {
    float[] x = new float[2 * n * 2];
    float[] y = new float[2 * n];
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < n; i++) {
        double r = (double) i / n;
        double t = 2 * Math.PI * r + c * Math.PI + 0.1 * rng.nextGaussian();
        int k = c * n + i;
        x[2 * k] = (float) (r * Math.cos(t));
        x[2 * k + 1] = (float) (r * Math.sin(t));
        y[k] = c;
      }
    }
    return new Tensor[] {Tensor.wrap(x, 2 * n, 2), Tensor.wrap(y, 2 * n)};
  }

  public static void main(String[] args) {
    Rng rng = new Rng(2026);
    Tensor[] data = spirals(200, rng);
    int[] labels = new int[data[1].numel()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (int) data[1].data()[i];
    }
    Sequential model =
        new Sequential(
            new Linear(2, 64, rng),
            Activation.tanh(),
            new Linear(64, 64, rng),
            Activation.tanh(),
            new Linear(64, 2, rng));
    Variable x = Variable.constant(data[0]);
    float lr = 0.2f;
    System.out.printf(
        Locale.ROOT,
        "GradGuard: %s, %d parameters, %d spiral points%n",
        model,
        model.parameterCount(),
        labels.length);
    for (int step = 0; step <= 1000; step++) {
      model.zeroGrad();
      Variable loss = LossOps.crossEntropy(model.forward(x), labels, 0.0);
      loss.backward();
      try (NoGrad.Scope s = NoGrad.enter()) {
        for (Parameter p : model.parameters()) {
          p.value().addScaledInPlace(-lr, p.grad());
        }
      }
      if (step % 100 == 0) {
        System.out.printf(
            Locale.ROOT,
            "step %4d  loss %.4f  accuracy %.3f%n",
            step,
            loss.item(),
            accuracy(model, x, labels));
      }
    }
  }

  private static double accuracy(Sequential model, Variable x, int[] labels) {
    try (NoGrad.Scope s = NoGrad.enter()) {
      int[] pred = model.forward(x).value().argmax(1);
      int ok = 0;
      for (int i = 0; i < pred.length; i++) {
        ok += pred[i] == labels[i] ? 1 : 0;
      }
      return (double) ok / pred.length;
    }
  }
}
