package org.gradguard.config;

import java.util.List;
import java.util.Optional;

/**
 * A config file: an experiment's base run and its variants (for {@code compare}).
 *
 * @param source the file as the user named it, and the {@code --set} overrides applied
 * @param name the experiment's name ({@code name}, or the file name without extension)
 * @param description what the experiment shows, or the empty string
 * @param base the base run
 * @param variants the variants in file order; empty when the file has none
 */
public record ExperimentConfig(
    Source source, String name, String description, RunConfig base, List<Variant> variants) {
  /** Copies the variants. */
  public ExperimentConfig {
    variants = List.copyOf(variants);
  }

  /** The file as the user named it. */
  public String file() {
    return source.file();
  }

  /** The variant called {@code name}, if any. */
  public Optional<Variant> variant(String name) {
    return variants.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** The base as a variant named {@code base}. */
  public Variant baseVariant() {
    return new Variant("base", description, base);
  }
}
