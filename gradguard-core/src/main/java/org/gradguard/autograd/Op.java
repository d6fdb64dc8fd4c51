package org.gradguard.autograd;

/**
 * The closed set of differentiable primitives. Every node on the tape names one of these; each has
 * exactly one derivative rule, written beside its forward in the {@code *Ops} class that implements
 * it. Composite operations (variance, MSE, …) are built from primitives and need no rule of their
 * own.
 *
 * <p>The gradient-check test enumerates this enum and fails for any primitive that has no
 * finite-difference test, so a new op cannot be added without one.
 */
public enum Op {
  // arithmetic (ArithmeticOps)
  ADD,
  SUB,
  MUL,
  DIV,
  NEG,
  POW_SCALAR,
  EXP,
  LOG,
  SQRT,
  ABS,
  CLAMP,
  WHERE,
  MAXIMUM,
  // activations (ActivationOps)
  SIGMOID,
  TANH,
  RELU,
  LEAKY_RELU,
  ELU,
  GELU,
  GELU_TANH,
  SOFTPLUS,
  SILU,
  // reductions (ReductionOps)
  SUM,
  MAX,
  // shape (ShapeOps)
  RESHAPE,
  PERMUTE,
  SLICE,
  CONCAT,
  INDEX_SELECT,
  GATHER,
  // normalisation layers and embedding lookup (NormOps, EmbeddingOps; branch nn-norm)
  BATCH_NORM,
  LAYER_NORM,
  EMBEDDING,
  // matrix products (MatrixOps)
  MATMUL,
  LINEAR,
  // convolution and pooling over NCHW images (ConvOps, PoolOps)
  CONV2D,
  MAX_POOL2D,
  AVG_POOL2D,
  // recurrent layers over a whole sequence (RecurrentOps; branch perf-seq)
  RNN,
  LSTM,
  GRU,
  // fused losses and normalisers (LossOps)
  SOFTMAX,
  LOG_SOFTMAX,
  CROSS_ENTROPY,
  BCE_WITH_LOGITS
}
