package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#forRange} on its worker team: every index exactly once, the same chunks for the
 * same thread count, failures rethrown on the caller, and nested or concurrent calls completing
 * (run in turn when the team is busy).
 */
class ParallelTest {
  private final int saved = Parallel.threads();

  @AfterEach
  void restore() {
    Parallel.setThreads(saved);
  }

  @Test
  void everyIndexRunsExactlyOnceForEveryThreadCount() {
    for (int threads = 1; threads <= 4; threads++) {
      Parallel.setThreads(threads);
      for (int n : new int[] {1, 2, 3, 7, 64, 1001}) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        for (int rep = 0; rep < 50; rep++) {
          Parallel.forRange(
              n,
              10_000_000L,
              (from, to) -> {
                for (int i = from; i < to; i++) {
                  hits.incrementAndGet(i);
                }
              });
        }
        for (int i = 0; i < n; i++) {
          assertEquals(50, hits.get(i), "threads=" + threads + " n=" + n + " index " + i);
        }
      }
    }
  }

  @Test
  void chunksAreContiguousAndTheFirstRunsOnTheCaller() {
    Parallel.setThreads(3);
    int[] owner = new int[9];
    Thread caller = Thread.currentThread();
    boolean[] firstOnCaller = new boolean[1];
    Parallel.forRange(
        9,
        10_000_000L,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            owner[i] = from;
          }
          if (from == 0) {
            firstOnCaller[0] = Thread.currentThread() == caller;
          }
        });
    assertEquals("[0, 0, 0, 3, 3, 3, 6, 6, 6]", java.util.Arrays.toString(owner));
    assertTrue(firstOnCaller[0]);
  }

  @Test
  void aFailureInAnyChunkIsRethrownOnTheCaller() {
    Parallel.setThreads(2);
    IllegalStateException boom = new IllegalStateException("boom");
    for (int failing = 0; failing < 2; failing++) {
      int f = failing;
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  Parallel.forRange(
                      2,
                      10_000_000L,
                      (from, to) -> {
                        if (from == f) {
                          throw boom;
                        }
                      }));
      assertSame(boom, e);
    }
    // the team still works afterwards
    AtomicIntegerArray hits = new AtomicIntegerArray(2);
    Parallel.forRange(2, 10_000_000L, (from, to) -> hits.incrementAndGet(from));
    assertEquals(1, hits.get(0));
    assertEquals(1, hits.get(1));
  }

  @Test
  void nestedAndConcurrentCallsComplete() throws Exception {
    Parallel.setThreads(2);
    AtomicIntegerArray hits = new AtomicIntegerArray(16);
    Parallel.forRange(
        4,
        10_000_000L,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int base = i * 4;
            Parallel.forRange(
                4,
                10_000_000L,
                (a, b) -> {
                  for (int j = a; j < b; j++) {
                    hits.incrementAndGet(base + j);
                  }
                });
          }
        });
    for (int i = 0; i < 16; i++) {
      assertEquals(1, hits.get(i), "nested index " + i);
    }
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      AtomicIntegerArray counts = new AtomicIntegerArray(3 * 100);
      Future<?>[] fs = new Future<?>[3];
      for (int c = 0; c < 3; c++) {
        int base = c * 100;
        fs[c] =
            callers.submit(
                () -> {
                  for (int rep = 0; rep < 200; rep++) {
                    Parallel.forRange(
                        100,
                        10_000_000L,
                        (from, to) -> {
                          for (int i = from; i < to; i++) {
                            counts.incrementAndGet(base + i);
                          }
                        });
                  }
                });
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (int i = 0; i < 300; i++) {
        assertEquals(200, counts.get(i), "concurrent index " + i);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void theSpinSettingIsValidatedAndNamed() {
    assertEquals(0, WorkerTeam.spinNanos(null));
    assertEquals(0, WorkerTeam.spinNanos(" "));
    assertEquals(50_000, WorkerTeam.spinNanos("50"));
    for (String bad : new String[] {"-1", "x", "10001"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> WorkerTeam.spinNanos(bad));
      assertTrue(e.getMessage().contains("gradguard.spinMicros") && e.getMessage().contains(bad));
    }
  }
}
