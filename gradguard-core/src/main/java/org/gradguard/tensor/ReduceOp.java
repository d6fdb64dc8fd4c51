package org.gradguard.tensor;

/** Reductions along one axis. Sums accumulate in double precision. */
public enum ReduceOp {
  SUM,
  MAX,
  MIN
}
