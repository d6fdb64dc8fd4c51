package org.gradguard.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lenient access to parsed JSON trees ({@link org.gradguard.tensor.io.Json}'s maps, lists, strings,
 * numbers): absent keys give NaN, empty lists or defaults, and the strings {@code "NaN"}, {@code
 * "Infinity"}, {@code "-Infinity"} read as those doubles (JSON cannot hold them). A value of the
 * wrong type is an error naming the key and what was found. Package-private.
 */
final class JsonValues {
  private JsonValues() {}

  /** The first of {@code keys} present in {@code m} as a double; NaN when none is present. */
  static double num(Map<String, Object> m, String... keys) {
    for (String k : keys) {
      if (m.containsKey(k)) {
        return toDouble(m.get(k), k);
      }
    }
    return Double.NaN;
  }

  static double toDouble(Object v, String key) {
    if (v == null) {
      return Double.NaN;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      switch (s) {
        case "NaN", "nan" -> {
          return Double.NaN;
        }
        case "Infinity", "inf", "+Infinity" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-Infinity", "-inf" -> {
          return Double.NEGATIVE_INFINITY;
        }
        default -> {
          // fall through to the error
        }
      }
    }
    throw new IllegalArgumentException(
        "'" + key + "' must be a number (or \"NaN\"/\"Infinity\"), got " + describe(v));
  }

  /** The first of {@code keys} present as a long; {@code dflt} when none is present. */
  static long integer(Map<String, Object> m, long dflt, String... keys) {
    for (String k : keys) {
      Object v = m.get(k);
      if (v instanceof Long l) {
        return l;
      }
      if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        return n.longValue();
      }
      if (v != null) {
        throw new IllegalArgumentException("'" + k + "' must be an integer, got " + describe(v));
      }
    }
    return dflt;
  }

  /** The first of {@code keys} present as a string ({@code dflt} when none). */
  static String str(Map<String, Object> m, String dflt, String... keys) {
    for (String k : keys) {
      Object v = m.get(k);
      if (v != null) {
        return v instanceof String s ? s : String.valueOf(v);
      }
    }
    return dflt;
  }

  /** {@code m.get(key)} as a list of strings (a single string becomes a list of one). */
  static List<String> strings(Map<String, Object> m, String key) {
    Object v = m.get(key);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> map) {
          // remedies as {"remedy": ..., "text": ...}
          Object text = map.get("text");
          out.add(String.valueOf(text != null ? text : map));
        } else if (o != null) {
          out.add(String.valueOf(o));
        }
      }
    } else if (v != null) {
      out.add(String.valueOf(v));
    }
    return out;
  }

  /** {@code m.get(key)} as a list of objects (missing: empty). */
  static List<Map<String, Object>> objects(Map<String, Object> m, String key) {
    Object v = m.get(key);
    List<Map<String, Object>> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof List<?> l)) {
      throw new IllegalArgumentException("'" + key + "' must be an array, got " + describe(v));
    }
    for (Object o : l) {
      out.add(object(o, key + "[]"));
    }
    return out;
  }

  /** {@code m.get(key)} as a map of numbers (missing: empty). */
  static Map<String, Double> numbers(Map<String, Object> m, String key) {
    Map<String, Double> out = new LinkedHashMap<>();
    Object v = m.get(key);
    if (v instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(String.valueOf(e.getKey()), toDouble(e.getValue(), key + "." + e.getKey()));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String what) {
    if (v instanceof Map<?, ?>) {
      return (Map<String, Object>) v;
    }
    throw new IllegalArgumentException(what + " must be an object, got " + describe(v));
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String s = String.valueOf(v);
    return v.getClass().getSimpleName().toLowerCase(Locale.ROOT)
        + " "
        + (s.length() > 40 ? s.substring(0, 40) + "…" : s);
  }
}
