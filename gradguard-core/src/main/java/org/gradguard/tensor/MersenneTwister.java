package org.gradguard.tensor;

/**
 * MT19937 (Matsumoto and Nishimura, "Mersenne Twister: a 623-dimensionally equidistributed uniform
 * pseudo-random number generator", ACM TOMACS 1998) with the transformations of PyTorch's CPU
 * generator, so that a run seeded with {@code s} can draw exactly the numbers a PyTorch script
 * draws after {@code torch.manual_seed(s)} (or from {@code torch.Generator().manual_seed(s)}).
 *
 * <p>What is reproduced, number for number (checked against PyTorch in the tests):
 *
 * <ul>
 *   <li>{@link #nextUInt32()}: the generator's 32-bit output, MT19937 seeded by {@code
 *       init_genrand} with the low 32 bits of the seed (the C++ {@code std::mt19937(seed)});
 *   <li>{@link #uniform(float, float)}: {@code tensor.uniform_(from, to)} on a float32 tensor, one
 *       32-bit draw per element in row-major order: {@code ((u & (2²⁴−1))·2⁻²⁴)·(to − from) + from}
 *       in double, rounded to float;
 *   <li>{@link #randperm(int)}: {@code torch.randperm(n, generator=g)}: the identity, then for
 *       {@code i = 0 … n−2} swap position {@code i} with {@code i + u mod (n − i)}.
 * </ul>
 *
 * Normal draws are not reproduced (PyTorch vectorises Box–Muller for tensors of 16 or more
 * elements). GradGuard's own streams use {@link Rng}; this generator exists for parity with PyTorch
 * runs. Not thread-safe.
 */
public final class MersenneTwister {
  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908B0DF;
  private static final int UPPER_MASK = 0x80000000;
  private static final int LOWER_MASK = 0x7FFFFFFF;

  private final int[] mt = new int[N];
  private int index;

  /**
   * The generator of {@code torch.manual_seed(seed)}: MT19937 seeded with the seed's low 32 bits.
   */
  public MersenneTwister(long seed) {
    mt[0] = (int) seed;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  /** The next 32-bit output, as an unsigned value in {@code [0, 2³²)}. */
  public long nextUInt32() {
    if (index >= N) {
      twist();
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9D2C5680;
    y ^= (y << 15) & 0xEFC60000;
    y ^= y >>> 18;
    return y & 0xFFFFFFFFL;
  }

  private void twist() {
    for (int i = 0; i < N; i++) {
      int y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % N] & LOWER_MASK);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
    }
    index = 0;
  }

  /**
   * One float drawn as PyTorch's {@code uniform_} draws each element of a float32 tensor: the low
   * 24 bits of a 32-bit output scaled to {@code [0, 1)}, then {@code x·(to − from) + from} in
   * double ({@code to − from} in float), rounded to float.
   */
  public float uniform(float from, float to) {
    // PyTorch accumulates this in double (its dist_acctype of float on the CPU), then casts.
    double x = (nextUInt32() & 0xFFFFFF) * 0x1p-24;
    return (float) (x * (to - from) + from);
  }

  /**
   * Fills {@code data} in order as {@code tensor.uniform_(from, to)} fills a contiguous float32
   * tensor; the bounds are rounded to float first, as PyTorch casts them to the tensor's type.
   * Modified: data.
   */
  public void fillUniform(float[] data, double from, double to) {
    float f = (float) from;
    float t = (float) to;
    for (int i = 0; i < data.length; i++) {
      data[i] = uniform(f, t);
    }
  }

  /** A random permutation of {@code 0 … n−1} drawn as {@code torch.randperm(n)} draws it. */
  public int[] randperm(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("MersenneTwister.randperm: n must be >= 0, got " + n);
    }
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = 0; i < n - 1; i++) {
      int z = (int) (nextUInt32() % (n - i));
      int t = p[i];
      p[i] = p[z + i];
      p[z + i] = t;
    }
    return p;
  }
}
