package org.gradguard.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Runs an action until the JIT compiler has gone quiet: the warm-up of a throughput measurement.
 *
 * <p>Why a fixed number of warm-up steps is not enough: until C2 has compiled a Vector API loop,
 * the loop runs the API's boxed Java fallback, many times slower; on a 2-core machine the compiler
 * threads also compete with the kernel threads for the cores. A W1 step at 2 threads measured over
 * 5 s after 20 warm-up steps ran at 18,300 samples/s, and at 28,200 after 3,000 steps (both on the
 * same idle 2-vCPU machine, 2026-11-30): the first figure measured the compiler, not the kernels.
 *
 * <p>The rule: run at least {@code minSteps}; then keep going until, over a window of at least
 * {@code quietSeconds}, the JVM's total compilation time ({@link
 * CompilationMXBean#getTotalCompilationTime}) grew by less than 1% of the window, or until {@code
 * maxSeconds} have passed (then {@link Result#quiet} is false). The window covers at least {@code
 * MIN_WINDOW_STEPS} actions so that a slow action still gives the JIT something to see.
 */
final class JitWarmup {
  /** The least number of actions in one quiet window. */
  static final int MIN_WINDOW_STEPS = 5;

  /** What the warm-up did. */
  record Result(long steps, double seconds, boolean quiet) {}

  private final long minSteps;
  private final double quietSeconds;
  private final double maxSeconds;
  private final LongSupplier compileMillis;
  private final LongSupplier nanoTime;

  /**
   * @param minSteps actions to run whatever the JIT does (≥ 0)
   * @param quietSeconds length of the quiet window; 0 turns the JIT check off (only {@code
   *     minSteps})
   * @param maxSeconds the longest warm-up (≥ {@code quietSeconds})
   */
  JitWarmup(long minSteps, double quietSeconds, double maxSeconds) {
    this(minSteps, quietSeconds, maxSeconds, JitWarmup::totalCompilationMillis, System::nanoTime);
  }

  JitWarmup(
      long minSteps,
      double quietSeconds,
      double maxSeconds,
      LongSupplier compileMillis,
      LongSupplier nanoTime) {
    if (minSteps < 0) {
      throw new IllegalArgumentException("JitWarmup: minSteps must be >= 0, got " + minSteps);
    }
    if (!(quietSeconds >= 0) || Double.isInfinite(quietSeconds)) {
      throw new IllegalArgumentException(
          "JitWarmup: quietSeconds must be a finite number >= 0, got " + quietSeconds);
    }
    if (!(maxSeconds >= quietSeconds) || Double.isInfinite(maxSeconds)) {
      throw new IllegalArgumentException(
          "JitWarmup: maxSeconds must be finite and >= quietSeconds ("
              + quietSeconds
              + "), got "
              + maxSeconds);
    }
    this.minSteps = minSteps;
    this.quietSeconds = quietSeconds;
    this.maxSeconds = maxSeconds;
    this.compileMillis = compileMillis;
    this.nanoTime = nanoTime;
  }

  /** Runs {@code action} until warm, as the class documentation says. */
  Result run(Runnable action) {
    long start = nanoTime.getAsLong();
    long steps = 0;
    for (; steps < minSteps; steps++) {
      action.run();
    }
    if (quietSeconds == 0) {
      return new Result(steps, seconds(start), true);
    }
    long windowStart = nanoTime.getAsLong();
    long windowCompile = compileMillis.getAsLong();
    long windowSteps = 0;
    while (true) {
      double window = seconds(windowStart);
      if (window >= quietSeconds && windowSteps >= MIN_WINDOW_STEPS) {
        long compiled = compileMillis.getAsLong() - windowCompile;
        if (compiled < 0.01 * window * 1000) {
          return new Result(steps, seconds(start), true);
        }
        windowStart = nanoTime.getAsLong();
        windowCompile = compileMillis.getAsLong();
        windowSteps = 0;
      }
      if (seconds(start) >= maxSeconds) {
        return new Result(steps, seconds(start), false);
      }
      action.run();
      steps++;
      windowSteps++;
    }
  }

  private double seconds(long since) {
    return (nanoTime.getAsLong() - since) / 1e9;
  }

  /**
   * The JVM's accumulated JIT compilation time in milliseconds, or a value that grows with the
   * clock when the JVM cannot tell (then the warm-up lasts {@code maxSeconds}).
   */
  static long totalCompilationMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return System.nanoTime() / 1_000_000L;
    }
    return jit.getTotalCompilationTime();
  }
}
