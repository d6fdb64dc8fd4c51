package org.gradguard.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The persistent helper threads behind {@link Parallel#forRange}: worker {@code w} runs chunk
 * {@code w + 1} of a job while the caller runs chunk 0.
 *
 * <p>Why not an {@code ExecutorService}: a job needs no queue, no {@code Future} per chunk and no
 * executor bookkeeping, only a volatile slot per worker and a park/unpark hand-off, which measured
 * about 5% less overhead per call. A worker that has finished a chunk, and the caller waiting for
 * the workers, may also poll for {@link #SPIN_NANOS} before parking, as OpenMP runtimes do
 * (OMP_WAIT_POLICY, GOMP_SPINCOUNT), so that back-to-back kernels skip the wake-up. That is off by
 * default: on the shared 2-vCPU machine (load 4–9) polling for 50 µs made a two-chunk call 60–80 µs
 * slower and W1 on 2 threads 7% slower, because the poller takes the core the other runnable thread
 * needs. On a quiet machine set {@code -D}{@value #SPIN_PROPERTY}{@code =50} to try it.
 *
 * <p>The workers are daemon threads that live as long as the JVM; a larger team replaces a smaller
 * one when the thread count grows, and the old one stays parked. One job at a time: {@link #tryRun}
 * returns false when the team is busy (another thread's job, or a nested call from a worker), and
 * the caller then runs the chunks itself. Results do not depend on which thread runs a chunk.
 */
final class WorkerTeam {
  /** The system property with the polling time in microseconds (default 0: park at once). */
  static final String SPIN_PROPERTY = "gradguard.spinMicros";

  /** How long an idle worker, or a waiting caller, polls before it parks. */
  static final long SPIN_NANOS = spinNanos(System.getProperty(SPIN_PROPERTY));

  static long spinNanos(String micros) {
    if (micros == null || micros.isBlank()) {
      return 0;
    }
    try {
      long us = Long.parseLong(micros.trim());
      if (us >= 0 && us <= 10_000) {
        return us * 1000;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "WorkerTeam: " + SPIN_PROPERTY + " must be an integer in [0, 10000], got '" + micros + "'");
  }

  /** One {@link Parallel#forRange} call. */
  private static final class Job {
    final int n;
    final int chunks;
    final Parallel.RangeBody body;
    final AtomicInteger pending;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final Thread caller;

    Job(int n, int chunks, Parallel.RangeBody body, Thread caller) {
      this.n = n;
      this.chunks = chunks;
      this.body = body;
      this.pending = new AtomicInteger(chunks - 1);
      this.caller = caller;
    }

    void runChunk(int c) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      body.run(from, to);
    }
  }

  private final Worker[] workers;
  private final AtomicInteger busy = new AtomicInteger();

  WorkerTeam(int size) {
    workers = new Worker[size];
    for (int w = 0; w < size; w++) {
      workers[w] = new Worker(w);
      workers[w].thread.start();
    }
  }

  int size() {
    return workers.length;
  }

  /**
   * Runs {@code body} over {@code [0, n)} in {@code chunks} contiguous chunks (at most {@code
   * size() + 1}), chunk 0 on the calling thread; returns false, having run nothing, when the team
   * is busy.
   */
  boolean tryRun(int n, int chunks, Parallel.RangeBody body) {
    if (!busy.compareAndSet(0, 1)) {
      return false;
    }
    try {
      Job job = new Job(n, chunks, body, Thread.currentThread());
      for (int c = 1; c < chunks; c++) {
        workers[c - 1].post(job, c);
      }
      try {
        job.runChunk(0);
      } catch (RuntimeException | Error e) {
        job.failure.compareAndSet(null, e);
      }
      await(job);
      Throwable t = job.failure.get();
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error err) {
        throw err;
      }
      return true;
    } finally {
      busy.set(0);
    }
  }

  private static void await(Job job) {
    long start = System.nanoTime();
    while (job.pending.get() > 0) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(job, 50_000L);
      }
    }
  }

  private final class Worker implements Runnable {
    final Thread thread;
    private volatile Job job;
    private int chunk;

    Worker(int index) {
      thread = new Thread(this, "gradguard-kernel-" + (index + 1));
      thread.setDaemon(true);
    }

    void post(Job j, int c) {
      chunk = c; // published by the volatile write of job
      job = j;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      while (true) {
        Job j = waitForJob();
        try {
          j.runChunk(chunk);
        } catch (RuntimeException | Error e) {
          j.failure.compareAndSet(null, e);
        } finally {
          job = null;
          if (j.pending.decrementAndGet() == 0) {
            LockSupport.unpark(j.caller);
          }
        }
      }
    }

    private Job waitForJob() {
      long start = System.nanoTime();
      while (true) {
        Job j = job;
        if (j != null) {
          return j;
        }
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
    }
  }
}
