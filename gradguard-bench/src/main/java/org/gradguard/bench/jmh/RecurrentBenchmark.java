package org.gradguard.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.GRU;
import org.gradguard.nn.LSTM;
import org.gradguard.nn.RNN;
import org.gradguard.nn.RecurrentLayer;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One recurrent layer on W4's shape (the adding problem: T = 100 steps, batch 64, 2 inputs, 128
 * units): zero the gradients, run the sequence, backpropagate from the sum of the last step's
 * hidden state. {@code cell}: {@code rnn} (tanh), {@code lstm} or {@code gru}, each one fused op
 * per layer. The input needs no gradient, as in the workload.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecurrentBenchmark {
  /** The layer: rnn, lstm or gru. */
  @Param({"rnn", "lstm", "gru"})
  public String cell;

  /** GradGuard's kernel threads. */
  @Param({"1"})
  public int threads;

  private RecurrentLayer layer;
  private Tensor input;

  /** Sizes the pool, builds the layer and draws the input. */
  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Rng rng = new Rng(1);
    layer =
        switch (cell) {
          case "rnn" -> new RNN(2, 128, rng);
          case "lstm" -> new LSTM(2, 128, rng);
          case "gru" -> new GRU(2, 128, rng);
          default -> throw new IllegalArgumentException("cell must be rnn, lstm or gru: " + cell);
        };
    input = Tensor.randn(rng, 100, 64, 2);
  }

  /** Zero the gradients, forward over the sequence, backward from the last step. */
  @Benchmark
  public Tensor forwardBackward() {
    layer.zeroGrad();
    Variable out = layer.forward(Variable.constant(input));
    out.slice(0, 99, 100).sum().backward();
    return layer.parameters().get(1).grad();
  }
}
