package org.gradguard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds Jackson's tree from YAML parser events, resolving what Jackson's own tree reader leaves
 * alone: anchors and aliases ({@code &block} … {@code *block}, copied at each alias) and merge keys
 * ({@code <<: *defaults}, whose keys fill in those the map does not set). Duplicate keys are
 * errors. The number of values built is bounded by {@link #MAX_VALUES}, so that aliases of aliases
 * cannot make a small file expand without limit.
 */
final class YamlTreeBuilder {
  /** The most values (scalars, lists and maps) a config may expand to. */
  static final int MAX_VALUES = 1_000_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final YAMLParser parser;
  private final String label;
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private long values;

  private YamlTreeBuilder(YAMLParser parser, String label) {
    this.parser = parser;
    this.label = label;
  }

  /** The first document of {@code parser}, or a missing node when there is none. */
  static JsonNode read(YAMLParser parser, String label) throws IOException {
    YamlTreeBuilder b = new YamlTreeBuilder(parser, label);
    JsonToken t = parser.nextToken();
    return t == null ? MissingNode.getInstance() : b.value(t);
  }

  private JsonNode value(JsonToken t) throws IOException {
    JsonLocation start = parser.currentTokenLocation();
    if (parser.isCurrentAlias()) {
      String name = parser.getText();
      JsonNode target = anchors.get(name);
      if (target == null) {
        throw error(
            start, "alias *" + name + " refers to no anchor &" + name + " defined before it");
      }
      count(size(target));
      return target.deepCopy();
    }
    String anchor = parser.getObjectId();
    count(1);
    JsonNode node =
        switch (t) {
          case START_OBJECT -> object();
          case START_ARRAY -> array();
          case VALUE_STRING -> NODES.textNode(parser.getText());
          case VALUE_NUMBER_INT ->
              switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
              };
          case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
          case VALUE_TRUE -> NODES.booleanNode(true);
          case VALUE_FALSE -> NODES.booleanNode(false);
          case VALUE_NULL -> NODES.nullNode();
          default -> throw error(start, "unsupported YAML value (" + t + ")");
        };
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return node;
  }

  private ObjectNode object() throws IOException {
    ObjectNode o = NODES.objectNode();
    ObjectNode merged = null;
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
      String key = parser.currentName();
      JsonLocation at = parser.currentTokenLocation();
      JsonNode v = value(parser.nextToken());
      if (key.equals("<<")) {
        merged = merged == null ? NODES.objectNode() : merged;
        for (JsonNode m : v.isArray() ? v : NODES.arrayNode().add(v)) {
          if (!m.isObject()) {
            throw error(at, "a merge key << takes a map or a list of maps");
          }
          for (Map.Entry<String, JsonNode> e : m.properties()) {
            if (!merged.has(e.getKey())) {
              merged.set(e.getKey(), e.getValue());
            }
          }
        }
        continue;
      }
      if (o.has(key)) {
        throw error(at, "duplicate key '" + key + "'");
      }
      o.set(key, v);
    }
    if (merged != null) {
      for (Map.Entry<String, JsonNode> e : merged.properties()) {
        if (!o.has(e.getKey())) {
          o.set(e.getKey(), e.getValue());
        }
      }
    }
    return o;
  }

  private ArrayNode array() throws IOException {
    ArrayNode a = NODES.arrayNode();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      a.add(value(t));
    }
    return a;
  }

  private static long size(JsonNode n) {
    long s = 1;
    for (JsonNode c : n) {
      s += size(c);
    }
    return s;
  }

  private void count(long n) {
    values += n;
    if (values > MAX_VALUES) {
      throw new ConfigException(
          label, null, "expands to more than " + MAX_VALUES + " values (aliases of aliases?)");
    }
  }

  private ConfigException error(JsonLocation at, String problem) {
    return new ConfigException(
        label,
        "line " + at.getLineNr() + ", column " + at.getColumnNr(),
        "invalid YAML: " + problem);
  }
}
