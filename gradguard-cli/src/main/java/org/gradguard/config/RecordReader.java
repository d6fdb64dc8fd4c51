package org.gradguard.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads a map of settings into one of the library's settings records (e.g. {@code SpikeConfig},
 * {@code VanishingDetector.Config}) by its components: each component {@code minHistory} is the key
 * {@code min_history}, its default is the component's value in a defaults instance, and the
 * record's own constructor validates; an {@link IllegalArgumentException} it throws becomes a
 * {@link ConfigException} at the key the message names. So the config keys are always exactly the
 * library's settings, under PyTorch-style snake_case names.
 */
final class RecordReader {
  private RecordReader() {}

  /** The config key of a record component: {@code minHistory} → {@code min_history}. */
  static String key(String component) {
    return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  /** The config keys of {@code type}, in component order. */
  static List<String> keys(Class<? extends Record> type) {
    List<String> out = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      out.add(key(c.getName()));
    }
    return out;
  }

  /**
   * The record at {@code node}: absent or {@code true} gives {@code defaults}; {@code false} gives
   * null (off); a map overrides single settings.
   *
   * @param special readers for components that are not numbers or booleans, by component name
   */
  @SuppressWarnings("unchecked")
  static <R extends Record> R read(
      Node node, R defaults, Map<String, BiFunction<Node, Object, Object>> special) {
    if (node.isAbsent()) {
      return defaults;
    }
    if (node.json().isBoolean()) {
      return node.json().asBoolean() ? defaults : null;
    }
    Class<R> type = (Class<R>) defaults.getClass();
    Section s = node.asSection().keys(keys(type));
    RecordComponent[] comps = type.getRecordComponents();
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      types[i] = c.getType();
      Object dflt;
      try {
        dflt = c.getAccessor().invoke(defaults);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      Node v = s.get(key(c.getName()));
      if (special.containsKey(c.getName())) {
        args[i] = special.get(c.getName()).apply(v, dflt);
      } else if (v.isAbsent()) {
        args[i] = dflt;
      } else if (c.getType() == int.class) {
        args[i] = v.asInt(Integer.MIN_VALUE);
      } else if (c.getType() == long.class) {
        args[i] = v.asLong();
      } else if (c.getType() == double.class) {
        args[i] = v.asNumber();
      } else if (c.getType() == boolean.class) {
        args[i] = v.asBool();
      } else {
        throw new IllegalStateException(
            type.getSimpleName() + "." + c.getName() + ": no reader for " + c.getType());
      }
    }
    try {
      Constructor<R> ctor = type.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw located(node, comps, iae.getMessage());
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The library's message {@code "X: minHistory must be …"} at the key it names. */
  private static ConfigException located(Node node, RecordComponent[] comps, String message) {
    String best = null;
    int at = -1;
    for (RecordComponent c : comps) {
      int i = message.indexOf(c.getName() + " must");
      if (i < 0) {
        i = message.indexOf(c.getName() + " and ");
      }
      if (i >= 0 && (best == null || c.getName().length() > best.length())) {
        best = c.getName();
        at = i;
      }
    }
    if (best == null) {
      return node.error(ConfigException.oneLine(message));
    }
    String problem = message.substring(at + best.length()).strip();
    for (RecordComponent c : comps) {
      problem = problem.replace(c.getName(), key(c.getName()));
    }
    return node.child(key(best)).error(ConfigException.oneLine(problem));
  }
}
