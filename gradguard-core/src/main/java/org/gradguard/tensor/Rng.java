package org.gradguard.tensor;

import java.util.Arrays;

/**
 * An explicit, seeded pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018), seeded
 * through SplitMix64.
 *
 * <p>GradGuard never draws from a hidden global generator: every random tensor, shuffle and dropout
 * mask takes an {@code Rng}. The algorithm is fixed here rather than borrowed from the JDK so that
 * the same seed gives the same numbers on every JDK, and its state can be exported into a
 * checkpoint ({@link #state()}) and restored ({@link #restore(long[])}).
 *
 * <p>Not thread-safe: give each thread its own generator with {@link #split()}.
 */
public final class Rng {
  private long s0;
  private long s1;
  private long s2;
  private long s3;

  /** A generator whose whole sequence is determined by {@code seed}. */
  public Rng(long seed) {
    long x = seed;
    x += 0x9E3779B97F4A7C15L;
    s0 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s1 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s2 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s3 = mix(x);
  }

  private Rng(long[] state) {
    restore(state);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The next 64 uniformly distributed bits. Advances the state. */
  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform integer in [0, bound), without modulo bias (Lemire's method). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("nextInt: bound must be > 0, got " + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (0x100000000L - bound) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /**
   * A standard normal draw by the Box–Muller transform. Each call consumes two uniforms and uses
   * one of the two normals, so that the sequence depends only on the number of calls (no cached
   * spare that a checkpoint would have to carry).
   */
  public double nextGaussian() {
    double u1 = nextDouble();
    double u2 = nextDouble();
    // 1 - u1 lies in (0, 1], so the logarithm is finite.
    return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Shuffles {@code a} in place (Fisher–Yates). Modified: {@code a}. */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * A new, independent generator seeded from this one's next output. Advances this generator by one
   * step. Use it to give each component or thread its own stream.
   */
  public Rng split() {
    return new Rng(nextLong());
  }

  /** The four state words, for checkpoints. */
  public long[] state() {
    return new long[] {s0, s1, s2, s3};
  }

  /** Sets the state exported by {@link #state()}. Modified: this generator. */
  public void restore(long[] state) {
    if (state.length != 4) {
      throw new IllegalArgumentException(
          "Rng.restore: expected 4 state words, got " + state.length);
    }
    if ((state[0] | state[1] | state[2] | state[3]) == 0) {
      throw new IllegalArgumentException("Rng.restore: the all-zero state is invalid");
    }
    s0 = state[0];
    s1 = state[1];
    s2 = state[2];
    s3 = state[3];
  }

  /** A generator continuing from an exported state. */
  public static Rng fromState(long[] state) {
    return new Rng(state.clone());
  }

  @Override
  public String toString() {
    return "Rng" + Arrays.toString(state());
  }
}
