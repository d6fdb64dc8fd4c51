package org.gradguard.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * A tensor value in a define-by-run computation graph.
 *
 * <p>Operations on variables that require gradients record how to differentiate themselves; {@link
 * #backward()} walks the recorded graph in reverse and accumulates {@code ∂loss/∂leaf} into {@link
 * #grad()} of every leaf that requires a gradient. As in PyTorch, gradients accumulate across
 * backward calls until {@link #zeroGrad()}, and the graph is freed after a backward pass unless
 * {@code retainGraph} is set. Intermediate variables keep no gradient unless {@link #retainGrad()}
 * was called.
 *
 * <p>The value tensor is shared, not copied: optimizers update parameters in place through {@link
 * #value()}.
 */
public class Variable {
  private final Tensor value;
  private final boolean requiresGrad;
  private final Node node;
  private Tensor grad;
  private boolean retainGrad;
  private List<UnaryOperator<Tensor>> hooks;

  Variable(Tensor value, boolean requiresGrad, Node node) {
    if (value == null) {
      throw new IllegalArgumentException("Variable: value must not be null");
    }
    this.value = value;
    this.requiresGrad = requiresGrad;
    this.node = node;
  }

  /** A leaf; subclasses such as parameters use this. */
  protected Variable(Tensor value, boolean requiresGrad) {
    this(value, requiresGrad, null);
  }

  /** A leaf that requires a gradient. */
  public static Variable leaf(Tensor value) {
    return new Variable(value, true, null);
  }

  /** A constant: a leaf that never receives a gradient. */
  public static Variable constant(Tensor value) {
    return new Variable(value, false, null);
  }

  /** The value, shared (not a copy). */
  public final Tensor value() {
    return value;
  }

  public final int[] shape() {
    return value.shape();
  }

  /** The accumulated gradient, or {@code null} before any backward pass reached this variable. */
  public final Tensor grad() {
    return grad;
  }

  /** Replaces the accumulated gradient (e.g. by a gradient transformation); may be null. */
  public final void setGrad(Tensor g) {
    if (g != null && !g.sameShape(value)) {
      throw new IllegalArgumentException(
          "setGrad: gradient shape "
              + Shapes.format(g.shape())
              + " differs from value shape "
              + Shapes.format(value.shape()));
    }
    this.grad = g;
  }

  /** Clears the accumulated gradient. */
  public final void zeroGrad() {
    grad = null;
  }

  public final boolean requiresGrad() {
    return requiresGrad;
  }

  /** True for variables not produced by a recorded op. */
  public final boolean isLeaf() {
    return node == null;
  }

  /** The recorded op that produced this variable, or null for a leaf. */
  public final Op op() {
    return node == null ? null : node.op;
  }

  final Node node() {
    return node;
  }

  final boolean retainsGrad() {
    return retainGrad;
  }

  /** Keeps the gradient of this intermediate variable in {@link #grad()} after backward. */
  public final Variable retainGrad() {
    retainGrad = true;
    return this;
  }

  /**
   * Registers a hook called with the gradient flowing into this variable during backward, before it
   * is accumulated or passed on. The hook may observe it (return its argument) or replace it
   * (return a tensor of the same shape). Hooks run in registration order.
   */
  public final Variable registerHook(UnaryOperator<Tensor> hook) {
    if (!requiresGrad) {
      throw new IllegalStateException(
          "registerHook: a variable that does not require a gradient never receives one");
    }
    if (hooks == null) {
      hooks = new ArrayList<>();
    }
    hooks.add(hook);
    return this;
  }

  final Tensor runHooks(Tensor g) {
    if (hooks == null) {
      return g;
    }
    for (UnaryOperator<Tensor> h : hooks) {
      Tensor r = h.apply(g);
      if (r != null) {
        if (!r.sameShape(value)) {
          throw new IllegalStateException(
              "gradient hook returned shape "
                  + Shapes.format(r.shape())
                  + " for a variable of shape "
                  + Shapes.format(value.shape()));
        }
        g = r;
      }
    }
    return g;
  }

  final void accumulateGrad(Tensor g) {
    if (grad == null) {
      grad = g.copy();
    } else {
      grad.addInPlace(g);
    }
  }

  /** Backward from a one-element variable with upstream gradient 1; frees the graph. */
  public final void backward() {
    if (value.numel() != 1) {
      throw new IllegalStateException(
          "backward: an upstream gradient is needed for a non-scalar output of shape "
              + Shapes.format(value.shape())
              + "; call backward(gradient)");
    }
    backward(Tensor.ones(value.shape()), false);
  }

  /** Backward with an explicit upstream gradient of this variable's shape; frees the graph. */
  public final void backward(Tensor upstream) {
    backward(upstream, false);
  }

  /**
   * Backward with an explicit upstream gradient. With {@code retainGraph} the graph is kept so that
   * backward can run through it again.
   */
  public final void backward(Tensor upstream, boolean retainGraph) {
    if (!requiresGrad) {
      throw new IllegalStateException(
          "backward: this variable does not require a gradient (no input required one, or it was"
              + " computed under NoGrad)");
    }
    if (!upstream.sameShape(value)) {
      throw new IllegalArgumentException(
          "backward: upstream gradient of shape "
              + Shapes.format(upstream.shape())
              + " for an output of shape "
              + Shapes.format(value.shape()));
    }
    Graph.backward(this, upstream, retainGraph);
  }

  /** The same value, cut from the graph: a constant sharing this variable's storage. */
  public final Variable detach() {
    return constant(value);
  }

  /** The value of a one-element variable. */
  public final float item() {
    return value.item();
  }

  @Override
  public String toString() {
    return "Variable(" + value + (requiresGrad ? ", requiresGrad" : "") + ")";
  }

  // ------------------------------------------------------------ fluent operations

  public final Variable add(Variable o) {
    return ArithmeticOps.add(this, o);
  }

  public final Variable sub(Variable o) {
    return ArithmeticOps.sub(this, o);
  }

  public final Variable mul(Variable o) {
    return ArithmeticOps.mul(this, o);
  }

  public final Variable div(Variable o) {
    return ArithmeticOps.div(this, o);
  }

  public final Variable add(float c) {
    return ArithmeticOps.add(this, constant(Tensor.scalar(c)));
  }

  public final Variable mul(float c) {
    return ArithmeticOps.mul(this, constant(Tensor.scalar(c)));
  }

  public final Variable neg() {
    return ArithmeticOps.neg(this);
  }

  public final Variable pow(float exponent) {
    return ArithmeticOps.pow(this, exponent);
  }

  public final Variable square() {
    return ArithmeticOps.pow(this, 2f);
  }

  public final Variable exp() {
    return ArithmeticOps.exp(this);
  }

  public final Variable log() {
    return ArithmeticOps.log(this);
  }

  public final Variable sqrt() {
    return ArithmeticOps.sqrt(this);
  }

  public final Variable abs() {
    return ArithmeticOps.abs(this);
  }

  public final Variable clamp(float min, float max) {
    return ArithmeticOps.clamp(this, min, max);
  }

  public final Variable sigmoid() {
    return ActivationOps.sigmoid(this);
  }

  public final Variable tanh() {
    return ActivationOps.tanh(this);
  }

  public final Variable relu() {
    return ActivationOps.relu(this);
  }

  public final Variable sum() {
    return ReductionOps.sum(this, false);
  }

  public final Variable sum(boolean keepDims, int... axes) {
    return ReductionOps.sum(this, keepDims, axes);
  }

  public final Variable mean() {
    return ReductionOps.mean(this, false);
  }

  public final Variable mean(boolean keepDims, int... axes) {
    return ReductionOps.mean(this, keepDims, axes);
  }

  public final Variable max(boolean keepDims, int... axes) {
    return ReductionOps.max(this, keepDims, axes);
  }

  public final Variable reshape(int... shape) {
    return ShapeOps.reshape(this, shape);
  }

  public final Variable permute(int... perm) {
    return ShapeOps.permute(this, perm);
  }

  public final Variable transpose(int a, int b) {
    return ShapeOps.transpose(this, a, b);
  }

  public final Variable slice(int axis, int start, int end) {
    return ShapeOps.slice(this, axis, start, end, 1);
  }

  public final Variable flatten(int startDim, int endDim) {
    return ShapeOps.flatten(this, startDim, endDim);
  }

  public final Variable matmul(Variable o) {
    return MatrixOps.matmul(this, o);
  }
}
