package org.gradguard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into Jackson's tree model ({@link YamlTreeBuilder}: anchors, aliases and merge keys
 * resolved, duplicate keys rejected). Syntax errors become {@link ConfigException}s naming the
 * file, line and column; files are bounded to {@link #MAX_BYTES}.
 */
public final class Yaml {
  /** The largest config file read: 1 MiB. */
  public static final long MAX_BYTES = 1 << 20;

  private static final YAMLMapper MAPPER = createMapper();

  /** Writes block-style YAML without a document marker, quoting only where YAML needs it. */
  private static final YAMLMapper WRITER =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  private Yaml() {}

  private static YAMLMapper createMapper() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxStringLength((int) MAX_BYTES)
                    .build())
            // An empty value (`key:`) is null, and only true/false are booleans (YAML 1.2), so
            // that `yes`, `no`, `on` and `off` stay words.
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();
    return YAMLMapper.builder(factory).build();
  }

  /**
   * {@code value} (a tree, map, list or scalar) as YAML text, as a person would write it: block
   * style, no document marker, quotes only where a word would read as something else.
   */
  public static String write(Object value) throws JsonProcessingException {
    return WRITER.writeValueAsString(value);
  }

  /**
   * The tree of {@code file}.
   *
   * @param label the file as the user named it, for messages
   * @throws ConfigException if the file is missing, unreadable, too large, not UTF-8, empty or not
   *     valid YAML
   */
  public static JsonNode readFile(Path file, String label) {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(label, null, "is a directory, expected a YAML file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ConfigException(
            label, null, "is " + size + " bytes, more than a config may be (" + MAX_BYTES + ")");
      }
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(label, null, "file not found", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(label, null, "permission denied", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(label, null, "not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException(label, null, "cannot read: " + e.getMessage(), e);
    }
    JsonNode tree = parse(text, label);
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(label, null, "the file holds no settings");
    }
    if (!tree.isObject()) {
      throw new ConfigException(
          label,
          null,
          "expected a map of settings at the top level (key: value lines), got "
              + new Node(Source.of(label), "", tree).describe());
    }
    return tree;
  }

  /**
   * A YAML value written inline, as in {@code --set optimizer.lr=0.1}: {@code 0.1} is a number,
   * {@code true} a boolean, {@code [1, 2]} a list, {@code sgd} a string; the empty string is null.
   */
  public static JsonNode readValue(String text, String label) {
    if (text.isBlank()) {
      return NullNode.getInstance();
    }
    JsonNode v = parse(text, label);
    return v == null || v.isMissingNode() ? NullNode.getInstance() : v;
  }

  private static JsonNode parse(String text, String label) {
    try {
      try (YAMLParser p = (YAMLParser) MAPPER.createParser(text)) {
        return YamlTreeBuilder.read(p, label);
      }
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        // SnakeYAML's problem mark points at the offending token, 0-based.
        String where =
            "line "
                + (m.getProblemMark().getLine() + 1)
                + ", column "
                + (m.getProblemMark().getColumn() + 1);
        String problem = ConfigException.oneLine(m.getProblem());
        if (m.getContext() != null) {
          problem += " (" + ConfigException.oneLine(m.getContext()) + ")";
        }
        throw new ConfigException(label, where, "invalid YAML: " + problem, e);
      }
      JsonLocation loc = e.getLocation();
      String where =
          loc == null || loc.getLineNr() < 1
              ? null
              : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new ConfigException(label, where, "invalid YAML: " + firstLine(e), e);
    } catch (IOException e) {
      throw new ConfigException(label, null, "cannot read: " + e.getMessage(), e);
    }
  }

  private static String firstLine(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "syntax error";
    }
    int nl = m.indexOf('\n');
    String first = (nl < 0 ? m : m.substring(0, nl)).strip();
    return first.isEmpty() ? ConfigException.oneLine(m) : first;
  }
}
