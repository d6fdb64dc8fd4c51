/**
 * Dense float32 tensors and the kernels beneath them.
 *
 * <p>{@link org.gradguard.tensor.Tensor} is a row-major, contiguous array with an immutable shape;
 * operations broadcast like NumPy and validate their arguments with messages naming the operation
 * and the shapes. The arithmetic runs on the current {@link org.gradguard.tensor.Backend} (the
 * Vector API kernels when the JVM has {@code jdk.incubator.vector}, else {@link
 * org.gradguard.tensor.ReferenceBackend}: see {@link org.gradguard.tensor.Backends}), so faster
 * kernels can be swapped in without touching anything above; parallel kernels share the pool of
 * {@link org.gradguard.tensor.Parallel}. Randomness always comes from an explicit, seeded {@link
 * org.gradguard.tensor.Rng}, or, to draw the numbers a PyTorch run with the same seed draws, from a
 * {@link org.gradguard.tensor.MersenneTwister}.
 *
 * <p>This package depends on nothing else in GradGuard.
 */
package org.gradguard.tensor;
