package org.gradguard.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: configs from YAML text. */
final class Configs {
  private Configs() {}

  /** The experiment in {@code yaml} (as if read from {@code t.yaml}), with {@code sets} applied. */
  static ExperimentConfig parse(String yaml, String... sets) {
    ObjectNode root = (ObjectNode) Yaml.readValue(yaml, "t.yaml");
    List<Overrides.Override> os = List.of(sets).stream().map(Overrides::parse).toList();
    return ConfigLoader.parse(
        root, new Source("t.yaml", Overrides.apply(root, os)), Path.of(""), "t");
  }

  /** The message of the {@link ConfigException} that parsing {@code yaml} throws. */
  static String error(String yaml, String... sets) {
    try {
      parse(yaml, sets);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for:\n" + yaml);
  }
}
