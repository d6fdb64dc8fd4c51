/**
 * Layers, models, losses and initialisers.
 *
 * <p>{@link org.gradguard.nn.Module} holds named children, {@link org.gradguard.nn.Parameter}s and
 * buffers with PyTorch's state-dict names and tensor layouts, and knows which layer owns each
 * parameter, in order of depth ({@link org.gradguard.nn.ParameterInfo}), so gradient statistics can
 * be reported per layer.
 *
 * <p>Depends on {@code org.gradguard.tensor} and {@code org.gradguard.autograd}.
 */
package org.gradguard.nn;
