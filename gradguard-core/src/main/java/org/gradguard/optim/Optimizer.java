package org.gradguard.optim;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Module;
import org.gradguard.nn.ParameterInfo;
import org.gradguard.tensor.Tensor;

/**
 * A convenience holder for one gradient transformation, its state and the parameters it trains, for
 * a PyTorch-style loop:
 *
 * <pre>{@code
 * Optimizer opt = Optimizer.of(Optimizers.adamw(1e-3, 0.01), model);
 * for (...) { opt.zeroGrad(); loss = ...; loss.backward(); opt.step(loss.item()); }
 * }</pre>
 *
 * <p>{@link #step(double)} copies each parameter's gradient (a parameter without one contributes
 * zeros — unlike PyTorch, which leaves it out, so its Adam moments still decay), runs the chain on
 * the copies and adds the resulting updates to the parameter values in place. Gradients are not
 * modified.
 *
 * <p>Non-finite gradients never reach the weights: if any gradient holds NaN or ±∞, the step is
 * skipped — nothing changes, neither the parameters nor the chain's state — and the {@link
 * StepReport} names the first such parameter ({@link Clip.OnNonFinite#ERROR} throws instead). If
 * the gradients are finite but the chain produces a non-finite update (an overflow), the parameters
 * are likewise left alone, but the chain's state has advanced; the report says so by naming the
 * parameter.
 */
public final class Optimizer {
  private final List<Variable> variables;
  private final Params params;
  private final GradientTransformation transformation;
  private final TransformState state;
  private final Clip.OnNonFinite onNonFinite;
  private final UpdateBuffers buffers;
  private long step;

  private Optimizer(
      GradientTransformation t, List<Variable> vars, Params params, Clip.OnNonFinite policy) {
    this.transformation = Check.notNull("Optimizer", "transformation", t);
    this.variables = List.copyOf(vars);
    this.params = params;
    this.onNonFinite = Check.notNull("Optimizer", "onNonFinite", policy);
    this.state = t.init(params);
    this.buffers = new UpdateBuffers(variables.size());
  }

  /** Trains every parameter of {@code model}, named and grouped by layer. */
  public static Optimizer of(GradientTransformation t, Module model) {
    return of(t, model.parameterInfos());
  }

  /** Trains these parameters (names and layers from the infos). */
  public static Optimizer of(GradientTransformation t, List<ParameterInfo> infos) {
    List<Variable> vars = new ArrayList<>(infos.size());
    for (ParameterInfo p : infos) {
      vars.add(p.parameter());
    }
    return new Optimizer(t, vars, Params.fromInfos(infos), Clip.OnNonFinite.REPORT);
  }

  /** Trains these variables, named {@code p0, p1, …}. */
  public static Optimizer ofVariables(GradientTransformation t, List<? extends Variable> vars) {
    Tensor[] values = new Tensor[vars.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = vars.get(i).value();
    }
    return new Optimizer(t, new ArrayList<>(vars), Params.of(values), Clip.OnNonFinite.REPORT);
  }

  /**
   * A copy of this optimizer (same parameters and transformation, a copy of the state and step
   * count) with another non-finite policy; meant at construction: {@code Optimizer.of(chain,
   * model).withNonFinite(Clip.OnNonFinite.ERROR)}, which throws {@link NonFiniteGradientException}
   * instead of skipping.
   */
  public Optimizer withNonFinite(Clip.OnNonFinite policy) {
    Optimizer o = new Optimizer(transformation, variables, params, policy);
    o.state.copyFrom(state);
    o.step = step;
    return o;
  }

  /** {@link #step(double)} without a loss. */
  public StepReport step() {
    return step(Double.NaN);
  }

  /**
   * One optimizer step. Modified: the parameter values and the chain's state (unless skipped). Not
   * modified: the gradients.
   */
  public StepReport step(double loss) {
    Tensor[] updates = new Tensor[variables.size()];
    for (int i = 0; i < updates.length; i++) {
      updates[i] = buffers.copyGradient(i, variables.get(i));
    }
    StepContext ctx = new StepContext(step, loss);
    int bad = ClipSupport.firstNonFinite(updates);
    if (bad >= 0) {
      return nonFinite("gradient", bad, loss);
    }
    transformation.update(updates, state, params, ctx);
    params.checkUpdates("Optimizer.step", updates);
    bad = ClipSupport.firstNonFinite(updates);
    if (bad >= 0) {
      return nonFinite("update", bad, loss);
    }
    for (int i = 0; i < updates.length; i++) {
      params.value(i).addInPlace(updates[i]);
    }
    return new StepReport(step++, true, null, loss);
  }

  private StepReport nonFinite(String what, int index, double loss) {
    String name = params.name(index);
    if (onNonFinite == Clip.OnNonFinite.ERROR) {
      throw new NonFiniteGradientException(
          "Optimizer.step: non-finite "
              + what
              + " for "
              + name
              + " at step "
              + step
              + "; parameters not updated. Try a lower learning rate, gradient clipping, or a"
              + " skip-non-finite guard.",
          name,
          step);
    }
    return new StepReport(step, false, name, loss);
  }

  /** Clears every trained parameter's gradient. */
  public void zeroGrad() {
    variables.forEach(Variable::zeroGrad);
  }

  /** The chain's live state. */
  public TransformState state() {
    return state;
  }

  public Params params() {
    return params;
  }

  public GradientTransformation transformation() {
    return transformation;
  }

  /** Steps applied so far. */
  public long stepCount() {
    return step;
  }

  /** Restores a chain state and the step count, e.g. from a checkpoint. */
  public void restore(StateSnapshot snapshot, long stepCount) {
    Check.nonNegative("Optimizer.restore", "stepCount", stepCount);
    state.restore(snapshot);
    step = stepCount;
  }
}
