package org.gradguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads an experiment: reads the YAML file, applies {@code --set} overrides, validates the base
 * run, then merges each variant into the base ({@link DeepMerge}) and validates it with the
 * variant's name in the key path ({@code variants.clip.optimizer.lr}).
 */
public final class ConfigLoader {
  /** The keys of a config file's top level. */
  public static final List<String> TOP_KEYS = topKeys();

  /** The keys a variant may override. */
  public static final List<String> VARIANT_KEYS = variantKeys();

  private static final Pattern VARIANT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private ConfigLoader() {}

  private static List<String> topKeys() {
    List<String> k = new ArrayList<>(List.of("name", "description"));
    k.addAll(RunConfig.SECTIONS);
    k.add("variants");
    return List.copyOf(k);
  }

  private static List<String> variantKeys() {
    List<String> k = new ArrayList<>(List.of("description"));
    k.addAll(RunConfig.SECTIONS);
    return List.copyOf(k);
  }

  /**
   * Loads {@code file}.
   *
   * @param label the file as the user named it, for messages
   * @param sets {@code key.path=value} overrides, applied in order
   * @throws ConfigException for any mistake, naming the file and the key path
   */
  public static ExperimentConfig load(Path file, String label, List<String> sets) {
    List<Overrides.Override> overrides = new ArrayList<>();
    for (String s : sets) {
      overrides.add(Overrides.parse(s));
    }
    ObjectNode root = (ObjectNode) Yaml.readFile(file, label);
    Map<String, String> applied = Overrides.apply(root, overrides);
    // Relative to the config file as named, so that messages show paths as the user would.
    Path dir = file.getParent() != null ? file.getParent() : Path.of("");
    return parse(root, new Source(label, applied), dir, stem(file));
  }

  /**
   * Parses an already-read tree (for tests and tools).
   *
   * @param baseDir the directory relative data paths are resolved against
   * @param defaultName the experiment name when the tree has none
   */
  public static ExperimentConfig parse(
      ObjectNode root, Source source, Path baseDir, String defaultName) {
    Node top = new Node(source, "", root);
    Section s = top.asSection().keys(TOP_KEYS);
    String name = s.string("name", defaultName);
    String description = s.string("description", "");
    ObjectNode base = root.deepCopy();
    base.remove(List.of("name", "description", "variants"));
    RunConfig baseRun = RunConfig.parse(new Node(source, "", base), baseDir);

    List<Variant> variants = new ArrayList<>();
    Node vs = s.get("variants");
    if (!vs.isAbsent()) {
      if (!vs.json().isObject()) {
        throw vs.error("expected a map from variant name to overrides, got " + vs.describe());
      }
      for (Map.Entry<String, JsonNode> entry : vs.json().properties()) {
        String vname = entry.getKey();
        Node v = vs.child(vname);
        if (!VARIANT_NAME.matcher(vname).matches()) {
          throw v.error(
              "a variant name is 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit");
        }
        Section vsec = v.asSection().keys(VARIANT_KEYS);
        String vdesc = vsec.string("description", "");
        ObjectNode override = v.isAbsent() ? root.objectNode() : ((ObjectNode) v.json()).deepCopy();
        override.remove("description");
        JsonNode merged = DeepMerge.merge(base, override);
        RunConfig run = RunConfig.parse(new Node(source, v.path(), merged), baseDir);
        variants.add(new Variant(vname, vdesc, run));
      }
    }
    return new ExperimentConfig(source, name, description, baseRun, variants);
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
