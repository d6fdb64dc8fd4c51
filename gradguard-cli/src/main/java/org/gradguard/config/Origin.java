package org.gradguard.config;

/**
 * Where a run's config came from, for errors raised while building it: the source file and the key
 * path prefix of the run ({@code ""} for the base, {@code variants.clip} for a variant).
 *
 * @param source the config file and its overrides
 * @param prefix the key path of the run's map
 */
public record Origin(Source source, String prefix) {
  /** The origin of a variant's run, or of the base run for {@code "base"} outside the variants. */
  public static Origin of(ExperimentConfig experiment, Variant variant) {
    boolean inFile = experiment.variant(variant.name()).isPresent();
    return new Origin(experiment.source(), inFile ? "variants." + variant.name() : "");
  }

  /** The full key path of {@code key} (e.g. {@code data.path}) in this run. */
  public String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** An error at {@code key} of this run. */
  public ConfigException error(String key, String problem) {
    return source.error(path(key), problem);
  }

  /** An error at {@code key} of this run, keeping {@code cause} for {@code --debug}. */
  public ConfigException error(String key, String problem, Throwable cause) {
    ConfigException e = source.error(path(key), problem);
    return new ConfigException(e.file(), e.where(), e.problem(), cause);
  }
}
