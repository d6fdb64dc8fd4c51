package org.gradguard.autograd;

import org.gradguard.tensor.Tensor;

/**
 * Elementwise arithmetic with NumPy broadcasting. The gradient of a broadcast input is the upstream
 * gradient summed back to the input's shape ({@link Tensor#sumToShape}).
 */
public final class ArithmeticOps {
  private ArithmeticOps() {}

  /** {@code a + b}; ∂/∂a = g, ∂/∂b = g. */
  public static Variable add(Variable a, Variable b) {
    Tensor out = a.value().add(b.value());
    int[] sa = a.shape();
    int[] sb = b.shape();
    return Graph.record(Op.ADD, out, g -> new Tensor[] {g.sumToShape(sa), g.sumToShape(sb)}, a, b);
  }

  /** {@code a - b}; ∂/∂a = g, ∂/∂b = -g. */
  public static Variable sub(Variable a, Variable b) {
    Tensor out = a.value().sub(b.value());
    int[] sa = a.shape();
    int[] sb = b.shape();
    return Graph.record(
        Op.SUB, out, g -> new Tensor[] {g.sumToShape(sa), g.neg().sumToShape(sb)}, a, b);
  }

  /** {@code a ⊙ b}; ∂/∂a = g⊙b, ∂/∂b = g⊙a. */
  public static Variable mul(Variable a, Variable b) {
    Tensor av = a.value();
    Tensor bv = b.value();
    Tensor out = av.mul(bv);
    return Graph.record(
        Op.MUL,
        out,
        g ->
            new Tensor[] {
              a.requiresGrad() ? g.mul(bv).sumToShape(av.shape()) : null,
              b.requiresGrad() ? g.mul(av).sumToShape(bv.shape()) : null
            },
        a,
        b);
  }

  /** {@code a / b}; ∂/∂a = g/b, ∂/∂b = -g⊙a/b². */
  public static Variable div(Variable a, Variable b) {
    Tensor av = a.value();
    Tensor bv = b.value();
    Tensor out = av.div(bv);
    return Graph.record(
        Op.DIV,
        out,
        g ->
            new Tensor[] {
              a.requiresGrad() ? g.div(bv).sumToShape(av.shape()) : null,
              b.requiresGrad() ? g.mul(out).div(bv).neg().sumToShape(bv.shape()) : null
            },
        a,
        b);
  }

  /** {@code -a}. */
  public static Variable neg(Variable a) {
    return Graph.record(Op.NEG, a.value().neg(), g -> new Tensor[] {g.neg()}, a);
  }

  /** {@code aᵖ} for a constant exponent; ∂/∂a = p·a^{p-1}⊙g. */
  public static Variable pow(Variable a, float p) {
    Tensor x = a.value();
    return Graph.record(
        Op.POW_SCALAR, x.pow(p), g -> new Tensor[] {g.mul(x.pow(p - 1f)).mul(p)}, a);
  }

  /** {@code eᵃ}; ∂/∂a = g⊙eᵃ. */
  public static Variable exp(Variable a) {
    Tensor out = a.value().exp();
    return Graph.record(Op.EXP, out, g -> new Tensor[] {g.mul(out)}, a);
  }

  /** {@code ln a}; ∂/∂a = g/a. */
  public static Variable log(Variable a) {
    Tensor x = a.value();
    return Graph.record(Op.LOG, x.log(), g -> new Tensor[] {g.div(x)}, a);
  }

  /** {@code √a}; ∂/∂a = g/(2√a). */
  public static Variable sqrt(Variable a) {
    Tensor out = a.value().sqrt();
    return Graph.record(Op.SQRT, out, g -> new Tensor[] {g.div(out).mul(0.5f)}, a);
  }

  /** {@code |a|}; ∂/∂a = g⊙sign(a) (0 at 0, like PyTorch). */
  public static Variable abs(Variable a) {
    Tensor x = a.value();
    return Graph.record(Op.ABS, x.abs(), g -> new Tensor[] {g.mul(x.sign())}, a);
  }

  /**
   * {@code min(max(a, lo), hi)}; the gradient passes where {@code lo <= a <= hi} (PyTorch's
   * convention at the bounds) and is 0 elsewhere.
   */
  public static Variable clamp(Variable a, float lo, float hi) {
    Tensor x = a.value();
    Tensor out = x.clamp(lo, hi);
    return Graph.record(
        Op.CLAMP,
        out,
        g -> {
          float[] xd = x.data();
          float[] gd = g.data();
          float[] r = new float[gd.length];
          for (int i = 0; i < r.length; i++) {
            r[i] = xd[i] >= lo && xd[i] <= hi ? gd[i] : 0f;
          }
          return new Tensor[] {Tensor.wrap(r, x.shape())};
        },
        a);
  }

  /**
   * {@code cond ? a : b} elementwise with broadcasting; {@code cond} is a constant mask (non-zero
   * is true). The gradient goes to {@code a} where the condition holds and to {@code b} elsewhere.
   */
  public static Variable where(Tensor cond, Variable a, Variable b) {
    Tensor out = Tensor.where(cond, a.value(), b.value());
    int[] sa = a.shape();
    int[] sb = b.shape();
    return Graph.record(
        Op.WHERE,
        out,
        g -> {
          Tensor zero = Tensor.zeros(1);
          return new Tensor[] {
            Tensor.where(cond, g, zero).sumToShape(sa), Tensor.where(cond, zero, g).sumToShape(sb)
          };
        },
        a,
        b);
  }

  /**
   * Elementwise {@code max(a, b)}; where the two are equal the gradient is split evenly, as PyTorch
   * does.
   */
  public static Variable maximum(Variable a, Variable b) {
    Tensor av = a.value();
    Tensor bv = b.value();
    Tensor out = av.maximum(bv);
    return Graph.record(
        Op.MAXIMUM,
        out,
        g -> {
          Tensor gt = av.gt(bv);
          Tensor eq = av.eq(bv).mul(0.5f);
          Tensor wa = gt.add(eq);
          Tensor wb = bv.gt(av).add(eq);
          return new Tensor[] {g.mul(wa).sumToShape(av.shape()), g.mul(wb).sumToShape(bv.shape())};
        },
        a,
        b);
  }
}
