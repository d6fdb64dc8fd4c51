/**
 * Weight initialisers: the functions of {@code torch.nn.init} and the variance-scaling family of
 * Keras and JAX, plus data-dependent LSUV.
 *
 * <p>{@link org.gradguard.nn.init.Init} holds the static functions. Each one overwrites the tensor
 * it is given (<b>modified in place</b>) with draws from an explicit {@link
 * org.gradguard.tensor.Rng} and returns it; the same seed always gives the same numbers. Fans
 * follow PyTorch's layout ({@code [out, in, k...]}, {@link org.gradguard.nn.init.Fans}) for every
 * family, including variance scaling, whose JAX form assumes {@code [..., in, out]}. {@link
 * org.gradguard.nn.init.Nonlinearity} gives {@code calculate_gain}. {@link
 * org.gradguard.nn.init.Lsuv} rescales a whole model's weights on a data batch until each layer's
 * output has unit variance.
 *
 * <p>Depends on {@code org.gradguard.tensor}, {@code org.gradguard.autograd} and {@code
 * org.gradguard.nn}.
 */
package org.gradguard.nn.init;
