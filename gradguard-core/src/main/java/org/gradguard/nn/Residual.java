package org.gradguard.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.ArithmeticOps;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * A residual connection {@code y = x + F(x)} around a child module F (He et al. 2016, "Deep
 * Residual Learning for Image Recognition"): the identity path carries the gradient past F
 * unchanged, the main remedy for vanishing gradients in deep stacks. F must map x to a tensor of
 * x's shape.
 *
 * <p>Two options make a deep stack of blocks start as (nearly) the identity, so that the signal and
 * the gradient neither explode nor vanish at initialisation:
 *
 * <ul>
 *   <li><b>ReZero gate</b> (Bachlechner et al. 2020, "ReZero is All You Need"): {@code y = x +
 *       α·F(x)} with a learnable scalar α initialised to 0, registered as parameter {@code alpha}
 *       of shape {@code [1]} (the reference implementation's {@code resweight} shape).
 *   <li><b>Zero-init last</b> (Goyal et al. 2017, "Accurate, Large Minibatch SGD", which zeroes the
 *       last BatchNorm γ of each block; Zhang et al. 2019, Fixup, which zeroes the last layer): the
 *       last module of F (depth-first) that has a parameter named {@code weight} gets that weight
 *       <em>and its {@code bias}, if any,</em> set to 0 at construction (modified in place), so
 *       F(x) = 0 when the layers after it map 0 to 0 (as ReLU, Dropout, Flatten do). Put the zeroed
 *       layer at the end of F: a ReLU after it would output 0 with derivative ReLU'(0) = 0, so the
 *       zeroed layer would receive no gradient and never leave 0.
 * </ul>
 *
 * <p>State dict: F's members under the prefix {@code fn.} (as in the common {@code Residual(fn)}
 * wrapper, e.g. {@code fn.0.weight} for a {@link Sequential} F), and the gate as {@code alpha}.
 */
public final class Residual extends Module {

  private final Module fn;
  private final Parameter alpha;
  private final boolean zeroInitLast;

  /** {@code y = x + F(x)}, F unchanged. */
  public Residual(Module fn) {
    this(fn, false, false);
  }

  /**
   * @param fn the residual branch F (registered as child {@code fn})
   * @param rezeroGate add the learnable gate α (initialised to 0): {@code y = x + α·F(x)}
   * @param zeroInitLast zero the weight and bias of the last layer of F that has a weight
   * @throws IllegalArgumentException when {@code zeroInitLast} is set and F has no {@code weight}
   */
  public Residual(Module fn, boolean rezeroGate, boolean zeroInitLast) {
    if (fn == null) {
      throw new IllegalArgumentException("Residual: fn must not be null");
    }
    this.fn = registerModule("fn", fn);
    this.alpha = rezeroGate ? registerParameter("alpha", Tensor.zeros(1)) : null;
    this.zeroInitLast = zeroInitLast;
    if (zeroInitLast) {
      zeroLastWeighted(fn);
    }
  }

  /** Whether F's last weighted layer is zero-initialised. */
  public boolean zeroInitLast() {
    return zeroInitLast;
  }

  /**
   * Zeroes F's last weighted layer again when this block was built with {@code zeroInitLast}, for
   * an initializer that redraws the weights after construction; does nothing otherwise. Modified:
   * that layer's weight and bias.
   */
  public void reapplyZeroInit() {
    if (zeroInitLast) {
      zeroLastWeighted(fn);
    }
  }

  /** {@code y = x + α·F(x)} with α = 0 at initialisation (ReZero). */
  public static Residual rezero(Module fn) {
    return new Residual(fn, true, false);
  }

  /** {@code y = x + F(x)} with F's last weighted layer zero-initialised (Goyal / Fixup). */
  public static Residual zeroInitLast(Module fn) {
    return new Residual(fn, false, true);
  }

  private static void zeroLastWeighted(Module fn) {
    Module last = null;
    for (Module m : fn.namedModules().values()) {
      if (m.ownParameters().containsKey("weight")) {
        last = m;
      }
    }
    if (last == null) {
      throw new IllegalArgumentException(
          "Residual: zeroInitLast needs a layer with a 'weight' parameter in " + fn);
    }
    Map<String, Parameter> own = last.ownParameters();
    for (String name : List.of("weight", "bias")) {
      Parameter p = own.get(name);
      if (p != null) {
        p.value().fillInPlace(0f);
      }
    }
  }

  @Override
  protected Variable compute(Variable x) {
    Variable f = fn.forward(x);
    if (!Arrays.equals(f.shape(), x.shape())) {
      throw new IllegalArgumentException(
          "Residual: F(x) has shape "
              + Shapes.format(f.shape())
              + " but x has shape "
              + Shapes.format(x.shape())
              + "; the residual branch must preserve the shape");
    }
    return ArithmeticOps.add(x, alpha == null ? f : ArithmeticOps.mul(alpha, f));
  }

  /** The residual branch F. */
  public Module fn() {
    return fn;
  }

  /** The ReZero gate α {@code [1]}, or null without one. */
  public Parameter alpha() {
    return alpha;
  }

  @Override
  public String toString() {
    return "Residual(" + fn + (alpha == null ? "" : ", rezero") + ")";
  }

  @Override
  public Role role() {
    return Role.RESIDUAL;
  }
}
