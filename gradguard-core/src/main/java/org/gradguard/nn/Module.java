package org.gradguard.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Tensor;

/**
 * The base of every layer and model, after {@code torch.nn.Module}.
 *
 * <p>A module has named children, parameters (trainable, {@link Parameter}) and buffers
 * (non-trainable tensors such as running statistics), registered in the order of the forward pass.
 * Full names follow PyTorch's state-dict convention: a child's name, a dot, the member's name
 * ({@code blocks.3.fc1.weight}, {@code bn.running_mean}). Layouts follow PyTorch too, so state
 * dicts are interchangeable through safetensors.
 *
 * <p>{@link #forward} runs {@link #compute} and then the forward hooks, which observe every
 * module's output (the gradient-health monitor uses them for activation statistics).
 */
public abstract class Module {
  private final Map<String, Module> children = new LinkedHashMap<>();
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final List<ForwardHook> forwardHooks = new ArrayList<>();
  private boolean training = true;

  /** Observes a module's output after each forward pass. */
  @FunctionalInterface
  public interface ForwardHook {
    void afterForward(Module module, Variable input, Variable output);
  }

  /**
   * What a module contributes to a network's structure, for tools that reason about a model without
   * knowing every layer type (the health diagnosis: "depth without skip connections or
   * normalization", "missing clipping in a recurrent net").
   */
  public enum Role {
    /** No structural role: a plain layer, a container or an activation. */
    NONE,
    /** Adds its input to its output: a skip connection ({@link Residual}). */
    RESIDUAL,
    /** Normalizes activations ({@link BatchNorm}, {@link LayerNorm}). */
    NORMALIZATION,
    /** Runs over a sequence with a recurrent state ({@link RNN}, {@link LSTM}). */
    RECURRENT
  }

  /**
   * This module's structural role; {@link Role#NONE} unless the layer overrides it. A module of its
   * own that is a skip connection, a normalization or a recurrent layer says so here, so that the
   * diagnosis does not advise adding what the model already has.
   */
  public Role role() {
    return Role.NONE;
  }

  /** The layer's computation. */
  protected abstract Variable compute(Variable input);

  /** Runs the layer on {@code input}, then the forward hooks. */
  public final Variable forward(Variable input) {
    Variable out = compute(input);
    for (ForwardHook h : forwardHooks) {
      h.afterForward(this, input, out);
    }
    return out;
  }

  /** Adds a forward hook; returns a handle whose {@code close()} removes it. */
  public final AutoCloseable registerForwardHook(ForwardHook hook) {
    forwardHooks.add(hook);
    return () -> forwardHooks.remove(hook);
  }

  // ------------------------------------------------------------ registration

  private void checkName(String name) {
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + ": member name must be non-empty without '.', got '"
              + name
              + "'");
    }
    if (children.containsKey(name) || parameters.containsKey(name) || buffers.containsKey(name)) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": a member named '" + name + "' is already registered");
    }
  }

  /** Registers a child module under {@code name}; returns it. */
  protected final <M extends Module> M registerModule(String name, M child) {
    checkName(name);
    children.put(name, child);
    return child;
  }

  /** Registers a trainable parameter initialised to {@code value}; returns it. */
  protected final Parameter registerParameter(String name, Tensor value) {
    checkName(name);
    Parameter p = new Parameter(value);
    parameters.put(name, p);
    return p;
  }

  /** Registers a buffer (non-trainable state saved in the state dict); returns it. */
  protected final Tensor registerBuffer(String name, Tensor value) {
    checkName(name);
    buffers.put(name, value);
    return value;
  }

  /** The direct children, in registration order. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** This module's own parameters (not its children's), in registration order. */
  public final Map<String, Parameter> ownParameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** Every parameter of this module and its descendants by full name, in depth-first order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collectParameters("", out);
    return out;
  }

  private void collectParameters(String prefix, Map<String, Parameter> out) {
    parameters.forEach((k, v) -> out.put(prefix + k, v));
    children.forEach((k, c) -> c.collectParameters(prefix + k + ".", out));
  }

  /** Every parameter, in depth-first registration order. */
  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Every buffer by full name, in depth-first order. */
  public final Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collectBuffers("", out);
    return out;
  }

  private void collectBuffers(String prefix, Map<String, Tensor> out) {
    buffers.forEach((k, v) -> out.put(prefix + k, v));
    children.forEach((k, c) -> c.collectBuffers(prefix + k + ".", out));
  }

  /** Every module in the tree (this one first, as {@code ""}) by full name, depth-first. */
  public final Map<String, Module> namedModules() {
    Map<String, Module> out = new LinkedHashMap<>();
    collectModules("", out);
    return out;
  }

  private void collectModules(String name, Map<String, Module> out) {
    out.put(name, this);
    children.forEach((k, c) -> c.collectModules(name.isEmpty() ? k : name + "." + k, out));
  }

  /**
   * Each parameter with the layer that owns it and that layer's depth index, in depth order: the
   * basis of per-layer gradient reports.
   */
  public final List<ParameterInfo> parameterInfos() {
    List<ParameterInfo> out = new ArrayList<>();
    int layerIndex = 0;
    for (Map.Entry<String, Module> e : namedModules().entrySet()) {
      Module m = e.getValue();
      if (m.parameters.isEmpty()) {
        continue;
      }
      String layer = e.getKey();
      for (Map.Entry<String, Parameter> p : m.parameters.entrySet()) {
        String full = layer.isEmpty() ? p.getKey() : layer + "." + p.getKey();
        out.add(new ParameterInfo(full, p.getValue(), layer, layerIndex));
      }
      layerIndex++;
    }
    return out;
  }

  /** The number of trainable scalars. */
  public final long parameterCount() {
    long n = 0;
    for (Parameter p : parameters()) {
      n += p.value().numel();
    }
    return n;
  }

  // ------------------------------------------------------------ modes

  /** Sets training mode on this module and every descendant; returns this. */
  public Module train() {
    setTraining(true);
    return this;
  }

  /** Sets evaluation mode on this module and every descendant; returns this. */
  public Module eval() {
    setTraining(false);
    return this;
  }

  private void setTraining(boolean on) {
    training = on;
    children.values().forEach(c -> c.setTraining(on));
  }

  public final boolean isTraining() {
    return training;
  }

  /** Clears the gradient of every parameter. */
  public final void zeroGrad() {
    parameters().forEach(Variable::zeroGrad);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
