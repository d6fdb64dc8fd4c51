package org.gradguard.config;

import java.util.List;

/**
 * A choice that configs name by a word, implemented by enums: {@link #id()} is the canonical
 * spelling (used in docs and messages), {@link #aliases()} are other accepted spellings. Names
 * compare without case, with {@code -} and {@code _} equal.
 */
public interface Named {
  /** The canonical name, e.g. {@code "leaky_relu"}. */
  String id();

  /** Other accepted names, e.g. {@code "he"} for {@code "kaiming_normal"}; empty by default. */
  default List<String> aliases() {
    return List.of();
  }
}
