package org.gradguard.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.gradguard.tensor.Tensor;

/**
 * The explicit state of a {@link GradientTransformation}: named tensors (per-parameter moments,
 * accumulators, histories), named numbers (counts, the last measured norm) and, for combinators
 * such as {@link Transforms#chain chain}, the states of the inner transformations as children.
 *
 * <p>The key set is fixed by {@link GradientTransformation#init init}; {@code update} changes
 * values only. That is what lets a checkpoint {@link #export()} and {@link #restore} any chain
 * without knowing what it contains. Conventions:
 *
 * <ul>
 *   <li>a per-parameter tensor is keyed {@code field.i}, {@code i} the parameter's index ({@link
 *       #paramKey});
 *   <li>counts are numbers (exact up to 2<sup>53</sup>);
 *   <li>clipping transformations record what they measured and did under the keys documented in
 *       {@link Clip} ({@code last_norm}, {@code clipped}, …), so monitors and guards can read them.
 * </ul>
 *
 * <p>Not thread-safe: one state belongs to one training loop.
 */
public final class TransformState {

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Map<String, Double> numbers = new LinkedHashMap<>();
  private final List<TransformState> children;

  private TransformState(List<TransformState> children) {
    this.children = Collections.unmodifiableList(new ArrayList<>(children));
  }

  /** A state without children; fill it with {@link #putTensor} and {@link #putNumber}. */
  public static TransformState create() {
    return new TransformState(List.of());
  }

  /** A state whose children are the states of inner transformations, in order. */
  public static TransformState withChildren(List<TransformState> children) {
    for (TransformState c : children) {
      if (c == null) {
        throw new IllegalArgumentException("TransformState: a child state is null");
      }
    }
    return new TransformState(children);
  }

  /** The key of parameter {@code i}'s tensor for {@code field}: {@code field.i}. */
  public static String paramKey(String field, int i) {
    return field + "." + i;
  }

  // ------------------------------------------------------------------ building (init)

  /** Adds a tensor under a new key; returns this. Used by {@code init}. Takes ownership of t. */
  public TransformState putTensor(String key, Tensor t) {
    checkNewKey(key);
    if (t == null) {
      throw new IllegalArgumentException("TransformState: tensor '" + key + "' is null");
    }
    tensors.put(key, t);
    return this;
  }

  /** Adds a number under a new key; returns this. Used by {@code init}. */
  public TransformState putNumber(String key, double value) {
    checkNewKey(key);
    numbers.put(key, value);
    return this;
  }

  private void checkNewKey(String key) {
    if (key == null || key.isEmpty() || key.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "TransformState: key must be non-empty without '/', got '" + key + "'");
    }
    if (tensors.containsKey(key) || numbers.containsKey(key)) {
      throw new IllegalArgumentException("TransformState: duplicate key '" + key + "'");
    }
  }

  // ------------------------------------------------------------------ access (update)

  /** The tensor under {@code key} (live, not a copy). */
  public Tensor tensor(String key) {
    Tensor t = tensors.get(key);
    if (t == null) {
      throw new IllegalArgumentException(
          "TransformState: no tensor '" + key + "'; has " + tensors.keySet());
    }
    return t;
  }

  /** The tensor of parameter {@code i} for {@code field}. */
  public Tensor tensor(String field, int i) {
    return tensor(paramKey(field, i));
  }

  /** Replaces the tensor under an existing key with one of the same shape. */
  public void setTensor(String key, Tensor t) {
    Tensor old = tensor(key);
    if (t == null || !t.sameShape(old)) {
      throw new IllegalArgumentException(
          "TransformState: tensor '" + key + "' must keep its shape");
    }
    tensors.put(key, t);
  }

  public boolean hasTensor(String key) {
    return tensors.containsKey(key);
  }

  /** The number under {@code key}. */
  public double number(String key) {
    Double v = numbers.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "TransformState: no number '" + key + "'; has " + numbers.keySet());
    }
    return v;
  }

  /** Sets the number under an existing key. */
  public void setNumber(String key, double value) {
    number(key);
    numbers.put(key, value);
  }

  public boolean hasNumber(String key) {
    return numbers.containsKey(key);
  }

  /** The state of inner transformation {@code i}. */
  public TransformState child(int i) {
    if (i < 0 || i >= children.size()) {
      throw new IllegalArgumentException("TransformState: child " + i + " of " + children.size());
    }
    return children.get(i);
  }

  public int childCount() {
    return children.size();
  }

  /** This level's tensors (unmodifiable view; the tensors are live). */
  public Map<String, Tensor> tensors() {
    return Collections.unmodifiableMap(tensors);
  }

  /** This level's numbers (unmodifiable view). */
  public Map<String, Double> numbers() {
    return Collections.unmodifiableMap(numbers);
  }

  // ------------------------------------------------------------------ export / restore / copy

  /** A flat deep copy of this tree; see {@link StateSnapshot} for the key format. */
  public StateSnapshot export() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Map<String, Double> n = new LinkedHashMap<>();
    exportInto("", t, n);
    return new StateSnapshot(t, n);
  }

  private void exportInto(String prefix, Map<String, Tensor> t, Map<String, Double> n) {
    tensors.forEach((k, v) -> t.put(prefix + k, v.copy()));
    numbers.forEach((k, v) -> n.put(prefix + k, v));
    for (int i = 0; i < children.size(); i++) {
      children.get(i).exportInto(prefix + i + "/", t, n);
    }
  }

  /**
   * Overwrites every value with the snapshot's, in place. The snapshot must have exactly this
   * tree's keys and tensor shapes (it normally comes from {@link #export()} of a state made by the
   * same transformation for the same parameters); otherwise nothing is changed and the error names
   * the first missing, extra or mis-shaped key. Not modified: the snapshot.
   */
  public void restore(StateSnapshot snapshot) {
    checkFits(snapshot);
    restoreFrom("", snapshot);
  }

  /**
   * Throws what {@link #restore} would throw for {@code snapshot}, changing nothing: it must have
   * exactly this tree's keys and tensor shapes. Not modified: this, the snapshot.
   */
  public void checkFits(StateSnapshot snapshot) {
    StateSnapshot mine = exportKeysOnly();
    TreeSet<String> missing = new TreeSet<>(mine.tensors().keySet());
    missing.removeAll(snapshot.tensors().keySet());
    TreeSet<String> missingN = new TreeSet<>(mine.numbers().keySet());
    missingN.removeAll(snapshot.numbers().keySet());
    missing.addAll(missingN);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("TransformState.restore: snapshot lacks " + missing);
    }
    TreeSet<String> extra = new TreeSet<>(snapshot.tensors().keySet());
    extra.removeAll(mine.tensors().keySet());
    TreeSet<String> extraN = new TreeSet<>(snapshot.numbers().keySet());
    extraN.removeAll(mine.numbers().keySet());
    extra.addAll(extraN);
    if (!extra.isEmpty()) {
      throw new IllegalArgumentException(
          "TransformState.restore: snapshot has unknown keys " + extra);
    }
    for (Map.Entry<String, Tensor> e : mine.tensors().entrySet()) {
      Tensor src = snapshot.tensors().get(e.getKey());
      if (src == null || !src.sameShape(e.getValue())) {
        throw new IllegalArgumentException(
            "TransformState.restore: tensor '"
                + e.getKey()
                + "' has shape "
                + (src == null ? "null" : Arrays.toString(src.shape()))
                + ", state has "
                + Arrays.toString(e.getValue().shape()));
      }
    }
  }

  /** The live tensors (not copies) under their flat keys, and the numbers. */
  private StateSnapshot exportKeysOnly() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Map<String, Double> n = new LinkedHashMap<>();
    liveInto("", t, n);
    return new StateSnapshot(t, n);
  }

  private void liveInto(String prefix, Map<String, Tensor> t, Map<String, Double> n) {
    tensors.forEach((k, v) -> t.put(prefix + k, v));
    numbers.forEach((k, v) -> n.put(prefix + k, v));
    for (int i = 0; i < children.size(); i++) {
      children.get(i).liveInto(prefix + i + "/", t, n);
    }
  }

  private void restoreFrom(String prefix, StateSnapshot s) {
    tensors.forEach((k, v) -> v.copyFromInPlace(s.tensors().get(prefix + k)));
    for (String k : numbers.keySet()) {
      numbers.put(k, s.numbers().get(prefix + k));
    }
    for (int i = 0; i < children.size(); i++) {
      children.get(i).restoreFrom(prefix + i + "/", s);
    }
  }

  /** A deep copy of this tree. */
  public TransformState copy() {
    List<TransformState> cs = new ArrayList<>(children.size());
    for (TransformState c : children) {
      cs.add(c.copy());
    }
    TransformState out = new TransformState(cs);
    tensors.forEach((k, v) -> out.tensors.put(k, v.copy()));
    out.numbers.putAll(numbers);
    return out;
  }

  /**
   * Overwrites this tree's values with {@code other}'s, in place; {@code other} must have the same
   * structure (typically a {@link #copy()} of this). Modified: this. Not modified: other.
   */
  public void copyFrom(TransformState other) {
    restore(other.exportKeysOnly());
  }

  /**
   * True when both trees have the same keys, bit-identical tensors and identical numbers (compared
   * by bits, so NaN equals NaN).
   */
  public boolean bitEquals(TransformState other) {
    StateSnapshot a = exportKeysOnly();
    StateSnapshot b = other.exportKeysOnly();
    if (!a.tensors().keySet().equals(b.tensors().keySet())
        || !a.numbers().keySet().equals(b.numbers().keySet())) {
      return false;
    }
    for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
      if (!e.getValue().bitEquals(b.tensors().get(e.getKey()))) {
        return false;
      }
    }
    for (Map.Entry<String, Double> e : a.numbers().entrySet()) {
      if (Double.doubleToLongBits(e.getValue())
          != Double.doubleToLongBits(b.numbers().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StateSnapshot s = exportKeysOnly();
    return "TransformState{tensors=" + s.tensors().keySet() + ", numbers=" + s.numbers() + "}";
  }
}
