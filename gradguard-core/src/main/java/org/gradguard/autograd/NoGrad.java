package org.gradguard.autograd;

/**
 * A scope in which operations record nothing, like {@code torch.no_grad()}:
 *
 * <pre>{@code
 * try (NoGrad.Scope s = NoGrad.enter()) {
 *   Variable y = model.forward(x); // no graph, no saved tensors
 * }
 * }</pre>
 *
 * Scopes nest and are per thread.
 */
public final class NoGrad {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private NoGrad() {}

  /** A scope to close when recording should resume. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Enters a no-grad scope on this thread. */
  public static Scope enter() {
    int[] depth = DEPTH.get();
    depth[0]++;
    boolean[] closed = new boolean[1];
    return () -> {
      if (!closed[0]) {
        closed[0] = true;
        depth[0]--;
      }
    };
  }

  /** True inside a no-grad scope on this thread. */
  public static boolean active() {
    return DEPTH.get()[0] > 0;
  }
}
