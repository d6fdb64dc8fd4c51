package org.gradguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link JitWarmup} against a fake clock: every action takes 0.1 s. */
class JitWarmupTest {
  /** A clock and a JIT that compiles for 10 ms per action until action {@code compileUntil}. */
  private static final class Fake {
    final long compileUntil;
    long actions;
    long compileMillis;

    Fake(long compileUntil) {
      this.compileUntil = compileUntil;
    }

    void act() {
      actions++;
      if (actions <= compileUntil) {
        compileMillis += 10;
      }
    }

    JitWarmup warmup(long minSteps, double quiet, double max) {
      return new JitWarmup(minSteps, quiet, max, () -> compileMillis, () -> actions * 100_000_000L);
    }
  }

  @Test
  void withoutTheJitCheckItRunsExactlyTheMinimum() {
    Fake f = new Fake(Long.MAX_VALUE);
    JitWarmup.Result r = f.warmup(7, 0, 0).run(f::act);
    assertEquals(7, r.steps());
    assertEquals(7, f.actions);
    assertTrue(r.quiet());
  }

  @Test
  void itStopsAfterAQuietWindowOnceCompilationEnds() {
    Fake f = new Fake(30); // compiling for the first 3 s
    JitWarmup.Result r = f.warmup(2, 1.0, 30).run(f::act);
    assertTrue(r.quiet());
    // windows of 1 s (10 actions) from action 2: [2, 12), [12, 22) and [22, 32) see the JIT
    // compile; [32, 42) is the first quiet one
    assertEquals(42, r.steps());
    assertEquals(4.2, r.seconds(), 1e-9);
  }

  @Test
  void itGivesUpAtTheLimitWhileTheJitKeepsCompiling() {
    Fake f = new Fake(Long.MAX_VALUE);
    JitWarmup.Result r = f.warmup(0, 1.0, 5).run(f::act);
    assertFalse(r.quiet());
    assertEquals(50, r.steps());
  }

  @Test
  void aQuietWindowNeedsSeveralActions() {
    // one action of 2 s: a window of 1 s must still see MIN_WINDOW_STEPS actions
    long[] t = {0};
    JitWarmup w = new JitWarmup(0, 1.0, 60, () -> 0L, () -> t[0]);
    JitWarmup.Result r = w.run(() -> t[0] += 2_000_000_000L);
    assertTrue(r.quiet());
    assertEquals(JitWarmup.MIN_WINDOW_STEPS, r.steps());
  }

  @Test
  void badSettingsAreNamed() {
    assertEquals(
        "JitWarmup: minSteps must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> new JitWarmup(-1, 1, 2)).getMessage());
    assertEquals(
        "JitWarmup: quietSeconds must be a finite number >= 0, got NaN",
        assertThrows(IllegalArgumentException.class, () -> new JitWarmup(0, Double.NaN, 2))
            .getMessage());
    assertEquals(
        "JitWarmup: maxSeconds must be finite and >= quietSeconds (2.0), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new JitWarmup(0, 2, 1)).getMessage());
  }
}
