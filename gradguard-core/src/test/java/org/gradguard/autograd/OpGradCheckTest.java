package org.gradguard.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A finite-difference gradient check for every primitive in {@link Op}. {@link
 * #everyOpHasAGradCheck()} fails when a primitive is added without a case here.
 */
class OpGradCheckTest {
  private static final Map<Op, Runnable> CASES = new EnumMap<>(Op.class);

  private static Tensor randn(long seed, int... shape) {
    return Tensor.randn(new Rng(seed), shape);
  }

  /** Values bounded away from 0 (for kinks and for log/sqrt/div). */
  private static Tensor awayFromZero(long seed, int... shape) {
    Tensor t = randn(seed, shape);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] >= 0 ? d[i] + 0.2f : d[i] - 0.2f;
    }
    return t;
  }

  private static Tensor positive(long seed, int... shape) {
    return awayFromZero(seed, shape).abs();
  }

  /**
   * A shuffled grid of distinct values 0.05 apart: no ties, none within a finite-difference step.
   */
  private static Tensor distinct(long seed, int... shape) {
    int n = org.gradguard.tensor.Shapes.numel(shape);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    new Rng(seed).shuffle(order);
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = 0.05f * (order[i] - n / 2f);
    }
    return Tensor.wrap(d, shape);
  }

  private static void check(Function<Variable[], Variable> f, Tensor... inputs) {
    GradCheck.assertGradients(f, inputs);
  }

  static {
    CASES.put(Op.ADD, () -> check(v -> v[0].add(v[1]), randn(1, 3, 4), randn(2, 4)));
    CASES.put(Op.SUB, () -> check(v -> v[0].sub(v[1]), randn(1, 2, 1, 3), randn(2, 4, 1)));
    CASES.put(Op.MUL, () -> check(v -> v[0].mul(v[1]), randn(1, 3, 4), randn(2, 3, 1)));
    CASES.put(Op.DIV, () -> check(v -> v[0].div(v[1]), randn(1, 3, 4), awayFromZero(2, 4)));
    CASES.put(Op.NEG, () -> check(v -> v[0].neg(), randn(1, 5)));
    CASES.put(Op.POW_SCALAR, () -> check(v -> v[0].pow(2.5f), positive(1, 2, 3)));
    CASES.put(Op.EXP, () -> check(v -> v[0].exp(), randn(1, 2, 3)));
    CASES.put(Op.LOG, () -> check(v -> v[0].log(), positive(1, 2, 3)));
    CASES.put(Op.SQRT, () -> check(v -> v[0].sqrt(), positive(1, 2, 3)));
    CASES.put(Op.ABS, () -> check(v -> v[0].abs(), awayFromZero(1, 2, 3)));
    CASES.put(
        Op.CLAMP,
        () -> check(v -> v[0].clamp(-0.5f, 0.7f), Tensor.vector(-1.3f, -0.2f, 0.1f, 0.4f, 1.1f)));
    CASES.put(
        Op.WHERE,
        () ->
            check(
                v -> ArithmeticOps.where(Tensor.vector(1, 0, 1, 0), v[0], v[1]),
                randn(1, 3, 4),
                randn(2, 4)));
    CASES.put(
        Op.MAXIMUM,
        () -> check(v -> ArithmeticOps.maximum(v[0], v[1]), awayFromZero(1, 3, 4), randn(2, 4)));
    CASES.put(Op.SIGMOID, () -> check(v -> v[0].sigmoid(), randn(1, 3, 4)));
    CASES.put(Op.TANH, () -> check(v -> v[0].tanh(), randn(1, 3, 4)));
    CASES.put(Op.RELU, () -> check(v -> v[0].relu(), awayFromZero(1, 3, 4)));
    CASES.put(
        Op.LEAKY_RELU, () -> check(v -> ActivationOps.leakyRelu(v[0], 0.1), awayFromZero(1, 3, 4)));
    CASES.put(Op.ELU, () -> check(v -> ActivationOps.elu(v[0], 1.3), awayFromZero(1, 3, 4)));
    CASES.put(Op.GELU, () -> check(v -> ActivationOps.gelu(v[0]), randn(1, 3, 4)));
    CASES.put(Op.GELU_TANH, () -> check(v -> ActivationOps.geluTanh(v[0]), randn(1, 3, 4)));
    CASES.put(
        Op.SOFTPLUS,
        () -> check(v -> ActivationOps.softplus(v[0], 2.0, 20.0), randn(1, 3, 4).mul(3f)));
    CASES.put(Op.SILU, () -> check(v -> ActivationOps.silu(v[0]), randn(1, 3, 4)));
    CASES.put(Op.SUM, () -> check(v -> v[0].sum(true, 0, 2), randn(1, 2, 3, 4)));
    CASES.put(Op.MAX, () -> check(v -> v[0].max(false, 1), randn(1, 3, 5)));
    CASES.put(
        Op.RESHAPE, () -> check(v -> v[0].reshape(6, -1).mul(v[0].reshape(6, 2)), randn(1, 3, 4)));
    CASES.put(Op.PERMUTE, () -> check(v -> v[0].permute(2, 0, 1), randn(1, 2, 3, 4)));
    CASES.put(Op.SLICE, () -> check(v -> ShapeOps.slice(v[0], 1, 1, 6, 2), randn(1, 2, 7, 3)));
    CASES.put(
        Op.CONCAT,
        () -> check(v -> ShapeOps.concat(1, v[0], v[1]), randn(1, 2, 3), randn(2, 2, 4)));
    CASES.put(
        Op.INDEX_SELECT,
        () -> check(v -> ShapeOps.indexSelect(v[0], 0, 2, 0, 2, 1), randn(1, 3, 4)));
    CASES.put(
        Op.GATHER,
        () ->
            check(
                v -> ShapeOps.gather(v[0], 1, new int[] {0, 2, 2, 1, 1, 0}, new int[] {3, 2}),
                randn(1, 3, 4)));
    // nn-norm: batch norm in train mode (gradient through the batch statistics), layer norm over
    // the last two axes, embedding with repeated indices (padding: NormOpsTest)
    CASES.put(
        Op.BATCH_NORM,
        () ->
            check(
                v -> NormOps.batchNormTrain(v[0], v[1], v[2], 1e-5).output(),
                randn(1, 3, 2, 2, 2),
                randn(2, 2),
                randn(3, 2)));
    CASES.put(
        Op.LAYER_NORM,
        () ->
            check(
                v -> NormOps.layerNorm(v[0], 2, v[1], v[2], 1e-5),
                randn(1, 2, 3, 4),
                randn(2, 3, 4),
                randn(3, 3, 4)));
    CASES.put(
        Op.EMBEDDING,
        () ->
            check(
                v ->
                    EmbeddingOps.embedding(
                        v[0], new int[] {1, 3, 1, 0, 2, 3}, new int[] {2, 3}, null),
                randn(1, 4, 3)));
    CASES.put(Op.MATMUL, () -> check(v -> v[0].matmul(v[1]), randn(1, 3, 4), randn(2, 4, 5)));
    CASES.put(
        Op.LINEAR,
        () ->
            check(
                v -> MatrixOps.linear(v[0], v[1], v[2]),
                randn(1, 3, 4),
                randn(2, 5, 4),
                randn(3, 5)));
    CASES.put(
        Op.CONV2D,
        () ->
            check(
                v -> ConvOps.conv2d(v[0], v[1], v[2], new int[] {2, 2}, new int[] {1, 1}),
                randn(1, 2, 3, 5, 7),
                randn(2, 2, 3, 3, 2),
                randn(3, 2)));
    CASES.put(
        Op.MAX_POOL2D,
        () ->
            check(
                v -> PoolOps.maxPool2d(v[0], new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}),
                distinct(1, 2, 2, 5, 7)));
    CASES.put(
        Op.AVG_POOL2D,
        () ->
            check(
                v ->
                    PoolOps.avgPool2d(
                        v[0], new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, false),
                randn(1, 2, 2, 5, 7)));
    CASES.put(
        Op.RNN,
        () ->
            check(
                v -> RecurrentOps.rnn(v[0], v[1], v[2], v[3], v[4], v[5], true),
                randn(1, 5, 2, 3),
                randn(2, 1, 2, 4).mul(0.5f),
                randn(3, 4, 3).mul(0.5f),
                randn(4, 4, 4).mul(0.5f),
                randn(5, 4).mul(0.5f),
                randn(6, 4).mul(0.5f)));
    CASES.put(
        Op.LSTM,
        () ->
            check(
                v -> {
                  RecurrentOps.LstmOutput r =
                      RecurrentOps.lstm(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
                  return ShapeOps.concat(0, r.output(), r.cN());
                },
                randn(1, 4, 2, 3),
                randn(2, 1, 2, 3).mul(0.5f),
                randn(3, 1, 2, 3).mul(0.5f),
                randn(4, 12, 3).mul(0.5f),
                randn(5, 12, 3).mul(0.5f),
                randn(6, 12).mul(0.5f),
                randn(7, 12).mul(0.5f)));
    CASES.put(
        Op.GRU,
        () ->
            check(
                v -> RecurrentOps.gru(v[0], v[1], v[2], v[3], v[4], v[5]),
                randn(1, 4, 2, 3),
                randn(2, 1, 2, 3).mul(0.5f),
                randn(3, 9, 3).mul(0.5f),
                randn(4, 9, 3).mul(0.5f),
                randn(5, 9).mul(0.5f),
                randn(6, 9).mul(0.5f)));
    CASES.put(Op.SOFTMAX, () -> check(v -> LossOps.softmax(v[0], 1), randn(1, 2, 4, 3)));
    CASES.put(Op.LOG_SOFTMAX, () -> check(v -> LossOps.logSoftmax(v[0], -1), randn(1, 3, 5)));
    CASES.put(
        Op.CROSS_ENTROPY,
        () -> check(v -> LossOps.crossEntropy(v[0], new int[] {2, 0, 4}, 0.1), randn(1, 3, 5)));
    CASES.put(
        Op.BCE_WITH_LOGITS,
        () ->
            check(
                v -> LossOps.bceWithLogits(v[0], v[1]),
                randn(1, 3, 4).mul(2f),
                Tensor.rand(new Rng(2), 3, 4)));
  }

  @TestFactory
  Stream<DynamicTest> gradcheckEveryOp() {
    return CASES.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey().name(), () -> e.getValue().run()));
  }

  @Test
  void everyOpHasAGradCheck() {
    for (Op op : Op.values()) {
      assertTrue(CASES.containsKey(op), "op " + op + " has no gradient check in OpGradCheckTest");
    }
  }

  @Test
  void batchedAndBroadcastMatmul() {
    check(v -> v[0].matmul(v[1]), randn(1, 2, 3, 4), randn(2, 2, 4, 2));
    check(v -> v[0].matmul(v[1]), randn(1, 2, 3, 4), randn(2, 4, 2));
  }

  @Test
  void rnnWithoutInitialStateOrBiasesAndWithRelu() {
    // ReLU away from its kink: the weights are positive and the inputs bounded away from zero
    check(
        v -> RecurrentOps.rnn(v[0], null, v[1], v[2], null, null, false),
        awayFromZero(1, 4, 3, 2),
        positive(2, 5, 2).mul(0.3f),
        positive(3, 5, 5).mul(0.2f));
    check(
        v -> RecurrentOps.rnn(v[0], null, v[1], v[2], null, v[3], true),
        randn(1, 1, 2, 3),
        randn(2, 4, 3).mul(0.5f),
        randn(3, 4, 4).mul(0.5f),
        randn(4, 4));
  }

  @Test
  void lstmFromZeroStatesWithoutBiases() {
    check(
        v -> RecurrentOps.lstm(v[0], null, null, v[1], v[2], null, null).output(),
        randn(1, 5, 2, 2),
        randn(2, 8, 2).mul(0.5f),
        randn(3, 8, 2).mul(0.5f));
    check(
        v -> RecurrentOps.lstm(v[0], null, null, v[1], v[2], v[3], null).cN(),
        randn(1, 1, 3, 2),
        randn(2, 8, 2).mul(0.5f),
        randn(3, 8, 2).mul(0.5f),
        randn(4, 8));
  }

  @Test
  void linearWithoutBiasAndWithBatchedInput() {
    check(v -> MatrixOps.linear(v[0], v[1], null), randn(1, 2, 3, 4), randn(2, 5, 4));
  }

  @Test
  void compositeOpsNeedNoRuleOfTheirOwn() {
    check(v -> ReductionOps.variance(v[0], 1, false, 0), randn(1, 4, 3));
    check(v -> v[0].mean(true, 1), randn(1, 4, 3));
    check(v -> LossOps.mse(v[0], v[1]), randn(1, 4, 3), randn(2, 4, 3));
    check(v -> ShapeOps.stack(0, v[0], v[1]), randn(1, 2, 3), randn(2, 2, 3));
    check(v -> v[0].transpose(0, 1).flatten(0, 1), randn(1, 2, 3));
  }

  @Test
  void gradCheckDetectsAWrongRule() {
    // A deliberately wrong derivative (2x instead of 3x² for x³) must be caught.
    Function<Variable[], Variable> wrong =
        v -> {
          Tensor x = v[0].value();
          return Graph.record(Op.POW_SCALAR, x.pow(3f), g -> new Tensor[] {g.mul(x).mul(2f)}, v[0]);
        };
    GradCheck.Result r = GradCheck.check(wrong, positive(1, 4));
    assertTrue(!r.passed(), "a wrong rule passed: " + r);
  }
}
