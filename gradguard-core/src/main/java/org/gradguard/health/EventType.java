package org.gradguard.health;

/** The symptoms the detectors recognise. */
public enum EventType {
  /** A gradient entry, the loss or an activation output is NaN or infinite. */
  NON_FINITE,
  /** Gradients too large: a spike of the global norm, or norms growing toward the input. */
  EXPLODING,
  /** Gradients too small: early layers (or early time steps) starved, or norms below a floor. */
  VANISHING,
  /** Sigmoid or tanh outputs pinned near their bounds, where the derivative is near 0. */
  SATURATION,
  /** ReLU-family units that are inactive for the whole batch and so receive no gradient. */
  DEAD_UNITS,
  /** The update:parameter ratio outside its healthy band for many steps. */
  UPDATE_RATIO
}
