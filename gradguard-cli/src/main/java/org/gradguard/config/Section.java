package org.gradguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A map of settings at one key path, read strictly: {@link #keys} declares the keys allowed here
 * and rejects any other with a "did you mean" suggestion; typed getters apply defaults and validate
 * values, naming the key path in every error.
 */
public final class Section {
  private final Node node;
  private final Set<String> allowed = new LinkedHashSet<>();

  Section(Node node) {
    this.node = node;
  }

  /** The node of this map. */
  public Node node() {
    return node;
  }

  /** The key path of this map. */
  public String path() {
    return node.path();
  }

  /**
   * Declares the keys allowed in this map and checks the map holds no others.
   *
   * @throws ConfigException naming the first unknown key, with the closest allowed key
   */
  public Section keys(Collection<String> keys) {
    return keys(keys, Map.of());
  }

  /** {@link #keys(Collection)} for an array of keys. */
  public Section keys(String... keys) {
    return keys(List.of(keys), Map.of());
  }

  /**
   * {@link #keys(Collection)}, where {@code elsewhere} maps keys that are valid in other forms of
   * this map (e.g. {@code betas}, valid for adam but not sgd) to a note saying where, so that the
   * error explains instead of only suggesting.
   */
  public Section keys(Collection<String> keys, Map<String, String> elsewhere) {
    allowed.addAll(keys);
    JsonNode json = node.json();
    if (json == null) {
      return this;
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        String note = elsewhere.get(k);
        if (note != null) {
          throw node.child(k).error(note);
        }
        throw node.child(k)
            .error(
                "unknown key"
                    + Suggestions.didYouMean(k, allowed)
                    + " (allowed here: "
                    + String.join(", ", allowed)
                    + ")");
      }
    }
    return this;
  }

  /** The keys declared so far. */
  public Set<String> allowed() {
    return Set.copyOf(allowed);
  }

  /** The value at {@code key}, which must have been declared. */
  public Node get(String key) {
    if (!allowed.contains(key)) {
      throw new IllegalStateException(
          "Section " + node.path() + ": key '" + key + "' read but not declared");
    }
    return node.child(key);
  }

  /** Whether {@code key} is set (present and not null). */
  public boolean has(String key) {
    return !get(key).isAbsent();
  }

  /** A number in {@code range}, or {@code dflt} when not set. */
  public double number(String key, double dflt, Range range) {
    Node n = get(key);
    return n.isAbsent() ? dflt : n.asNumber(range);
  }

  /** A required number in {@code range}. */
  public double number(String key, Range range) {
    return get(key).asNumber(range);
  }

  /** An integer {@code >= min}, or {@code dflt} when not set. */
  public int integer(String key, int dflt, int min) {
    Node n = get(key);
    return n.isAbsent() ? dflt : n.asInt(min);
  }

  /** A required integer {@code >= min}. */
  public int integer(String key, int min) {
    return get(key).asInt(min);
  }

  /** An integer {@code >= min}, or null when not set. */
  public Integer optionalInteger(String key, int min) {
    Node n = get(key);
    return n.isAbsent() ? null : n.asInt(min);
  }

  /** Any integral value in the range of {@code long}, or {@code dflt}. */
  public long longValue(String key, long dflt) {
    Node n = get(key);
    return n.isAbsent() ? dflt : n.asLong();
  }

  /** {@code true}/{@code false}, or {@code dflt} when not set. */
  public boolean bool(String key, boolean dflt) {
    Node n = get(key);
    return n.isAbsent() ? dflt : n.asBool();
  }

  /** A string, or {@code dflt} (may be null) when not set. */
  public String string(String key, String dflt) {
    Node n = get(key);
    return n.isAbsent() ? dflt : n.asString();
  }

  /** A required string. */
  public String string(String key) {
    return get(key).asString();
  }

  /** One of {@code values} by name, or {@code dflt} when not set. */
  public <E extends Named> E choice(String key, E[] values, E dflt, String what) {
    Node n = get(key);
    return n.isAbsent() ? dflt : n.asChoice(values, what);
  }

  /** The elements of the list at {@code key}; empty when not set. */
  public List<Node> list(String key) {
    return get(key).asList();
  }

  /** The map at {@code key}; empty when not set. */
  public Section section(String key) {
    return get(key).asSection();
  }

  /** An error at {@code key} of this map. */
  public ConfigException error(String key, String problem) {
    return node.child(key).error(problem);
  }

  /**
   * Rejects {@code key} when set: it only applies when {@code condition} holds. The message says
   * how to remove it from the command line, for a config whose other key was changed by {@code
   * --set}.
   */
  public void onlyWith(String key, String condition) {
    if (has(key)) {
      throw error(
          key,
          "only applies "
              + condition
              + " (null removes a key: --set "
              + node.child(key).path()
              + "=null)");
    }
  }
}
