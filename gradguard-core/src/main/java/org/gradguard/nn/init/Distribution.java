package org.gradguard.nn.init;

/**
 * The distribution {@link Init#varianceScaling} draws from, each scaled to the requested variance:
 * a normal, a normal truncated to ±2 standard deviations (of the underlying normal), or a uniform.
 */
public enum Distribution {
  NORMAL,
  TRUNCATED_NORMAL,
  UNIFORM
}
