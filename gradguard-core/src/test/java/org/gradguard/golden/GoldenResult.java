package org.gradguard.golden;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Tensor;

/**
 * What a {@link GoldenKind} computed: outputs and gradients by name, as float32 tensors or, for
 * kinds computed in double (calculate_gain, fan_in_fan_out, mean_field, lr schedules), as double
 * arrays. Values are copied when added, so later changes to the caller's tensors do not leak in.
 *
 * <pre>{@code
 * return GoldenResult.builder().output("out", y).grad("x", x.grad()).build();
 * return GoldenResult.builder().output("gain", new double[] {Math.sqrt(2)}).build(); // scalar
 * }</pre>
 */
public final class GoldenResult {
  private final Map<String, GoldenTensor> outputs;
  private final Map<String, GoldenTensor> grads;

  private GoldenResult(Map<String, GoldenTensor> outputs, Map<String, GoldenTensor> grads) {
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    this.grads = Collections.unmodifiableMap(new LinkedHashMap<>(grads));
  }

  /** A result from float32 tensors (copied). */
  public static GoldenResult of(Map<String, Tensor> outputs, Map<String, Tensor> grads) {
    Builder b = builder();
    outputs.forEach(b::output);
    grads.forEach(b::grad);
    return b.build();
  }

  /** A builder for a result. */
  public static Builder builder() {
    return new Builder();
  }

  /** The outputs by name, in the order added. */
  public Map<String, GoldenTensor> outputs() {
    return outputs;
  }

  /** The gradients by name, in the order added. */
  public Map<String, GoldenTensor> grads() {
    return grads;
  }

  /** Collects outputs and gradients; each name may be added once per group. */
  public static final class Builder {
    private final Map<String, GoldenTensor> outputs = new LinkedHashMap<>();
    private final Map<String, GoldenTensor> grads = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a float32 output (copied). */
    public Builder output(String name, Tensor value) {
      return put(outputs, "output", name, fromTensor(value));
    }

    /**
     * Adds an output computed in double (copied); with no shape given, {@code values} must hold one
     * value and the shape is {@code []} (a scalar).
     */
    public Builder output(String name, double[] values, int... shape) {
      return put(outputs, "output", name, fromDoubles(values, shape));
    }

    /** Adds a float32 gradient (copied). */
    public Builder grad(String name, Tensor value) {
      return put(grads, "grad", name, fromTensor(value));
    }

    /**
     * Adds a gradient computed in double (copied); shape as for {@link #output(String, double[],
     * int...)}.
     */
    public Builder grad(String name, double[] values, int... shape) {
      return put(grads, "grad", name, fromDoubles(values, shape));
    }

    /** The result. */
    public GoldenResult build() {
      return new GoldenResult(outputs, grads);
    }

    private Builder put(
        Map<String, GoldenTensor> group, String what, String name, GoldenTensor value) {
      if (group.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException(
            "golden result: " + what + " '" + name + "' added twice");
      }
      return this;
    }

    private static GoldenTensor fromTensor(Tensor t) {
      return new GoldenTensor("float32", t.shape(), t.toDoubleArray());
    }

    private static GoldenTensor fromDoubles(double[] values, int[] shape) {
      return new GoldenTensor("float64", shape.clone(), values.clone());
    }
  }
}
