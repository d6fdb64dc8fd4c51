package org.gradguard.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.nn.ParameterInfo;
import org.gradguard.tensor.Tensor;

/**
 * The parameters a transformation sees: for each, its name (for error messages, masks and reports),
 * the layer that owns it (for per-layer clipping) and its current value.
 *
 * <p>The value tensors are shared with the model, not copied, so the same {@code Params} can be
 * passed to every step; transformations must not modify them. The list itself is immutable.
 */
public final class Params {

  /** One parameter: full name, owning layer, value (shared). */
  public record Entry(String name, String layer, Tensor value) {
    public Entry {
      if (name == null || layer == null || value == null) {
        throw new IllegalArgumentException("Params.Entry: name, layer and value must not be null");
      }
    }
  }

  private final List<Entry> entries;

  private Params(List<Entry> entries) {
    this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
  }

  /** From explicit entries. */
  public static Params of(List<Entry> entries) {
    return new Params(entries);
  }

  /** From a model's {@link org.gradguard.nn.Module#parameterInfos()}: names and layers included. */
  public static Params fromInfos(List<ParameterInfo> infos) {
    List<Entry> out = new ArrayList<>(infos.size());
    for (ParameterInfo p : infos) {
      out.add(new Entry(p.name(), p.layer(), p.parameter().value()));
    }
    return new Params(out);
  }

  /**
   * From named tensors in iteration order; the layer of {@code "fc1.weight"} is {@code "fc1"} (the
   * name up to its last dot, or the name itself when it has none).
   */
  public static Params named(Map<String, Tensor> values) {
    List<Entry> out = new ArrayList<>(values.size());
    for (Map.Entry<String, Tensor> e : new LinkedHashMap<>(values).entrySet()) {
      out.add(new Entry(e.getKey(), layerOf(e.getKey()), e.getValue()));
    }
    return new Params(out);
  }

  /** Unnamed tensors: named {@code p0, p1, …}, each its own layer. */
  public static Params of(Tensor... values) {
    List<Entry> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(new Entry("p" + i, "p" + i, values[i]));
    }
    return new Params(out);
  }

  static String layerOf(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  public int size() {
    return entries.size();
  }

  public Entry get(int i) {
    return entries.get(i);
  }

  public String name(int i) {
    return entries.get(i).name();
  }

  public String layer(int i) {
    return entries.get(i).layer();
  }

  /** The current value, shared with the model. */
  public Tensor value(int i) {
    return entries.get(i).value();
  }

  public List<Entry> entries() {
    return entries;
  }

  /**
   * Checks that {@code updates} has one tensor per parameter, each of the parameter's shape, and
   * throws naming {@code where} and the first mismatch otherwise.
   */
  public void checkUpdates(String where, Tensor[] updates) {
    if (updates.length != entries.size()) {
      throw new IllegalArgumentException(
          where + ": " + updates.length + " updates for " + entries.size() + " parameters");
    }
    for (int i = 0; i < updates.length; i++) {
      Tensor v = entries.get(i).value();
      if (updates[i] == null || !updates[i].sameShape(v)) {
        throw new IllegalArgumentException(
            where
                + ": update for "
                + name(i)
                + " has shape "
                + (updates[i] == null ? "null" : Arrays.toString(updates[i].shape()))
                + ", parameter has "
                + Arrays.toString(v.shape()));
      }
    }
  }
}
