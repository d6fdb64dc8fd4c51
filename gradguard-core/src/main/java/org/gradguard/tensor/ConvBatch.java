package org.gradguard.tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A 2-D convolution of a batch of NCHW images as im2col + GEMM ({@link ConvKernels}), run in
 * parallel over chunks of images on the shared pool.
 *
 * <p><b>Partition.</b> The batch of N images is cut into {@link #chunks} contiguous chunks of
 * nearly equal size, as few as keep each chunk's unfolded columns within a budget ({@code
 * maxColumnFloats}, an L2 cache): chunk c holds images {@code [N·c/chunks, N·(c+1)/chunks)}. Each
 * chunk is one product {@code W[O, C·kh·kw] · cols[C·kh·kw, n·OH·OW]}. The backward pass groups
 * consecutive chunks into {@link #groups} groups (at most {@link #MAX_GROUPS}); a group accumulates
 * its own partial weight and bias gradient over its chunks, and the partials are added in group
 * order, in double, and rounded once. Neither partition depends on the thread count, so the results
 * do not either: every output element is computed by the same operations in the same order
 * whichever thread runs its chunk.
 *
 * <p><b>Threads.</b> Chunks (forward) and groups (backward) are claimed one at a time by the
 * threads of {@link Parallel#forRange}; each thread unfolds its chunks into buffers of its own,
 * reused across calls, and runs the products itself: a kernel called from a task finds the team
 * busy and runs its chunks in turn, so nothing forks twice (when the pool runs the whole batch on
 * the calling thread, the team is idle and a large product may still split). Splitting the batch
 * rather than each product matters for small layers: the products of a 3×3 convolution of 32
 * channels over 14×14 images ({@code [64, 288]·[288, 196]}, 7 MFLOP) are too small to split with
 * profit, but 64 of them are not.
 */
public final class ConvBatch {
  private ConvBatch() {}

  /**
   * The most groups of the backward pass: enough for 16 threads, few enough that the partial weight
   * gradients ({@code groups·O·C·kh·kw} floats, 1.2 MiB for a 3×3 convolution 32→64) stay small.
   */
  public static final int MAX_GROUPS = 16;

  /**
   * The number of chunks: {@code ceil(N / max(1, floor(maxColumnFloats / (C·kh·kw·OH·OW))))}, or 0
   * when {@code images} is 0.
   *
   * @param images the batch size N
   * @param columnsPerImage {@code C·kh·kw·OH·OW}, one image's unfolded columns
   * @param maxColumnFloats the budget of unfolded columns per chunk (at least one image is taken)
   */
  public static int chunks(int images, long columnsPerImage, long maxColumnFloats) {
    if (images < 0 || columnsPerImage < 1 || maxColumnFloats < 1) {
      throw new IllegalArgumentException(
          "ConvBatch.chunks: images must be >= 0 and columnsPerImage, maxColumnFloats >= 1, got "
              + images
              + ", "
              + columnsPerImage
              + ", "
              + maxColumnFloats);
    }
    long perChunk = Math.max(1, Math.min(images, maxColumnFloats / columnsPerImage));
    return (int) ((images + perChunk - 1) / perChunk);
  }

  /** The number of backward groups for {@code chunks} chunks: {@code min(chunks, MAX_GROUPS)}. */
  public static int groups(int chunks) {
    return Math.min(chunks, MAX_GROUPS);
  }

  /**
   * The first of {@code parts} nearly equal contiguous parts of {@code [0, n)}: part i starts here.
   */
  static int start(int n, int parts, int i) {
    return (int) ((long) n * i / parts);
  }

  /**
   * The forward pass {@code out[n,o,i,j] = b[o] + Σ_{c,u,v} W[o,c,u,v] · xpad[n, c, i·sh + u, j·sw
   * + v]} on {@code backend}.
   *
   * @param x the images {@code [N, C, H, W]}; not modified
   * @param weight {@code [O, C, kh, kw]}; not modified
   * @param bias {@code [O]}, or null; not modified
   * @param out {@code [N, O, OH, OW]}; modified (overwritten)
   * @param maxColumnFloats the column budget of a chunk (see {@link #chunks})
   */
  public static void forward(
      Backend backend,
      float[] x,
      int images,
      int channels,
      Window2d w,
      float[] weight,
      int outChannels,
      float[] bias,
      float[] out,
      long maxColumnFloats) {
    int k = channels * w.kernelSize();
    int p = w.outPlane();
    int image = channels * w.inPlane();
    checkSizes("forward", images, channels, w, outChannels);
    checkLength("forward", "x", x, (long) images * image);
    checkLength("forward", "weight", weight, (long) outChannels * k);
    checkLength("forward", "out", out, (long) images * outChannels * p);
    if (bias != null) {
      checkLength("forward", "bias", bias, outChannels);
    }
    int chunks = chunks(images, (long) k * p, maxColumnFloats);
    if (chunks == 0) {
      return;
    }
    int most = ceilDiv(images, chunks);
    eachClaimed(
        chunks,
        2L * outChannels * k * p * most,
        () -> {
          Buffers buf = BUFFERS.get();
          float[] cols = buf.cols((long) k * most * p);
          float[] prod = buf.prod((long) outChannels * most * p);
          return c -> {
            int n0 = start(images, chunks, c);
            int nb = start(images, chunks, c + 1) - n0;
            ConvKernels.im2colBatch(x, n0 * image, nb, channels, w, cols);
            backend.gemm(false, false, outChannels, nb * p, k, weight, 0, cols, 0, prod, 0, false);
            ConvKernels.channelsToImages(prod, outChannels, nb, p, bias, out, n0 * outChannels * p);
          };
        });
  }

  /**
   * The backward pass of {@link #forward} for the upstream gradient {@code G [N, O, OH, OW]}, with
   * {@code G} rearranged per chunk to {@code [O, n·OH·OW]}: {@code ∂W = Σ_chunks G·colsᵀ}, {@code
   * ∂x = col2im(Wᵀ·G)} (a scatter-add), {@code ∂b = Σ G} (in double). The columns are unfolded
   * again, chunk by chunk.
   *
   * @param x the forward input {@code [N, C, H, W]}; not modified
   * @param weight {@code [O, C, kh, kw]}; not modified
   * @param g the upstream gradient; not modified
   * @param gx {@code [N, C, H, W]}, or null when not needed; modified (accumulated into)
   * @param gw {@code [O, C, kh, kw]}, or null when not needed; modified (overwritten)
   * @param gb {@code [O]}, or null when not needed; modified (overwritten)
   * @param maxColumnFloats the column budget of a chunk (see {@link #chunks})
   */
  public static void backward(
      Backend backend,
      float[] x,
      int images,
      int channels,
      Window2d w,
      float[] weight,
      int outChannels,
      float[] g,
      float[] gx,
      float[] gw,
      double[] gb,
      long maxColumnFloats) {
    int k = channels * w.kernelSize();
    int p = w.outPlane();
    int image = channels * w.inPlane();
    checkSizes("backward", images, channels, w, outChannels);
    checkLength("backward", "x", x, (long) images * image);
    checkLength("backward", "weight", weight, (long) outChannels * k);
    checkLength("backward", "g", g, (long) images * outChannels * p);
    if (gx != null) {
      checkLength("backward", "gx", gx, (long) images * image);
    }
    if (gw != null) {
      checkLength("backward", "gw", gw, (long) outChannels * k);
    }
    if (gb != null && gb.length < outChannels) {
      throw new IllegalArgumentException(
          "ConvBatch.backward: gb has " + gb.length + " entries, expected " + outChannels);
    }
    int chunks = chunks(images, (long) k * p, maxColumnFloats);
    int groups = groups(chunks);
    int most = chunks == 0 ? 0 : ceilDiv(images, chunks);
    int wSize = outChannels * k;
    // the partials live in the caller's buffers: the parts write disjoint slices
    Buffers mine = BUFFERS.get();
    float[] partW = gw == null ? null : mine.partialW((long) groups * wSize);
    double[] partB = gb == null ? null : mine.partialB((long) groups * outChannels);
    long perGroup = (long) ceilDiv(chunks, Math.max(1, groups)) * most * p * k * outChannels;
    eachClaimed(
        groups,
        4 * perGroup,
        () -> {
          Buffers buf = BUFFERS.get();
          float[] cols = gw == null ? null : buf.cols((long) k * most * p);
          float[] gT = buf.prod((long) outChannels * most * p);
          float[] dcols = gx == null ? null : buf.dcols((long) k * most * p);
          return q -> {
            if (partB != null) {
              Arrays.fill(partB, q * outChannels, (q + 1) * outChannels, 0.0);
            }
            int firstChunk = start(chunks, groups, q);
            for (int c = firstChunk; c < start(chunks, groups, q + 1); c++) {
              int n0 = start(images, chunks, c);
              int nb = start(images, chunks, c + 1) - n0;
              int cols0 = nb * p;
              ConvKernels.imagesToChannels(g, n0 * outChannels * p, outChannels, nb, p, gT);
              if (partB != null) {
                ConvKernels.addRowSums(gT, outChannels, cols0, partB, q * outChannels);
              }
              if (partW != null) {
                ConvKernels.im2colBatch(x, n0 * image, nb, channels, w, cols);
                backend.gemm(
                    false,
                    true,
                    outChannels,
                    k,
                    cols0,
                    gT,
                    0,
                    cols,
                    0,
                    partW,
                    q * wSize,
                    c > firstChunk);
              }
              if (dcols != null) {
                backend.gemm(true, false, k, cols0, outChannels, weight, 0, gT, 0, dcols, 0, false);
                ConvKernels.col2imBatch(dcols, nb, channels, w, gx, n0 * image);
              }
            }
          };
        });
    if (partW != null) {
      addInOrder(partW, groups, wSize, mine.sum(wSize), gw);
    }
    if (partB != null) {
      for (int o = 0; o < outChannels; o++) {
        double s = 0;
        for (int q = 0; q < groups; q++) {
          s += partB[q * outChannels + o];
        }
        gb[o] = s;
      }
    }
  }

  /**
   * Runs task {@code i} for every {@code i} in {@code [0, tasks)} on up to {@link
   * Parallel#threads()} threads (as {@link Parallel#forRange} decides from the total cost), each
   * thread making its task body once and then claiming the next unclaimed task until none is left.
   * Claiming, rather than a fixed half each, lets the calling thread take over the work of a helper
   * that the operating system has not scheduled yet (on a loaded machine a fixed split waits for
   * it); which thread runs a task never changes its result.
   */
  private static void eachClaimed(int tasks, long costPerTask, Supplier<IntConsumer> perThread) {
    int parts = Math.max(1, Math.min(tasks, Parallel.threads()));
    AtomicInteger next = new AtomicInteger();
    Parallel.forRange(
        parts,
        costPerTask * tasks / parts,
        (from, to) -> {
          IntConsumer task = perThread.get();
          for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
            task.accept(i);
          }
        });
  }

  private static void checkSizes(String op, int images, int channels, Window2d w, int outChannels) {
    if (images < 0 || channels < 1 || outChannels < 1) {
      throw new IllegalArgumentException(
          "ConvBatch."
              + op
              + ": images must be >= 0, channels and outChannels >= 1, got "
              + images
              + ", "
              + channels
              + ", "
              + outChannels
              + " for "
              + w);
    }
  }

  private static void checkLength(String op, String name, float[] a, long expected) {
    if (a.length < expected) {
      throw new IllegalArgumentException(
          "ConvBatch." + op + ": " + name + " has " + a.length + " floats, expected " + expected);
    }
  }

  /**
   * {@code out[i] = (float) Σ_q part[q·size + i]}, added in double in the order q = 0, 1, …, one
   * partial at a time (each a sequential stream). Modified: {@code acc} (scratch), {@code out}.
   */
  private static void addInOrder(float[] part, int groups, int size, double[] acc, float[] out) {
    Arrays.fill(acc, 0, size, 0.0);
    for (int q = 0; q < groups; q++) {
      int base = q * size;
      for (int i = 0; i < size; i++) {
        acc[i] += part[base + i];
      }
    }
    for (int i = 0; i < size; i++) {
      out[i] = (float) acc[i];
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * Scratch arrays, one set per thread and reused across calls (as the GEMM's packing buffers);
   * they grow to the largest layer's chunk: about {@code 3·maxColumnFloats} floats plus one chunk's
   * product, and the partial gradients of the calling thread.
   */
  private static final class Buffers {
    private float[] cols = new float[0];
    private float[] prod = new float[0];
    private float[] dcols = new float[0];
    private float[] partialW = new float[0];
    private double[] partialB = new double[0];
    private double[] sum = new double[0];

    float[] cols(long size) {
      if (cols.length < size) {
        cols = new float[Math.toIntExact(size)];
      }
      return cols;
    }

    float[] prod(long size) {
      if (prod.length < size) {
        prod = new float[Math.toIntExact(size)];
      }
      return prod;
    }

    float[] dcols(long size) {
      if (dcols.length < size) {
        dcols = new float[Math.toIntExact(size)];
      }
      return dcols;
    }

    float[] partialW(long size) {
      if (partialW.length < size) {
        partialW = new float[Math.toIntExact(size)];
      }
      return partialW;
    }

    double[] sum(int size) {
      if (sum.length < size) {
        sum = new double[size];
      }
      return sum;
    }

    double[] partialB(long size) {
      if (partialB.length < size) {
        partialB = new double[Math.toIntExact(size)];
      }
      return partialB;
    }
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
}
