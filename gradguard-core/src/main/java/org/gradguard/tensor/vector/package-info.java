/**
 * The Vector API backend: {@link org.gradguard.tensor.vector.VectorBackend} and its package-private
 * kernels (packed GEMM, matrix-vector products, elementwise maps and zips, reductions, polynomial
 * transcendentals that round identically in every execution mode, the dense training step's
 * optimizer, activation-gradient and batch-norm column kernels, and 8-bit pixels to float).
 *
 * <p>Everything that touches {@code jdk.incubator.vector} lives here, so a JVM started without
 * {@code --add-modules jdk.incubator.vector} never loads it: {@link org.gradguard.tensor.Backends}
 * probes for the module and loads this backend by name. The JVM prints {@code WARNING: Using
 * incubator modules: jdk.incubator.vector} once at start-up whenever the module is added; it cannot
 * be switched off and is harmless.
 */
package org.gradguard.tensor.vector;
