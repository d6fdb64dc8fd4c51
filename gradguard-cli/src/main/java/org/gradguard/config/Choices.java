package org.gradguard.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for maps whose keys depend on a kind (optimizer name, schedule name, clipping kind). */
final class Choices {
  private Choices() {}

  /**
   * The kind of the map at {@code node}, read from its {@code key} ({@code name}, {@code type} or
   * {@code kind}); a plain string instead of a map is shorthand for {@code {key: string}}; absent
   * gives {@code dflt}.
   */
  static <E extends Named> E kind(Node node, String key, E[] values, E dflt, String what) {
    if (node.isAbsent()) {
      return dflt;
    }
    if (node.json().isTextual()) {
      return node.asChoice(values, what);
    }
    if (!node.json().isObject()) {
      throw node.error("expected a map of settings or " + what + " name, got " + node.describe());
    }
    Node k = node.child(key);
    return k.isAbsent() ? dflt : k.asChoice(values, what);
  }

  /** The settings at {@code node}, where a plain string (the kind's shorthand) has none. */
  static Section settings(Node node) {
    if (!node.isAbsent() && node.json().isTextual()) {
      return new Node(node.source(), node.path(), null).asSection();
    }
    return node.asSection();
  }

  /**
   * For each key some other kind takes but {@code kind} does not, a note like {@code "not a setting
   * of optimizer 'sgd' (it belongs to adam, adamw)"}.
   */
  static <K extends Named> Map<String, String> elsewhere(
      Map<K, List<String>> keys, K kind, String what) {
    List<String> mine = keys.get(kind);
    Map<String, List<String>> owners = new LinkedHashMap<>();
    for (var e : keys.entrySet()) {
      for (String k : e.getValue()) {
        if (!mine.contains(k)) {
          owners.computeIfAbsent(k, x -> new ArrayList<>()).add(e.getKey().id());
        }
      }
    }
    Map<String, String> notes = new LinkedHashMap<>();
    for (var e : owners.entrySet()) {
      List<String> o = e.getValue();
      o.sort(null);
      notes.put(
          e.getKey(),
          "not a setting of "
              + what
              + " '"
              + kind.id()
              + "' (it belongs to "
              + String.join(", ", o)
              + "; "
              + kind.id()
              + " takes: "
              + String.join(", ", mine)
              + ")");
    }
    return notes;
  }
}
