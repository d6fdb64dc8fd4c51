package org.gradguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Deep merge of a variant's overrides into the base config: maps merge key by key, recursively;
 * scalars and lists replace; a {@code null} value removes the key (back to its default). One
 * exception makes switching a component natural: when a nested map and its override both name their
 * kind ({@code name}, {@code type} or {@code kind}) and the names differ, the override replaces the
 * map instead of merging into it, so {@code optimizer: {name: adam}} over an SGD optimizer does not
 * inherit SGD's {@code momentum}.
 */
public final class DeepMerge {
  /** The keys that name a map's kind. */
  public static final List<String> DISCRIMINATORS = List.of("name", "type", "kind");

  private DeepMerge() {}

  /** A new tree: {@code override} merged into {@code base}. Neither argument is modified. */
  public static JsonNode merge(JsonNode base, JsonNode override) {
    return merge(base, override, 0);
  }

  private static JsonNode merge(JsonNode base, JsonNode override, int depth) {
    if (override == null || override.isMissingNode()) {
      return base == null ? null : base.deepCopy();
    }
    if (base == null || !base.isObject() || !override.isObject()) {
      return override.deepCopy();
    }
    if (depth > 0 && kindChanges(base, override)) {
      return override.deepCopy();
    }
    ObjectNode out = ((ObjectNode) base).deepCopy();
    for (Map.Entry<String, JsonNode> e : override.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(base.get(e.getKey()), e.getValue(), depth + 1));
      }
    }
    return out;
  }

  private static boolean kindChanges(JsonNode base, JsonNode override) {
    for (String k : DISCRIMINATORS) {
      JsonNode a = base.get(k);
      JsonNode b = override.get(k);
      if (a != null && b != null && a.isTextual() && b.isTextual()) {
        return !Suggestions.normalize(a.asText()).equals(Suggestions.normalize(b.asText()));
      }
    }
    return false;
  }
}
