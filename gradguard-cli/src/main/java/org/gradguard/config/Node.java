package org.gradguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A value in a parsed config tree together with its key path ({@code model.layers[2].out}) and
 * source, so that every error names the file and the key. Typed accessors throw {@link
 * ConfigException} with the path and the offending value ({@code optimizer.lr: expected a number,
 * got "fast"}). An absent key and an explicit {@code null} are the same: "not set".
 */
public final class Node {
  private final Source source;
  private final String path;
  private final JsonNode json;

  /**
   * @param source the file and overrides, for messages
   * @param path the key path of this value, {@code ""} for the root
   * @param json the value, or null when absent
   */
  public Node(Source source, String path, JsonNode json) {
    this.source = source;
    this.path = path;
    this.json = json == null || json.isMissingNode() || json.isNull() ? null : json;
  }

  public Source source() {
    return source;
  }

  /** The key path, e.g. {@code optimizer.lr}; {@code ""} for the root. */
  public String path() {
    return path;
  }

  /** The raw value, or null when absent. */
  public JsonNode json() {
    return json;
  }

  /** True when the key is absent or {@code null}. */
  public boolean isAbsent() {
    return json == null;
  }

  /** An error at this node's path. */
  public ConfigException error(String problem) {
    return source.error(path, problem);
  }

  /** The value at {@code key} of this map (absent if this is not a map or lacks it). */
  public Node child(String key) {
    JsonNode v = json != null && json.isObject() ? json.get(key) : null;
    return new Node(source, path.isEmpty() ? key : path + "." + key, v);
  }

  /** The element {@code i} of this list. */
  public Node element(int i) {
    JsonNode v = json != null && json.isArray() ? json.get(i) : null;
    return new Node(source, path + "[" + i + "]", v);
  }

  /** The value as a person would write it: {@code "fast"}, {@code -0.1}, {@code a list}. */
  public String describe() {
    if (json == null) {
      return "nothing";
    }
    if (json.isTextual()) {
      return "\"" + json.asText() + "\"";
    }
    if (json.isNumber()) {
      return json.isIntegralNumber() ? json.asText() : Numbers.format(json.asDouble());
    }
    if (json.isBoolean()) {
      return json.asText();
    }
    if (json.isArray()) {
      return "a list";
    }
    if (json.isObject()) {
      return "a map";
    }
    return json.getNodeType().name().toLowerCase();
  }

  private ConfigException expected(String what) {
    return error("expected " + what + ", got " + describe());
  }

  private void requirePresent() {
    if (json == null) {
      throw error("required key is missing");
    }
  }

  /** A finite number. */
  public double asNumber() {
    requirePresent();
    if (!json.isNumber()) {
      throw expected("a number");
    }
    double v = json.asDouble();
    if (!Double.isFinite(v)) {
      throw error("must be a finite number, got " + describe());
    }
    return v;
  }

  /** A number in {@code range}. */
  public double asNumber(Range range) {
    double v = asNumber();
    if (!range.contains(v)) {
      throw error(range.describe() + ", got " + describe());
    }
    return v;
  }

  /** An integral number in the range of {@code long}; {@code 1e3} is accepted as 1000. */
  public long asLong() {
    requirePresent();
    if (!json.isNumber()) {
      throw expected("an integer");
    }
    if (json.isIntegralNumber()) {
      if (!json.canConvertToLong()) {
        throw error("is too large, got " + describe());
      }
      return json.asLong();
    }
    double v = json.asDouble();
    if (v != Math.rint(v) || !Double.isFinite(v)) {
      throw expected("an integer");
    }
    if (Math.abs(v) > 9.0e15) {
      throw error("is too large, got " + describe());
    }
    return (long) v;
  }

  /** An integer {@code >= min}. */
  public int asInt(int min) {
    long v = asLong();
    if (v < min) {
      throw error("must be >= " + min + ", got " + describe());
    }
    if (v > Integer.MAX_VALUE) {
      throw error("must be <= " + Integer.MAX_VALUE + ", got " + describe());
    }
    return (int) v;
  }

  /** {@code true} or {@code false}. */
  public boolean asBool() {
    requirePresent();
    if (!json.isBoolean()) {
      throw expected("true or false");
    }
    return json.asBoolean();
  }

  /** A non-empty string. */
  public String asString() {
    requirePresent();
    if (!json.isTextual()) {
      throw expected("a string");
    }
    if (json.asText().isBlank()) {
      throw error("must not be empty");
    }
    return json.asText();
  }

  /** The elements of a list; absent gives an empty list. */
  public List<Node> asList() {
    if (json == null) {
      return List.of();
    }
    if (!json.isArray()) {
      throw expected("a list");
    }
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      out.add(element(i));
    }
    return out;
  }

  /** This value as a map of settings; absent gives an empty one. */
  public Section asSection() {
    if (json != null && !json.isObject()) {
      throw expected("a map of settings");
    }
    return new Section(this);
  }

  /**
   * One of {@code values}, by {@link Named#id()} or alias.
   *
   * @param what the kind of choice for messages, e.g. {@code "activation"}
   */
  public <E extends Named> E asChoice(E[] values, String what) {
    requirePresent();
    if (!json.isTextual()) {
      throw error("expected " + what + " name (one of: " + ids(values) + "), got " + describe());
    }
    String given = json.asText();
    String norm = Suggestions.normalize(given);
    List<String> all = new ArrayList<>();
    for (E e : values) {
      if (Suggestions.normalize(e.id()).equals(norm)) {
        return e;
      }
      all.add(e.id());
      for (String a : e.aliases()) {
        if (Suggestions.normalize(a).equals(norm)) {
          return e;
        }
        all.add(a);
      }
    }
    throw error(
        "unknown "
            + what
            + " \""
            + given
            + "\""
            + Suggestions.didYouMean(given, all)
            + " (one of: "
            + ids(values)
            + ")");
  }

  static <E extends Named> String ids(E[] values) {
    return Arrays.stream(values).map(Named::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return path + "=" + describe();
  }
}
