package org.gradguard.tensor;

/**
 * Max and average pooling over {@code planes} independent planes of {@code H × W} (an NCHW tensor
 * has {@code N·C} planes), for a {@link Window2d}. Planes are split across {@link Parallel}; every
 * plane writes only its own outputs, so results do not depend on the thread count.
 *
 * <p>The cost handed to {@link Parallel#forRange} is {@link #OPS_PER_READ} per element a window
 * reads: pooling is scalar, branchy and memory-bound, so one element costs several of the fused
 * multiply-adds the pool's threshold is measured in. Counting one per element kept W5's poolings
 * (64×32 planes of 28×28, then 64×64 of 14×14) on one thread, about 9% of a one-thread step.
 */
public final class PoolKernels {
  private PoolKernels() {}

  /** The cost of reading one input element of a window (a load, a compare or add, a store). */
  static final long OPS_PER_READ = 4;

  /**
   * Max pooling with implicit −∞ padding. For every window writes its maximum to {@code out} and
   * the position of that maximum within the input plane ({@code ih·W + iw}) to {@code argmax}. As
   * in PyTorch, the first maximum wins a tie and a NaN in the window is selected (so it
   * propagates). Modified: {@code out}, {@code argmax} ({@code planes·OH·OW} each).
   *
   * <p>The common 2×2 window with stride 2 and no padding runs an unrolled kernel ({@link
   * #maxPool2x2}) that makes the same comparisons in the same order, so its results are identical.
   */
  public static void maxPool(float[] x, int planes, Window2d w, float[] out, int[] argmax) {
    if (isTwoByTwo(w)) {
      maxPool2x2(x, planes, w, out, argmax);
    } else {
      maxPoolGeneral(x, planes, w, out, argmax);
    }
  }

  /** True for a 2×2 window, stride 2, no padding. */
  static boolean isTwoByTwo(Window2d w) {
    return w.kernelH() == 2
        && w.kernelW() == 2
        && w.strideH() == 2
        && w.strideW() == 2
        && w.padH() == 0
        && w.padW() == 0;
  }

  /**
   * {@link #maxPool} for a 2×2 window, stride 2, no padding: every window lies inside the plane, so
   * there are no bounds to clamp; the four candidates are compared in row-major order with the
   * general kernel's rule.
   */
  static void maxPool2x2(float[] x, int planes, Window2d w, float[] out, int[] argmax) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    int width = w.width();
    int inPlane = w.inPlane();
    Parallel.forRange(
        planes,
        (long) w.outPlane() * 4 * OPS_PER_READ,
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * inPlane;
            int o = p * oh * ow;
            for (int i = 0; i < oh; i++) {
              int r0 = 2 * i * width;
              int r1 = r0 + width;
              for (int j = 0; j < ow; j++, o++) {
                int i0 = r0 + 2 * j;
                int i1 = r1 + 2 * j;
                float max = x[in + i0];
                int best = i0;
                float v = x[in + i0 + 1];
                if (v > max || v != v) {
                  max = v;
                  best = i0 + 1;
                }
                v = x[in + i1];
                if (v > max || v != v) {
                  max = v;
                  best = i1;
                }
                v = x[in + i1 + 1];
                if (v > max || v != v) {
                  max = v;
                  best = i1 + 1;
                }
                out[o] = max;
                argmax[o] = best;
              }
            }
          }
        });
  }

  /** {@link #maxPool} for any window. */
  static void maxPoolGeneral(float[] x, int planes, Window2d w, float[] out, int[] argmax) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    int height = w.height();
    int width = w.width();
    int kh = w.kernelH();
    int kw = w.kernelW();
    int sh = w.strideH();
    int sw = w.strideW();
    int ph = w.padH();
    int pw = w.padW();
    int inPlane = w.inPlane();
    Parallel.forRange(
        planes,
        (long) w.outPlane() * w.kernelSize() * OPS_PER_READ,
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * inPlane;
            int o = p * oh * ow;
            for (int i = 0; i < oh; i++) {
              int h0 = i * sh - ph;
              int h1 = Math.min(h0 + kh, height);
              h0 = Math.max(h0, 0);
              for (int j = 0; j < ow; j++, o++) {
                int w0 = j * sw - pw;
                int w1 = Math.min(w0 + kw, width);
                w0 = Math.max(w0, 0);
                int best = h0 * width + w0;
                float max = Float.NEGATIVE_INFINITY;
                for (int ih = h0; ih < h1; ih++) {
                  int row = ih * width;
                  for (int iw = w0; iw < w1; iw++) {
                    float v = x[in + row + iw];
                    if (v > max || v != v) { // v != v: NaN is selected, as in PyTorch
                      max = v;
                      best = row + iw;
                    }
                  }
                }
                out[o] = max;
                argmax[o] = best;
              }
            }
          }
        });
  }

  /**
   * The adjoint of {@link #maxPool}: adds each upstream value to the input position of its window's
   * maximum, so positions that win several overlapping windows accumulate. Modified: {@code dx}
   * ({@code planes·H·W}, accumulated into).
   */
  public static void maxPoolBackward(
      float[] gradOut, int[] argmax, int planes, Window2d w, float[] dx) {
    int op = w.outPlane();
    Parallel.forRange(
        planes,
        // a scattered add per output: about as costly as the forward's four reads
        (long) op * 4 * OPS_PER_READ,
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * w.inPlane();
            for (int o = p * op; o < (p + 1) * op; o++) {
              dx[in + argmax[o]] += gradOut[o];
            }
          }
        });
  }

  /**
   * The number each window's sum is divided by: {@code kh·kw} when {@code countIncludePad} (with
   * {@code ceil_mode=False} every window lies inside the padded input), else the number of window
   * elements inside the unpadded input, as PyTorch's {@code count_include_pad}.
   */
  private static int divisor(Window2d w, int h0, int h1, int w0, int w1, boolean countIncludePad) {
    return countIncludePad ? w.kernelSize() : (h1 - h0) * (w1 - w0);
  }

  /**
   * Average pooling with zero padding; sums are accumulated in double and rounded once. Modified:
   * {@code out} ({@code planes·OH·OW}).
   */
  public static void avgPool(
      float[] x, int planes, Window2d w, boolean countIncludePad, float[] out) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    Parallel.forRange(
        planes,
        (long) w.outPlane() * w.kernelSize() * OPS_PER_READ,
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * w.inPlane();
            for (int i = 0; i < oh; i++) {
              int h0 = Math.max(i * w.strideH() - w.padH(), 0);
              int h1 = Math.min(i * w.strideH() - w.padH() + w.kernelH(), w.height());
              for (int j = 0; j < ow; j++) {
                int w0 = Math.max(j * w.strideW() - w.padW(), 0);
                int w1 = Math.min(j * w.strideW() - w.padW() + w.kernelW(), w.width());
                double sum = 0;
                for (int ih = h0; ih < h1; ih++) {
                  for (int iw = w0; iw < w1; iw++) {
                    sum += x[in + ih * w.width() + iw];
                  }
                }
                out[(p * oh + i) * ow + j] =
                    (float) (sum / divisor(w, h0, h1, w0, w1, countIncludePad));
              }
            }
          }
        });
  }

  /**
   * The adjoint of {@link #avgPool}: spreads each upstream value, divided by its window's divisor,
   * over the window's in-bounds inputs. Modified: {@code dx} ({@code planes·H·W}, accumulated
   * into).
   */
  public static void avgPoolBackward(
      float[] gradOut, int planes, Window2d w, boolean countIncludePad, float[] dx) {
    int oh = w.outHeight();
    int ow = w.outWidth();
    Parallel.forRange(
        planes,
        (long) w.outPlane() * w.kernelSize() * OPS_PER_READ,
        (from, to) -> {
          for (int p = from; p < to; p++) {
            int in = p * w.inPlane();
            for (int i = 0; i < oh; i++) {
              int h0 = Math.max(i * w.strideH() - w.padH(), 0);
              int h1 = Math.min(i * w.strideH() - w.padH() + w.kernelH(), w.height());
              for (int j = 0; j < ow; j++) {
                int w0 = Math.max(j * w.strideW() - w.padW(), 0);
                int w1 = Math.min(j * w.strideW() - w.padW() + w.kernelW(), w.width());
                float share =
                    (float)
                        ((double) gradOut[(p * oh + i) * ow + j]
                            / divisor(w, h0, h1, w0, w1, countIncludePad));
                for (int ih = h0; ih < h1; ih++) {
                  for (int iw = w0; iw < w1; iw++) {
                    dx[in + ih * w.width() + iw] += share;
                  }
                }
              }
            }
          }
        });
  }
}
