package org.gradguard.tensor.vector;

import jdk.incubator.vector.FloatVector;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.BinaryOp;
import org.gradguard.tensor.PackedOperand;
import org.gradguard.tensor.ReduceOp;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.UnaryOp;

/**
 * Kernels written with the JDK Vector API ({@code jdk.incubator.vector}): a packed, cache- and
 * register-blocked GEMM that runs on the {@link org.gradguard.tensor.Parallel} pool for large
 * products, and vectorised elementwise maps, broadcasting binary operations and reductions.
 *
 * <p>Agreement with {@link ReferenceBackend} (tested by {@code VectorBackend*Test}):
 *
 * <ul>
 *   <li>{@code gemm}: a different summation order (fused multiply-adds, blocks of the depth), so
 *       {@code |Δ| ≤ 1e-5·(1 + Σ_p |op(A)[i,p]·op(B)[p,j]|)} per element; bit-identical for any
 *       thread count. The reference skips zero elements of A, so {@code 0·∞} contributes 0 there
 *       and NaN here. Small products ({@code VectorSmallGemm}) skip the packing and round as the
 *       packed kernel.
 *   <li>{@code map}: exact for NEG, ABS, SQRT, SQUARE, RELU, SIGN, NON_FINITE; within 4 units in
 *       the last place for EXP, LOG, TANH, SIGMOID (see {@code VectorMath}).
 *   <li>{@code zip}: exact.
 *   <li>{@code reduce}: sums in double (bit-identical when the reduced axis is not the last one);
 *       max and min equal in value.
 *   <li>dense-step kernels ({@code VectorDense}, {@code VectorColumns}): bit-identical, the
 *       double-precision ones by widening half-width float vectors and keeping the reference's
 *       operation order; {@code sumOfSquares} adds in a different order, in double; the measured
 *       passes' sums ({@code copyMeasured}, {@code addInPlaceMeasured}) add float-lane blocks,
 *       within 2⁻¹⁹ relative.
 *   <li>{@code unsignedBytesOver255} ({@code VectorBytes}, 8-bit pixels to float): bit-identical.
 * </ul>
 *
 * <p>Instantiate it only when the module {@code jdk.incubator.vector} is present (start the JVM
 * with {@code --add-modules jdk.incubator.vector}); {@link org.gradguard.tensor.Backends} checks
 * and chooses. Stateless and safe for concurrent use.
 */
public final class VectorBackend implements Backend {
  private final ReferenceBackend reference = new ReferenceBackend();

  @Override
  public String name() {
    return "vector";
  }

  /** The name and the vector width in use, e.g. {@code vector[256-bit, 8 floats]}. */
  @Override
  public String toString() {
    return "vector["
        + FloatVector.SPECIES_PREFERRED.vectorBitSize()
        + "-bit, "
        + FloatVector.SPECIES_PREFERRED.length()
        + " floats]";
  }

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      float[] b,
      int bOffset,
      float[] c,
      int cOffset,
      boolean accumulate) {
    if (VectorSmallGemm.handles(m, n, k)) {
      VectorSmallGemm.gemm(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    } else {
      VectorGemm.gemm(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    }
  }

  @Override
  public void map(UnaryOp op, float[] x, float[] out, int n) {
    VectorMap.map(op, x, out, n);
  }

  @Override
  public void zip(
      BinaryOp op,
      float[] a,
      int[] aStrides,
      float[] b,
      int[] bStrides,
      float[] out,
      int[] outShape) {
    VectorZip.zip(op, a, aStrides, b, bStrides, out, outShape, reference::zip);
  }

  @Override
  public void reduce(ReduceOp op, float[] x, int outer, int len, int inner, float[] out) {
    if (VectorReduce.covers(op)) {
      VectorReduce.reduce(op, x, outer, len, inner, out);
    } else {
      reference.reduce(op, x, outer, len, inner, out);
    }
  }

  @Override
  public void elmanForwardSteps(
      boolean tanh, int steps, int batch, int hidden, float[] wHh, float[] h0, float[] out) {
    VectorRecurrence.forwardSteps(tanh, steps, batch, hidden, wHh, h0, out);
  }

  @Override
  public void elmanBackwardSteps(
      boolean tanh,
      int steps,
      int batch,
      int hidden,
      float[] wHh,
      float[] h0,
      float[] out,
      float[] gOut,
      float[] dA,
      float[] dh0,
      float[] dWhh) {
    VectorRecurrence.backwardSteps(tanh, steps, batch, hidden, wHh, h0, out, gOut, dA, dh0, dWhh);
  }

  // dense-step kernels

  @Override
  public boolean allFinite(float[] x, int n) {
    return VectorDense.allFinite(x, n);
  }

  @Override
  public double sumOfSquares(float[] x, int n) {
    return VectorDense.sumOfSquares(x, n);
  }

  @Override
  public void scaleInPlace(float[] x, int n, double factor) {
    VectorDense.scaleInPlace(x, n, factor);
  }

  @Override
  public void addScaledInPlace(float[] x, float[] y, int n, double alpha) {
    VectorDense.addScaledInPlace(x, y, n, alpha);
  }

  @Override
  public void reluBackward(float[] g, float[] x, float[] out, int n) {
    VectorDense.reluBackward(g, x, out, n);
  }

  @Override
  public void tanhBackward(float[] g, float[] y, float[] out, int n) {
    VectorDense.tanhBackward(g, y, out, n);
  }

  @Override
  public void momentumUpdate(
      float[] d,
      float[] buf,
      int n,
      double momentum,
      double keep,
      boolean nesterov,
      boolean first) {
    VectorDense.momentumUpdate(d, buf, n, momentum, keep, nesterov, first);
  }

  @Override
  public void adamUpdate(
      float[] d,
      float[] m,
      float[] v,
      int n,
      double b1,
      double b2,
      double bc1,
      double bc2Sqrt,
      double eps) {
    VectorDense.adamUpdate(d, m, v, n, b1, b2, bc1, bc2Sqrt, eps);
  }

  @Override
  public void columnMeanVariance(float[] x, int rows, int cols, double[] mean, double[] variance) {
    VectorColumns.columnMeanVariance(x, rows, cols, mean, variance);
  }

  @Override
  public void columnAffine(
      float[] x, int rows, int cols, double[] center, double[] scale, double[] shift, float[] y) {
    VectorColumns.columnAffine(x, rows, cols, center, scale, shift, y);
  }

  @Override
  public void columnGradSums(
      float[] g,
      float[] x,
      int rows,
      int cols,
      double[] center,
      double[] scale,
      double[] sumG,
      double[] sumGx) {
    VectorColumns.columnGradSums(g, x, rows, cols, center, scale, sumG, sumGx);
  }

  @Override
  public void batchNormInputGrad(
      float[] g,
      float[] x,
      int rows,
      int cols,
      double[] center,
      double[] scale,
      double[] outScale,
      double[] meanG,
      double[] meanGx,
      float[] gx) {
    VectorColumns.batchNormInputGrad(g, x, rows, cols, center, scale, outScale, meanG, meanGx, gx);
  }

  @Override
  public PackedOperand packOperand(float[] b, int bOff, int k, int n, boolean transB) {
    return VectorRecurrence.packOperand(b, bOff, k, n, transB);
  }

  @Override
  public void addPackedProduct(int m, float[] a, int aOff, PackedOperand b, float[] c, int cOff) {
    if (b instanceof VectorRecurrence.Panels p) {
      VectorRecurrence.addPackedProduct(m, a, aOff, p, c, cOff);
    } else {
      Backend.super.addPackedProduct(m, a, aOff, b, c, cOff); // made by another backend
    }
  }

  @Override
  public void unsignedBytesOver255(byte[] src, int srcPos, float[] dst, int dstPos, int n) {
    VectorBytes.unsignedOver255(src, srcPos, dst, dstPos, n);
  }

  @Override
  public void copyMeasured(float[] src, float[] dst, int n, double[] out) {
    VectorDense.copyMeasured(src, dst, n, out);
  }

  @Override
  public void addInPlaceMeasured(float[] x, float[] y, int n, double[] out) {
    VectorDense.addInPlaceMeasured(x, y, n, out);
  }
}
