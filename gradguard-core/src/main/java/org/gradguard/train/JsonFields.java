package org.gradguard.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.io.Json;

/**
 * Typed, validated access to a parsed JSON object, with errors that name the source (a file, or a
 * file and line) and the key path: {@code ckpt-40.json: key 'loader.batch' must be an integer, got
 * a string}.
 *
 * <p>Numbers: GradGuard's files write non-finite numbers as the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"} (JSON has no literal for them); {@link #number(Object)} and
 * {@link #getDouble} read them back. Finite doubles are written as the shortest decimal that reads
 * back to the same bits (see {@link Json#formatDouble}), so numbers survive a round trip exactly.
 */
final class JsonFields {
  private final String source;
  private final String path;
  private final Map<String, Object> map;

  JsonFields(String source, String path, Map<String, Object> map) {
    this.source = source;
    this.path = path;
    this.map = map;
  }

  JsonFields(String source, Map<String, Object> map) {
    this(source, "", map);
  }

  /** A double for writing: itself when finite, else its string name. */
  static Object number(double d) {
    if (Double.isFinite(d)) {
      return d;
    }
    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }

  /** The file the fields come from, for messages. */
  String source() {
    return source;
  }

  Map<String, Object> map() {
    return map;
  }

  boolean has(String key) {
    return map.containsKey(key);
  }

  String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  IllegalArgumentException error(String key, String what) {
    return new IllegalArgumentException(source + ": key '" + key(key) + "' " + what);
  }

  private Object require(String key) {
    if (!map.containsKey(key)) {
      throw error(key, "is missing");
    }
    return map.get(key);
  }

  long getLong(String key) {
    Object v = require(key);
    if (v instanceof Long l) {
      return l;
    }
    throw error(key, "must be an integer, got " + Json.typeName(v));
  }

  int getInt(String key) {
    long v = getLong(key);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(key, "must fit in an int, got " + v);
    }
    return (int) v;
  }

  long getNonNegativeLong(String key) {
    long v = getLong(key);
    if (v < 0) {
      throw error(key, "must be >= 0, got " + v);
    }
    return v;
  }

  int getNonNegativeInt(String key) {
    int v = getInt(key);
    if (v < 0) {
      throw error(key, "must be >= 0, got " + v);
    }
    return v;
  }

  double getDouble(String key) {
    return toDouble(key, require(key));
  }

  double toDouble(String key, Object v) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof String s) {
      switch (s) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw error(key, "must be a number, got " + Json.typeName(v));
  }

  boolean getBoolean(String key) {
    Object v = require(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw error(key, "must be a boolean, got " + Json.typeName(v));
  }

  String getString(String key) {
    Object v = require(key);
    if (v instanceof String s) {
      return s;
    }
    throw error(key, "must be a string, got " + Json.typeName(v));
  }

  @SuppressWarnings("unchecked")
  JsonFields getObject(String key) {
    Object v = require(key);
    if (v instanceof Map) {
      return new JsonFields(source, key(key), (Map<String, Object>) v);
    }
    throw error(key, "must be an object, got " + Json.typeName(v));
  }

  @SuppressWarnings("unchecked")
  List<Object> getList(String key) {
    Object v = require(key);
    if (v instanceof List) {
      return (List<Object>) v;
    }
    throw error(key, "must be an array, got " + Json.typeName(v));
  }

  /**
   * The objects of the array under {@code key}, each with its index in its key path ({@code
   * key.3.field}).
   */
  @SuppressWarnings("unchecked")
  List<JsonFields> getObjectList(String key) {
    List<Object> list = getList(key);
    List<JsonFields> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map)) {
        throw error(key, "element " + i + " must be an object, got " + Json.typeName(list.get(i)));
      }
      out.add(new JsonFields(source, key(key) + "." + i, (Map<String, Object>) list.get(i)));
    }
    return out;
  }

  /** An object whose every value is a number (or a non-finite name). */
  Map<String, Double> getNumberMap(String key) {
    JsonFields o = getObject(key);
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o.map.entrySet()) {
      out.put(e.getKey(), o.toDouble(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** An array of integers. */
  long[] getLongArray(String key) {
    List<Object> list = getList(key);
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long l)) {
        throw error(key, "must hold integers, element " + i + " is " + Json.typeName(list.get(i)));
      }
      out[i] = l;
    }
    return out;
  }

  /** An array of numbers (or non-finite names). */
  double[] getDoubleArray(String key) {
    List<Object> list = getList(key);
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = toDouble(key + "[" + i + "]", list.get(i));
    }
    return out;
  }

  /** An array of strings. */
  List<String> getStringList(String key) {
    List<Object> list = getList(key);
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s)) {
        throw error(key, "must hold strings, element " + i + " is " + Json.typeName(list.get(i)));
      }
      out.add(s);
    }
    return out;
  }
}
