package org.gradguard.train;

import java.util.concurrent.TimeUnit;

/**
 * The JVM shutdown hook behind {@link Trainer.Builder#stopOnInterrupt}: on Ctrl-C (SIGINT) or
 * SIGTERM the JVM starts its shutdown hooks while the training thread keeps running; this hook asks
 * the trainer to stop after the current step and waits (up to {@link #WAIT_SECONDS}) until {@code
 * fit()} has written its checkpoint and returned. A shutdown hook needs no JDK-internal signal API.
 */
final class InterruptHook {
  /** How long the hook waits for the trainer to write its checkpoint. */
  static final long WAIT_SECONDS = 300;

  private InterruptHook() {}

  /** The hook's body, without registering it: what the signal triggers. */
  static Runnable body(Trainer trainer) {
    return () -> {
      trainer.requestStop();
      try {
        trainer.awaitFinished(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Registers a hook for {@code trainer}; returns it for {@link #remove}. */
  static Thread install(Trainer trainer) {
    Thread t = new Thread(body(trainer), "gradguard-interrupt");
    Runtime.getRuntime().addShutdownHook(t);
    return t;
  }

  /** Unregisters {@code hook} (null: nothing), unless the JVM is already shutting down. */
  static void remove(Thread hook) {
    if (hook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it is waiting for fit() to finish, which it now has
    }
  }
}
