/**
 * Experiment configs: YAML files read into immutable records, and the builders that turn them into
 * library objects.
 *
 * <p>Reading: {@link org.gradguard.config.Yaml} parses a file into Jackson's tree (syntax errors
 * name line and column); {@link org.gradguard.config.Overrides} applies {@code --set key=value};
 * {@link org.gradguard.config.ConfigLoader} walks the tree strictly through {@link
 * org.gradguard.config.Node} and {@link org.gradguard.config.Section}: unknown keys are errors with
 * a "did you mean" suggestion ({@link org.gradguard.config.Suggestions}), and every type or value
 * error names its key path ({@code variants.clip.optimizer.lr: must be > 0, got -0.1}). Variants
 * are {@link org.gradguard.config.DeepMerge deep-merged} into the base and validated one by one.
 * Every mistake is a {@link org.gradguard.config.ConfigException}.
 *
 * <p>The config tree: {@link org.gradguard.config.ExperimentConfig} holds a base {@link
 * org.gradguard.config.RunConfig} and its {@link org.gradguard.config.Variant}s; a run has a model,
 * data, loss, optimizer, schedule, clipping, regularization, guards, monitor and train section,
 * each a record with documented defaults (docs/config.md is the reference).
 *
 * <p>Building: {@link org.gradguard.config.RunFactory} loads the data ({@link
 * org.gradguard.config.DataBuilder}), builds the model ({@link org.gradguard.config.ModelBuilder},
 * which follows the shape of one example through the layers and reports mismatches with both
 * shapes) and the loss ({@link org.gradguard.config.LossBuilder}).
 */
package org.gradguard.config;
