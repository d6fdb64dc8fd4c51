package org.gradguard.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/**
 * State dicts: a module's parameters and buffers by full name, as {@code Module.state_dict()} and
 * {@code load_state_dict} in PyTorch.
 *
 * <p>Order, as PyTorch's {@code _save_to_state_dict}: depth-first over the modules, and for each
 * module its own parameters (in registration order), then its own buffers, then its children. So a
 * module with parameter {@code w}, buffer {@code n} and child {@code fc} gives {@code w, n,
 * fc.weight, fc.bias}, which is not {@code namedParameters()} followed by {@code namedBuffers()}. A
 * module registered under two names appears under both, as in PyTorch.
 */
public final class StateDict {
  private StateDict() {}

  /**
   * What a non-strict load skipped.
   *
   * @param missingKeys names the model has and the checkpoint lacks (left unchanged)
   * @param unexpectedKeys names the checkpoint has and the model lacks (ignored)
   */
  public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    public LoadResult {
      missingKeys = List.copyOf(missingKeys);
      unexpectedKeys = List.copyOf(unexpectedKeys);
    }
  }

  /**
   * The module's parameters and buffers by full name, in PyTorch's order. The values are the
   * module's own tensors, not copies (as PyTorch's, which share storage): writing to them changes
   * the module. Use {@link #snapshot} for a copy. Not modified: {@code module}.
   */
  public static LinkedHashMap<String, Tensor> of(Module module) {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Module> e : module.namedModules().entrySet()) {
      String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
      Module m = e.getValue();
      m.ownParameters().forEach((k, p) -> out.put(prefix + k, p.value()));
      // A module's own buffers are the entries of namedBuffers() without a dot (names never
      // contain one).
      m.namedBuffers()
          .forEach(
              (k, b) -> {
                if (k.indexOf('.') < 0) {
                  out.put(prefix + k, b);
                }
              });
    }
    return out;
  }

  /** A deep copy of {@link #of}: a snapshot that later training does not change. */
  public static LinkedHashMap<String, Tensor> snapshot(Module module) {
    LinkedHashMap<String, Tensor> out = of(module);
    out.replaceAll((k, t) -> t.copy());
    return out;
  }

  /**
   * Copies {@code state}'s tensors into the module's parameters and buffers of the same names, in
   * place ({@link Tensor#copyFromInPlace}), as {@code load_state_dict}.
   *
   * <p>Every problem is found before anything is copied and reported in one {@link
   * IllegalArgumentException}; when one is thrown the module is unchanged. Problems: a shape
   * mismatch ({@code fc.weight: checkpoint has [10, 20], model has [20, 10]}) or a null tensor,
   * always; missing keys (in the model, not in {@code state}) and unexpected keys (in {@code
   * state}, not in the model) only when {@code strict}. As in PyTorch, a non-strict load still
   * rejects shape mismatches.
   *
   * @param module the module to load into (Modified: its parameter values and buffers)
   * @param state tensors by full name (Not modified)
   * @param strict whether missing and unexpected keys are errors
   * @return the keys a non-strict load skipped (both lists empty after a strict load)
   */
  public static LoadResult load(Module module, Map<String, Tensor> state, boolean strict) {
    return load("StateDict.load into " + module, module, state, strict, key -> null);
  }

  /**
   * {@link #load(Module, Map, boolean)} with a caller's check of each key present in both (e.g. the
   * dtype in a file): {@code keyCheck} returns a problem description or null. {@code what} starts
   * the error message.
   */
  static LoadResult load(
      String what,
      Module module,
      Map<String, Tensor> state,
      boolean strict,
      Function<String, String> keyCheck) {
    LoadResult result = check(what, module, state, strict, keyCheck);
    for (Map.Entry<String, Tensor> e : of(module).entrySet()) {
      Tensor src = state.get(e.getKey());
      if (src != null && src != e.getValue()) {
        e.getValue().copyFromInPlace(src);
      }
    }
    return result;
  }

  /**
   * Throws what {@link #load(Module, Map, boolean)} would throw for {@code state}, changing nothing
   * (to check several things before loading any). Not modified: the module, {@code state}.
   */
  public static LoadResult check(Module module, Map<String, Tensor> state, boolean strict) {
    return check("StateDict.load into " + module, module, state, strict, key -> null);
  }

  private static LoadResult check(
      String what,
      Module module,
      Map<String, Tensor> state,
      boolean strict,
      Function<String, String> keyCheck) {
    Objects.requireNonNull(state, "StateDict.load: state");
    Map<String, Tensor> own = of(module);
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : own.entrySet()) {
      String key = e.getKey();
      if (!state.containsKey(key)) {
        missing.add(key);
        continue;
      }
      Tensor src = state.get(key);
      String extra = keyCheck.apply(key);
      if (extra != null) {
        mismatched.add(key + ": " + extra);
      }
      if (src == null) {
        mismatched.add(key + ": checkpoint value is null");
      } else if (!src.sameShape(e.getValue())) {
        mismatched.add(
            key
                + ": checkpoint has "
                + Shapes.format(src.shape())
                + ", model has "
                + Shapes.format(e.getValue().shape()));
      }
    }
    for (String key : state.keySet()) {
      if (!own.containsKey(key)) {
        unexpected.add(key);
      }
    }
    List<String> problems = new ArrayList<>();
    if (strict && !missing.isEmpty()) {
      problems.add(
          "missing keys (in the model, not in the checkpoint): " + String.join(", ", missing));
    }
    if (strict && !unexpected.isEmpty()) {
      problems.add(
          "unexpected keys (in the checkpoint, not in the model): "
              + String.join(", ", unexpected));
    }
    problems.addAll(mismatched);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          what
              + ": nothing was loaded because of "
              + problems.size()
              + (problems.size() == 1 ? " problem" : " problems")
              + ":\n  "
              + String.join("\n  ", problems));
    }
    return new LoadResult(missing, unexpected);
  }
}
