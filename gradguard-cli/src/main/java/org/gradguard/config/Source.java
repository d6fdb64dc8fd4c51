package org.gradguard.config;

import java.util.Map;

/**
 * Where a config tree came from, for error messages: the file as the user named it, and the keys
 * that {@code --set} overrides changed (key path to the {@code key=value} text given).
 *
 * @param file the config file as named on the command line
 * @param overrides key paths set by {@code --set}, to their {@code key=value} text
 */
public record Source(String file, Map<String, String> overrides) {
  /** Copies the overrides. */
  public Source {
    overrides = Map.copyOf(overrides);
  }

  /** A source without overrides. */
  public static Source of(String file) {
    return new Source(file, Map.of());
  }

  /**
   * An error at {@code path}; if a {@code --set} override set that key or one above it, the problem
   * says so.
   */
  public ConfigException error(String path, String problem) {
    for (var e : overrides.entrySet()) {
      String p = e.getKey();
      if (path.equals(p) || under(path, p)) {
        return new ConfigException(file, path, problem + " (from --set " + e.getValue() + ")");
      }
    }
    return new ConfigException(file, path, problem);
  }

  private static boolean under(String path, String prefix) {
    return path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
  }
}
