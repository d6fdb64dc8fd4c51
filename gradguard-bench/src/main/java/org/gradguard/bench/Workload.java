package org.gradguard.bench;

import java.util.function.Function;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.data.Batch;
import org.gradguard.data.Dataset;
import org.gradguard.nn.Module;
import org.gradguard.optim.Optimizer;
import org.gradguard.optim.StepReport;
import org.gradguard.tensor.Tensor;

/**
 * One benchmark workload, built by {@link Workloads}: a model in training mode, its optimizer (a
 * chain that starts with the clipping, where the workload clips), its batches and its loss.
 *
 * <p>{@link #step()} is the unit both sides time — the same sequence as {@code step()} in {@code
 * torch_workloads.py}. Not thread-safe; each step modifies the model's parameters, the optimizer
 * state and the batch cursor.
 */
public final class Workload {
  /** The loss of a batch given the model's output. */
  @FunctionalInterface
  interface Objective {
    Variable loss(Variable output, Batch batch);
  }

  private final String name;
  private final int batchSize;
  private final Module model;
  private final Optimizer optimizer;
  private final BatchSource batches;
  private final Function<Batch, Tensor> inputs;
  private final Objective objective;
  private final Dataset test;
  private final int stepsPerEpoch;
  private final long flopPerStep;
  private final String data;
  private long skippedSteps;

  Workload(
      String name,
      int batchSize,
      Module model,
      Optimizer optimizer,
      BatchSource batches,
      Function<Batch, Tensor> inputs,
      Objective objective,
      Dataset test,
      int stepsPerEpoch,
      long flopPerStep,
      String data) {
    this.name = name;
    this.batchSize = batchSize;
    this.model = model;
    this.optimizer = optimizer;
    this.batches = batches;
    this.inputs = inputs;
    this.objective = objective;
    this.test = test;
    this.stepsPerEpoch = stepsPerEpoch;
    this.flopPerStep = flopPerStep;
    this.data = data;
    model.train();
  }

  /**
   * One training step: fetch the next batch by index, zero the gradients, forward, loss, backward,
   * clip (inside the optimizer's chain, where the workload clips), optimizer step, and read the
   * loss value.
   *
   * @return the loss of this step's batch (before the update)
   */
  public double step() {
    optimizer.zeroGrad();
    Variable loss = nextLoss();
    loss.backward();
    double value = loss.item();
    StepReport report = optimizer.step(value);
    if (!report.applied()) {
      skippedSteps++;
    }
    return value;
  }

  /**
   * The loss of the next batch with its graph recorded: fetch the batch by index, forward, loss —
   * the part of {@link #step()} before backward, for a driver that runs the rest itself (the health
   * package's {@code TrainingStep}, which brings its own monitor, guards and copy of the chain's
   * state). Modified: the batch cursor, the model's buffers (batch norm's running statistics).
   */
  public Variable nextLoss() {
    Batch batch = batches.next();
    Variable output = model.forward(Variable.constant(inputs.apply(batch)));
    return objective.loss(output, batch);
  }

  /**
   * The accuracy of the model on the test split, in evaluation mode and without recording a graph,
   * 1,000 examples at a time (as {@code torch_workloads.py} does); the model is back in training
   * mode afterwards.
   *
   * @throws IllegalStateException if this workload has no test split (W2 and W4)
   */
  @SuppressWarnings("try") // the scope is only opened and closed
  public double testAccuracy() {
    if (test == null) {
      throw new IllegalStateException(
          "Workload " + name + ": no test split; --epoch needs mlp, resmlp-bn or cnn");
    }
    int n = test.size();
    int correct = 0;
    model.eval();
    try (NoGrad.Scope scope = NoGrad.enter()) {
      for (int from = 0; from < n; from += 1000) {
        int to = Math.min(n, from + 1000);
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
          indices[i] = from + i;
        }
        Batch batch = test.batch(indices);
        int[] predicted = model.forward(Variable.constant(batch.inputs())).value().argmax(1);
        int[] labels = batch.labels();
        for (int i = 0; i < predicted.length; i++) {
          if (predicted[i] == labels[i]) {
            correct++;
          }
        }
      }
    } finally {
      model.train();
    }
    return correct / (double) n;
  }

  /** The workload's name, e.g. {@code "mlp"}. */
  public String name() {
    return name;
  }

  /** Examples per (full) batch. */
  public int batchSize() {
    return batchSize;
  }

  /** The model (in training mode between calls). */
  public Module model() {
    return model;
  }

  /** The optimizer, whose chain includes the clipping. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** Whether {@link #testAccuracy()} is available (the Fashion-MNIST workloads). */
  public boolean hasTestSplit() {
    return test != null;
  }

  /** Steps in one pass over the training data, the last batch possibly short. */
  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /**
   * Matrix-multiply FLOPs of one training step, by the formulas of {@code torch_workloads.py}
   * (elementwise work, normalization and the optimizer ignored), so that both sides report the same
   * {@code achieved_gflops}.
   */
  public long flopPerStep() {
    return flopPerStep;
  }

  /** Steps whose update the optimizer skipped because a gradient or update was not finite. */
  public long skippedSteps() {
    return skippedSteps;
  }

  /** What the batches are drawn from, for provenance. */
  public String data() {
    return data;
  }
}
