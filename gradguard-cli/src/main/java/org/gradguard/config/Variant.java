package org.gradguard.config;

/**
 * One variant of an experiment: the base config with the variant's overrides merged in.
 *
 * @param name the variant's name (its key under {@code variants})
 * @param description what the variant changes, or the empty string
 * @param config the merged, validated config
 */
public record Variant(String name, String description, RunConfig config) {}
