package org.gradguard.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gradguard.train.Trainer;

/**
 * What Ctrl-C (SIGINT) or SIGTERM does to a command that trains: every trainer registered here
 * stops after its current step (writing its checkpoint and result), and the JVM waits until the
 * command has also written what it writes after training — the report, the table — before it exits
 * with 130 (143 for SIGTERM).
 *
 * <p>Why not the trainer's own hook ({@link Trainer.Builder#stopOnInterrupt}): it waits only for
 * {@code fit()} to return, so the JVM could exit while the command was still writing {@code
 * report.html}, and a comparison would lose the variants that had not finished. The JVM starts its
 * shutdown hooks on the signal while the command's threads keep running; this hook asks the
 * trainers to stop and then waits (at most {@link #WAIT_SECONDS}) for {@link #close()}, which the
 * command calls when it is done. A shutdown hook needs no JDK-internal signal API.
 *
 * <pre>{@code
 * try (GracefulStop stop = GracefulStop.install()) {
 *   stop.add(trainer);
 *   trainer.fit();
 *   writeReport();
 * }
 * }</pre>
 */
final class GracefulStop implements AutoCloseable {
  /** How long the signal waits for the command to finish writing. */
  static final long WAIT_SECONDS = 300;

  private final List<Trainer> trainers = new CopyOnWriteArrayList<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean signalled;

  private GracefulStop(boolean register) {
    hook = new Thread(this::onSignal, "gradguard-stop");
    if (register) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** Registers the JVM shutdown hook; {@link #close()} removes it. */
  static GracefulStop install() {
    return new GracefulStop(true);
  }

  /** One without a JVM hook, for tests: {@link #onSignal} is then called directly. */
  static GracefulStop detached() {
    return new GracefulStop(false);
  }

  /** Stops {@code trainer} on the signal (at once when the signal has already come). */
  void add(Trainer trainer) {
    trainers.add(trainer);
    if (signalled) {
      trainer.requestStop();
    }
  }

  /** Whether the signal has come. */
  boolean signalled() {
    return signalled;
  }

  /** The hook's body: asks every trainer to stop, then waits for {@link #close()}. */
  void onSignal() {
    signal();
    try {
      done.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks every trainer to stop, without waiting. */
  void signal() {
    signalled = true;
    for (Trainer t : trainers) {
      t.requestStop();
    }
  }

  /** The command is done: lets a waiting signal go on to exit, and removes the hook. */
  @Override
  public void close() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook); // false, harmlessly, for a detached one
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it was waiting for this close(), and now returns
    }
  }
}
