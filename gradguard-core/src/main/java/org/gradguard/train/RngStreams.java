package org.gradguard.train;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Rng;

/**
 * Named random streams derived from one run seed, so that a run is reproducible from its seed and a
 * checkpoint can save and restore every generator that training advances.
 *
 * <p>{@link #get(String) get("dropout")} returns the same {@link Rng} every time it is called with
 * that name; its initial state is a pure function of (seed, name), so the order in which streams
 * are requested does not matter. Give each consumer its own stream when building the run:
 *
 * <pre>{@code
 * RngStreams rngs = RngStreams.of(42);
 * Module model = new Sequential(new Linear(784, 256, rngs.get("init")), ...,
 *     new Dropout(0.1, rngs.get("dropout")), ...);
 * DataLoader loader = new DataLoader(train, 128, rngs.seedFor("data"));
 * Trainer t = Trainer.builder().rngs(rngs)...;
 * }</pre>
 *
 * The trainer writes every stream's four state words into each checkpoint and restores them on
 * resume, so dropout masks continue exactly. (The data loader needs no stream state: its order is a
 * pure function of its seed and the epoch, and its position is checkpointed.)
 *
 * <p>Not thread-safe, like {@link Rng}.
 */
public final class RngStreams {
  private final long seed;
  private final Map<String, Rng> streams = new LinkedHashMap<>();

  private RngStreams(long seed) {
    this.seed = seed;
  }

  /** The streams of run seed {@code seed}. */
  public static RngStreams of(long seed) {
    return new RngStreams(seed);
  }

  /** The run seed. */
  public long seed() {
    return seed;
  }

  /**
   * The stream named {@code name}, created on first use from {@link #seedFor(String)}.
   *
   * @param name non-empty
   */
  public Rng get(String name) {
    checkName(name);
    return streams.computeIfAbsent(name, n -> new Rng(seedFor(n)));
  }

  /**
   * A 64-bit seed that is a pure function of (run seed, name): SplitMix64's finalizer over the seed
   * and the FNV-1a hash of the name's UTF-8 bytes. For consumers that take a seed rather than an
   * {@link Rng}, such as {@link org.gradguard.data.DataLoader}.
   */
  public long seedFor(String name) {
    checkName(name);
    long h = 0xCBF29CE484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L;
    }
    long z = seed ^ h;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The streams created so far, by name, in the order they were created (the live ones). */
  public Map<String, Rng> streams() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(streams));
  }

  /** The state words of every stream created so far, by name (copies). */
  public Map<String, long[]> states() {
    Map<String, long[]> out = new LinkedHashMap<>();
    streams.forEach((k, v) -> out.put(k, v.state()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Sets the streams named in {@code states} to those states, creating any not requested yet (a
   * later {@link #get} returns the restored generator). Streams not named keep their state: a
   * stream absent from a checkpoint had not been created when it was written, so it is still at its
   * initial state in both runs. All states are validated before any is set. Modified: the streams.
   * Not modified: {@code states}.
   */
  public void restore(Map<String, long[]> states) {
    for (Map.Entry<String, long[]> e : states.entrySet()) {
      checkName(e.getKey());
      long[] s = e.getValue();
      if (s == null || s.length != 4 || (s[0] | s[1] | s[2] | s[3]) == 0) {
        throw new IllegalArgumentException(
            "RngStreams.restore: stream '" + e.getKey() + "' needs 4 state words, not all zero");
      }
    }
    states.forEach((k, v) -> get(k).restore(v));
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("RngStreams: stream name must be non-empty");
    }
  }

  @Override
  public String toString() {
    return "RngStreams(seed=" + seed + ", streams=" + streams.keySet() + ")";
  }
}
