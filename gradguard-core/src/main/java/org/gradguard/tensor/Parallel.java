package org.gradguard.tensor;

/**
 * The shared pool on which naturally parallel kernels run.
 *
 * <p>The thread count is, in order of precedence: {@link #setThreads(int)}, the environment
 * variable {@code GRADGUARD_THREADS}, or the number of available processors. Work is split into
 * contiguous index ranges that write disjoint outputs, so results do not depend on scheduling; they
 * are bit-identical for the same thread count. Kernels split only work that is large enough to pay
 * for the hand-off (see {@link #forRange}); the helper threads are a small persistent team (see
 * {@code WorkerTeam}).
 */
public final class Parallel {
  /** The environment variable that sets the default thread count. */
  public static final String THREADS_ENV = "GRADGUARD_THREADS";

  private static volatile int threads = defaultThreads();
  private static WorkerTeam team;

  private Parallel() {}

  private static int defaultThreads() {
    String env = System.getenv(THREADS_ENV);
    if (env != null && !env.isBlank()) {
      try {
        int n = Integer.parseInt(env.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the error below
      }
      throw new IllegalArgumentException(
          THREADS_ENV + ": must be a positive integer, got '" + env + "'");
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** The number of threads kernels may use. */
  public static int threads() {
    return threads;
  }

  /** Sets the number of threads kernels may use (at least 1). */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Parallel.setThreads: n must be >= 1, got " + n);
    }
    threads = n;
  }

  /** A body over the half-open index range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} contiguous chunks
   * when {@code n * costPerIndex} exceeds about a million operations; otherwise on the calling
   * thread. The first chunk runs on the calling thread.
   */
  public static void forRange(int n, long costPerIndex, RangeBody body) {
    int t = threads;
    long total = (long) n * Math.max(1, costPerIndex);
    int chunks = (int) Math.min(t, Math.max(1, total / 1_000_000L));
    chunks = Math.min(chunks, n);
    if (chunks <= 1) {
      body.run(0, n);
      return;
    }
    WorkerTeam t2 = team(chunks - 1);
    if (!t2.tryRun(n, chunks, body)) {
      // busy (another thread's kernel, or a kernel inside a kernel): the same chunks, in turn
      for (int c = 0; c < chunks; c++) {
        body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
      }
    }
  }

  private static synchronized WorkerTeam team(int workers) {
    if (team == null || team.size() < workers) {
      team = new WorkerTeam(workers);
    }
    return team;
  }
}
