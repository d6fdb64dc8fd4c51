package org.gradguard.data;

import org.gradguard.tensor.MersenneTwister;
import org.gradguard.tensor.Rng;

/**
 * The order in which a {@link DataLoader} visits the examples of each epoch: a permutation of
 * {@code 0 … size−1} that is a pure function of (size, epoch), so a loader restored to a position
 * reproduces the original's batches.
 *
 * <ul>
 *   <li>{@link #sequential()}: the identity, every epoch.
 *   <li>{@link #shuffled(long)}: GradGuard's order, a Fisher–Yates shuffle by an {@link Rng} seeded
 *       from the seed and the epoch together (any epoch costs one shuffle).
 *   <li>{@link #pytorch(long)}: PyTorch's: epoch {@code e} is the {@code (e+1)}-th {@code
 *       torch.randperm(size, generator=g)} of {@code g = torch.Generator().manual_seed(seed)}, as a
 *       training loop that draws one permutation per epoch gets. (PyTorch's {@code RandomSampler}
 *       draws one extra permutation per epoch and its {@code DataLoader} a worker seed, so theirs
 *       are other sequences.)
 * </ul>
 */
public interface EpochOrder {
  /**
   * The order of epoch {@code epoch} over {@code size} examples; a new array the caller may keep.
   *
   * @param size {@code >= 1}
   * @param epoch {@code >= 0}
   */
  int[] order(int size, int epoch);

  /** Every epoch in dataset order. */
  static EpochOrder sequential() {
    return new Sequential();
  }

  /** GradGuard's shuffled order, a pure function of (seed, epoch). */
  static EpochOrder shuffled(long seed) {
    return new Shuffled(seed);
  }

  /** PyTorch's shuffled order for {@code seed} (see the class comment). */
  static EpochOrder pytorch(long seed) {
    return new PyTorch(seed);
  }

  /** The identity order. */
  record Sequential() implements EpochOrder {
    @Override
    public int[] order(int size, int epoch) {
      int[] p = new int[size];
      for (int i = 0; i < size; i++) {
        p[i] = i;
      }
      return p;
    }
  }

  /** GradGuard's order: {@code new Rng(epochSeed(seed, epoch)).shuffle(identity)}. */
  record Shuffled(long seed) implements EpochOrder {
    @Override
    public int[] order(int size, int epoch) {
      int[] p = new Sequential().order(size, epoch);
      new Rng(epochSeed(seed, epoch)).shuffle(p);
      return p;
    }

    /** A seed for one epoch's generator: SplitMix64's finalizer over the seed and the epoch. */
    static long epochSeed(long seed, int epoch) {
      long z = seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L));
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /**
   * PyTorch's order: the permutations of one {@link MersenneTwister} in sequence. Epoch {@code e}
   * needs the {@code e} permutations before it, so the generator is kept after each call and
   * replayed from the seed only when an earlier epoch (or another size) is asked for.
   */
  final class PyTorch implements EpochOrder {
    private final long seed;
    private MersenneTwister generator;
    private int nextEpoch;
    private int size = -1;

    PyTorch(long seed) {
      this.seed = seed;
    }

    /** The seed of the generator. */
    public long seed() {
      return seed;
    }

    @Override
    public synchronized int[] order(int size, int epoch) {
      if (epoch < 0) {
        throw new IllegalArgumentException("EpochOrder.pytorch: epoch must be >= 0, got " + epoch);
      }
      if (generator == null || size != this.size || epoch < nextEpoch) {
        generator = new MersenneTwister(seed);
        nextEpoch = 0;
        this.size = size;
      }
      int[] p;
      do {
        p = generator.randperm(size);
        nextEpoch++;
      } while (nextEpoch <= epoch);
      return p;
    }

    @Override
    public String toString() {
      return "PyTorch[seed=" + seed + "]";
    }
  }
}
