package org.gradguard.health;

/** How urgent a health event is. */
public enum Severity {
  /** Worth knowing; training is not at risk yet. */
  INFO,
  /** Training is degraded (slow or stuck layers, drifting statistics). */
  WARNING,
  /** Training is failing or about to (non-finite values, runaway norms). */
  CRITICAL
}
