package org.gradguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --set key.path=value} overrides, applied to a config tree before it is validated. The path
 * descends maps by key and lists by index ({@code model.layers.2.out} or {@code
 * model.layers[2].out}); missing maps on the way are created. The value is read as YAML: {@code
 * 0.1} is a number, {@code [1, 2]} a list, {@code {kind: norm, max_norm: 1}} a map, and an empty
 * value is null, which resets the key to its default.
 */
public final class Overrides {
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

  /** One parsed override. */
  public record Override(String text, List<Object> segments, JsonNode value) {
    /** The key path in the form error messages use, e.g. {@code model.layers[2].out}. */
    public String path() {
      StringBuilder sb = new StringBuilder();
      for (Object s : segments) {
        if (s instanceof Integer i) {
          sb.append('[').append(i).append(']');
        } else {
          sb.append(sb.length() == 0 ? "" : ".").append(s);
        }
      }
      return sb.toString();
    }
  }

  private Overrides() {}

  /**
   * Parses {@code key.path=value}.
   *
   * @throws ConfigException (file {@code --set}) for a malformed override
   */
  public static Override parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set", text, "expected key.path=value, e.g. optimizer.lr=0.01");
    }
    String key = text.substring(0, eq).strip();
    List<Object> segments = new ArrayList<>();
    for (String part : key.split("\\.", -1)) {
      if (part.isEmpty()) {
        throw new ConfigException("--set", text, "empty key in path \"" + key + "\"");
      }
      Matcher m = SEGMENT.matcher(part);
      int pos = 0;
      while (pos < part.length() && m.find(pos) && m.start() == pos) {
        if (m.group(1) != null) {
          String word = m.group(1);
          segments.add(
              word.chars().allMatch(Character::isDigit) ? (Object) Integer.valueOf(word) : word);
        } else {
          segments.add(Integer.valueOf(m.group(2)));
        }
        pos = m.end();
      }
      if (pos != part.length()) {
        throw new ConfigException("--set", text, "malformed key path \"" + key + "\"");
      }
    }
    if (segments.get(0) instanceof Integer) {
      throw new ConfigException("--set", text, "a key path starts with a key, got \"" + key + "\"");
    }
    JsonNode value = Yaml.readValue(text.substring(eq + 1), "--set " + text);
    return new Override(text, segments, value);
  }

  /**
   * The overrides among {@code sets} that a variant's own settings undid: those whose key in the
   * variant's merged tree {@code merged} ({@link RunConfig#tree()}) does not hold the value they
   * set, because the variant sets that key, a key above it, or another kind of that section. Sets
   * that reach into {@code variants} (or set {@code name} or {@code description}) are not checked.
   * Not modified: {@code merged}.
   */
  public static List<Override> undoneBy(JsonNode merged, List<String> sets) {
    List<Override> undone = new ArrayList<>();
    for (String text : sets) {
      Override o = parse(text);
      String first = o.segments().get(0).toString();
      if (first.equals("variants") || first.equals("name") || first.equals("description")) {
        continue;
      }
      JsonNode at = merged;
      for (Object seg : o.segments()) {
        at = seg instanceof Integer i ? at.path(i) : at.path(seg.toString());
      }
      boolean holds = o.value().isNull() ? at.isMissingNode() || at.isNull() : o.value().equals(at);
      if (!holds) {
        undone.add(o);
      }
    }
    return undone;
  }

  /**
   * The override that would set {@code o}'s key in variant {@code variant}, whose merged tree is
   * {@code merged}: {@code variants.<variant>.<path>=<value>}, or, where the variant sets a key on
   * the way to a plain value ({@code guards: {rollback: true}}), that key as a map holding the rest
   * of the path ({@code variants.<variant>.guards.rollback={backoff: 0.1}}).
   */
  public static String intoVariant(JsonNode merged, Override o, String variant) {
    String value = o.text().substring(o.text().indexOf('=') + 1).strip();
    List<Object> segs = o.segments();
    JsonNode at = merged;
    for (int i = 0; i < segs.size() - 1; i++) {
      Object seg = segs.get(i);
      at = seg instanceof Integer n ? at.path(n) : at.path(seg.toString());
      boolean container = at.isObject() || at.isArray() || at.isMissingNode() || at.isNull();
      if (!container && !(segs.get(i + 1) instanceof Integer)) {
        // a plain value on the way: set that key to a map holding the rest
        String nested = value;
        for (int j = segs.size() - 1; j > i; j--) {
          nested = "{" + segs.get(j) + ": " + nested + "}";
        }
        return "variants." + variant + "." + pathOf(segs.subList(0, i + 1)) + "=" + nested;
      }
    }
    return "variants." + variant + "." + o.path() + "=" + value;
  }

  /**
   * Applies the overrides to {@code root} in order (modified) and returns, for {@link Source}, each
   * overridden key path mapped to its text.
   *
   * @throws ConfigException if a path runs through a value that is neither a map nor a list, or
   *     past the end of a list
   */
  public static Map<String, String> apply(ObjectNode root, List<Override> overrides) {
    Map<String, String> applied = new LinkedHashMap<>();
    for (Override o : overrides) {
      apply(root, o);
      applied.put(o.path(), o.text());
    }
    return applied;
  }

  private static void apply(ObjectNode root, Override o) {
    JsonNode cur = root;
    List<Object> segs = o.segments();
    for (int i = 0; i < segs.size(); i++) {
      Object seg = segs.get(i);
      boolean last = i == segs.size() - 1;
      String at = pathOf(segs.subList(0, i));
      if (cur instanceof ObjectNode obj) {
        String key = seg.toString();
        if (last) {
          obj.set(key, o.value().deepCopy());
          return;
        }
        JsonNode next = obj.get(key);
        if (next == null || next.isNull()) {
          next = segs.get(i + 1) instanceof Integer ? obj.putArray(key) : obj.putObject(key);
        }
        cur = next;
      } else if (cur instanceof ArrayNode arr) {
        if (!(seg instanceof Integer idx)) {
          throw new ConfigException("--set", o.text(), at + " is a list; index it by number");
        }
        if (idx > arr.size()) {
          throw new ConfigException(
              "--set", o.text(), at + " has " + arr.size() + " elements, no index " + idx);
        }
        if (last) {
          if (idx == arr.size()) {
            arr.add(o.value().deepCopy());
          } else {
            arr.set(idx, o.value().deepCopy());
          }
          return;
        }
        if (idx == arr.size()) {
          cur = segs.get(i + 1) instanceof Integer ? arr.addArray() : arr.addObject();
        } else {
          cur = arr.get(idx);
        }
      } else {
        throw new ConfigException(
            "--set",
            o.text(),
            at + " is " + new Node(Source.of(""), at, cur).describe() + ", not a map or a list");
      }
    }
  }

  private static String pathOf(List<Object> segs) {
    return new Override("", segs, JsonNodeFactory.instance.nullNode()).path();
  }
}
