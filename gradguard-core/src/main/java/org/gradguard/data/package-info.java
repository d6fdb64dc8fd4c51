/**
 * Data for training: datasets, a seeded data loader, file readers and synthetic tasks.
 *
 * <ul>
 *   <li>{@link org.gradguard.data.Dataset} is a finite, indexed collection of examples that hands
 *       out {@link org.gradguard.data.Batch}es by index; {@link org.gradguard.data.TensorDataset}
 *       holds one in memory; {@link org.gradguard.data.ByteImageDataset} holds 8-bit images as
 *       bytes and converts each batch to float32.
 *   <li>{@link org.gradguard.data.DataLoader} cuts a dataset into batches in the order of an {@link
 *       org.gradguard.data.EpochOrder} (by default a seeded shuffle per epoch; also the identity or
 *       PyTorch's {@code randperm} sequence), a pure function of the epoch, and exposes its
 *       position so a checkpoint can resume mid-epoch.
 *   <li>{@link org.gradguard.data.IdxReader} reads MNIST-style IDX files (plain or gzip); {@link
 *       org.gradguard.data.NamedDatasets} finds and loads {@code mnist} and {@code fashion-mnist};
 *       {@link org.gradguard.data.CsvReader} reads numeric CSV tables.
 *   <li>{@link org.gradguard.data.TeacherTask}, {@link org.gradguard.data.SyntheticTasks} and
 *       {@link org.gradguard.data.AddingProblem} generate tasks in code from a seed.
 * </ul>
 *
 * <p>Readers treat files as untrusted: every size read from a file is bounded before anything is
 * allocated, and bad input raises a {@link org.gradguard.data.DataFormatException} naming the file
 * and the byte offset, or the line and column. Every dataset carries a {@link
 * org.gradguard.data.Dataset#description() description} (name, source or seed, sizes) for
 * provenance. Nothing here draws from a hidden global random generator.
 */
package org.gradguard.data;
