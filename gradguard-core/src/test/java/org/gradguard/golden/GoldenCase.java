package org.gradguard.golden;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;
import org.gradguard.tensor.io.Json;

/**
 * One parsed golden file ({@code ../shared/golden/KIND__NAME.json}, format in that directory's
 * README): the kind, name, params, input and upstream tensors, and the expected outputs and grads
 * with their tolerance. Every accessor validates and throws {@link IllegalArgumentException} naming
 * the file and the key, so a handler that asks for something the file lacks fails clearly.
 *
 * <p>Instances are immutable; tensors returned by {@link #input} and {@link #upstream} are fresh
 * float32 copies that the caller may modify.
 */
public final class GoldenCase {
  /** Golden files are small; anything larger than this is not one. */
  static final long MAX_FILE_BYTES = 64L << 20;

  private final String fileName;
  private final Map<String, Object> root;
  private final String kind;
  private final String name;
  private final Map<String, Object> params;
  private final Map<String, GoldenTensor> inputs;
  private final Map<String, GoldenTensor> upstream;
  private final Map<String, GoldenTensor> outputs;
  private final Map<String, GoldenTensor> grads;
  private final double rtol;
  private final double atol;

  private GoldenCase(String fileName, Map<String, Object> root) {
    this.fileName = fileName;
    this.root = Collections.unmodifiableMap(root);
    Object format = root.get("format");
    if (!Long.valueOf(1).equals(format)) {
      throw error("format is " + format + ", expected 1");
    }
    this.kind = string(root, "kind");
    this.name = string(root, "name");
    String expectedFile = kind + "__" + name + ".json";
    if (!fileName.equals(expectedFile)) {
      throw error("kind '" + kind + "' and name '" + name + "' call for file " + expectedFile);
    }
    this.params = Collections.unmodifiableMap(object(root, "params"));
    this.inputs = tensors("inputs");
    this.upstream = tensors("upstream");
    this.outputs = tensors("outputs");
    this.grads = tensors("grads");
    Map<String, Object> tol = object(root, "tolerance");
    this.rtol = nonNegative(tol, "rtol");
    this.atol = nonNegative(tol, "atol");
  }

  /**
   * Reads and validates a golden file.
   *
   * @throws IllegalArgumentException naming the file and key when it is not a valid golden file
   * @throws IOException when it cannot be read
   */
  public static GoldenCase load(Path file) throws IOException {
    String fileName = file.getFileName().toString();
    return new GoldenCase(fileName, Json.readObject(file, MAX_FILE_BYTES));
  }

  /** Parses golden JSON text as if it were the file {@code fileName}; for tests of the harness. */
  static GoldenCase parse(String fileName, String json) {
    return new GoldenCase(fileName, Json.parseObject(json, (int) MAX_FILE_BYTES));
  }

  // ---------------------------------------------------------------- identity

  /** The {@code kind} field: which operation the case checks, e.g. {@code "linear"}. */
  public String kind() {
    return kind;
  }

  /** The {@code name} field, e.g. {@code "batch1"}. */
  public String name() {
    return name;
  }

  /** The file name, {@code KIND__NAME.json}. */
  public String fileName() {
    return fileName;
  }

  /** {@code KIND__NAME}: the file name without {@code .json}, the test's display name. */
  public String id() {
    return kind + "__" + name;
  }

  /** The one-line human description, or {@code ""}. */
  public String description() {
    Object d = root.get("description");
    return d instanceof String ? (String) d : "";
  }

  /**
   * The whole parsed document, for the rare extra top-level key (e.g. {@code table} in {@code
   * mean_field__table.json}). Unmodifiable.
   */
  public Map<String, Object> raw() {
    return root;
  }

  // ---------------------------------------------------------------- params

  /** All params, as parsed ({@link Long}, {@link Double}, {@link String}, lists, maps, null). */
  public Map<String, Object> params() {
    return params;
  }

  /** Whether {@code params} has the key (its value may be null). */
  public boolean hasParam(String key) {
    return params.containsKey(key);
  }

  /** The raw value of a param; the key must exist. */
  public Object param(String key) {
    if (!params.containsKey(key)) {
      throw error("params has no '" + key + "' (present: " + params.keySet() + ")");
    }
    return params.get(key);
  }

  /** Whether the param is present and JSON {@code null}. */
  public boolean paramIsNull(String key) {
    return param(key) == null;
  }

  /** An integer param (an integral double such as {@code 10.0} is accepted). */
  public int paramInt(String key) {
    return toInt(param(key), "params." + key);
  }

  /** A numeric param as double. */
  public double paramDouble(String key) {
    Object v = param(key);
    if (!(v instanceof Number)) {
      throw error("params." + key + " is " + Json.typeName(v) + ", expected a number");
    }
    return ((Number) v).doubleValue();
  }

  /** A boolean param. */
  public boolean paramBool(String key) {
    Object v = param(key);
    if (!(v instanceof Boolean)) {
      throw error("params." + key + " is " + Json.typeName(v) + ", expected a boolean");
    }
    return (Boolean) v;
  }

  /** A string param. */
  public String paramString(String key) {
    Object v = param(key);
    if (!(v instanceof String)) {
      throw error("params." + key + " is " + Json.typeName(v) + ", expected a string");
    }
    return (String) v;
  }

  /** A list-of-integers param, e.g. {@code kernel_size}. */
  public int[] paramIntList(String key) {
    List<?> list = paramList(key);
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = toInt(list.get(i), "params." + key + "[" + i + "]");
    }
    return out;
  }

  /** A list-of-numbers param, e.g. {@code betas}. */
  public double[] paramDoubleList(String key) {
    List<?> list = paramList(key);
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number)) {
        throw error("params." + key + "[" + i + "] is " + Json.typeName(list.get(i)));
      }
      out[i] = ((Number) list.get(i)).doubleValue();
    }
    return out;
  }

  private List<?> paramList(String key) {
    Object v = param(key);
    if (!(v instanceof List)) {
      throw error("params." + key + " is " + Json.typeName(v) + ", expected a list");
    }
    return (List<?>) v;
  }

  private int toInt(Object v, String where) {
    if (v instanceof Long && (Long) v == ((Long) v).intValue()) {
      return ((Long) v).intValue();
    }
    if (v instanceof Double && (Double) v == ((Double) v).intValue()) {
      return ((Double) v).intValue();
    }
    throw error(
        where + " is " + (v instanceof Number ? v : Json.typeName(v)) + ", expected an int");
  }

  // ---------------------------------------------------------------- tensors

  /** The input names, in file order. */
  public Set<String> inputNames() {
    return inputs.keySet();
  }

  /** The input tensors as parsed (float64 or int64 values). */
  public Map<String, GoldenTensor> inputs() {
    return inputs;
  }

  /** Whether there is an input of this name. */
  public boolean hasInput(String key) {
    return inputs.containsKey(key);
  }

  /** An input rounded to a new float32 tensor (int64 inputs convert exactly below 2^24). */
  public Tensor input(String key) {
    return get(inputs, "inputs", key).toTensor();
  }

  /** An input's shape (a copy). */
  public int[] inputShape(String key) {
    return get(inputs, "inputs", key).shape().clone();
  }

  /** An int64 input (class targets, indices) as ints; see {@link #inputShape} for its shape. */
  public int[] inputInts(String key) {
    GoldenTensor t = get(inputs, "inputs", key);
    try {
      return t.toInts();
    } catch (IllegalArgumentException e) {
      throw error("inputs." + key + ": " + e.getMessage());
    }
  }

  /** The upstream names (the outputs that take part in the loss), in file order. */
  public Set<String> upstreamNames() {
    return upstream.keySet();
  }

  /** An upstream gradient rounded to a new float32 tensor. */
  public Tensor upstream(String key) {
    return get(upstream, "upstream", key).toTensor();
  }

  /** The expected outputs, name → float64 values, in file order. */
  public Map<String, GoldenTensor> expectedOutputs() {
    return outputs;
  }

  /**
   * The expected gradients, name → float64 values, in file order; empty when not differentiable.
   */
  public Map<String, GoldenTensor> expectedGrads() {
    return grads;
  }

  /** The relative tolerance of the element-wise check {@code |a-e| <= atol + rtol*|e|}. */
  public double rtol() {
    return rtol;
  }

  /** The absolute tolerance of the element-wise check {@code |a-e| <= atol + rtol*|e|}. */
  public double atol() {
    return atol;
  }

  private GoldenTensor get(Map<String, GoldenTensor> group, String groupName, String key) {
    GoldenTensor t = group.get(key);
    if (t == null) {
      throw error(groupName + " has no '" + key + "' (present: " + group.keySet() + ")");
    }
    return t;
  }

  // ---------------------------------------------------------------- parsing

  private Map<String, GoldenTensor> tensors(String group) {
    Map<String, GoldenTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object(root, group).entrySet()) {
      out.put(e.getKey(), tensor(group + "." + e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private GoldenTensor tensor(String where, Object value) {
    if (!(value instanceof Map)) {
      throw error(where + " is " + Json.typeName(value) + ", expected a tensor object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) value;
    String dtype = string(m, "dtype", where);
    if (!dtype.equals("float64") && !dtype.equals("int64")) {
      throw error(where + ".dtype is '" + dtype + "', expected float64 or int64");
    }
    List<?> shapeList = list(m, "shape", where);
    int[] shape = new int[shapeList.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      Object d = shapeList.get(i);
      if (!(d instanceof Long) || (Long) d < 0 || (numel *= (Long) d) > Integer.MAX_VALUE) {
        throw error(where + ".shape " + shapeList + " is not a valid shape");
      }
      shape[i] = (int) (long) (Long) d;
    }
    List<?> dataList = list(m, "data", where);
    if (dataList.size() != numel) {
      throw error(
          where
              + ": data has "
              + dataList.size()
              + " numbers but shape "
              + Shapes.format(shape)
              + " needs "
              + numel);
    }
    double[] data = new double[dataList.size()];
    for (int i = 0; i < data.length; i++) {
      Object v = dataList.get(i);
      boolean ok = dtype.equals("int64") ? v instanceof Long : v instanceof Number;
      if (!ok) {
        throw error(where + ".data[" + i + "] is " + Json.typeName(v) + ", expected " + dtype);
      }
      data[i] = ((Number) v).doubleValue();
    }
    return new GoldenTensor(dtype, shape, data);
  }

  private String string(Map<String, Object> m, String key) {
    return string(m, key, null);
  }

  private String string(Map<String, Object> m, String key, String where) {
    Object v = m.get(key);
    if (!(v instanceof String)) {
      throw error(path(where, key) + " is " + Json.typeName(v) + ", expected a string");
    }
    return (String) v;
  }

  private List<?> list(Map<String, Object> m, String key, String where) {
    Object v = m.get(key);
    if (!(v instanceof List)) {
      throw error(path(where, key) + " is " + Json.typeName(v) + ", expected an array");
    }
    return (List<?>) v;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> object(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Map)) {
      throw error(key + " is " + Json.typeName(v) + ", expected an object");
    }
    return (Map<String, Object>) v;
  }

  private double nonNegative(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number) || !(((Number) v).doubleValue() >= 0)) {
      throw error("tolerance." + key + " is " + v + ", expected a number >= 0");
    }
    return ((Number) v).doubleValue();
  }

  private static String path(String where, String key) {
    return where == null ? key : where + "." + key;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(fileName + ": " + what);
  }
}
