/**
 * Define-by-run reverse-mode automatic differentiation.
 *
 * <p>A {@link org.gradguard.autograd.Variable} wraps a {@link org.gradguard.tensor.Tensor}. Each
 * differentiable primitive ({@link org.gradguard.autograd.Op}) is implemented once, in one of the
 * {@code *Ops} classes, with its derivative rule beside its forward, and is recorded through {@link
 * org.gradguard.autograd.Graph#record}. {@code backward()} walks the record in reverse and
 * accumulates gradients into the leaves. Composite operations are built from primitives and have no
 * rule of their own. {@link org.gradguard.autograd.NoGrad} suspends recording; {@link
 * org.gradguard.autograd.GradCheck} checks any function's gradients against finite differences.
 *
 * <p>Depends on {@code org.gradguard.tensor} only.
 */
package org.gradguard.autograd;
