package org.gradguard.tensor.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised {@link org.gradguard.tensor.Backend#unsignedBytesOver255}: a batch of 8-bit images as
 * float32, bit-identical to the reference (the same float division, lane by lane). About twice as
 * fast as the scalar loop, whose division C2 (JDK 17) does not vectorise: 60 against 145 µs for a
 * batch of 128 Fashion-MNIST images.
 */
final class VectorBytes {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Bytes for one float vector's lanes; null when that is under the smallest byte vector. */
  private static final VectorSpecies<Byte> SB =
      S.vectorBitSize() / 4 >= 64
          ? VectorSpecies.of(byte.class, VectorShape.forBitSize(S.vectorBitSize() / 4))
          : null;

  private VectorBytes() {}

  static void unsignedOver255(byte[] src, int srcPos, float[] dst, int dstPos, int n) {
    int k = 0;
    if (SB != null) {
      for (int upper = n / VL * VL; k < upper; k += VL) {
        // B2F sign-extends: a byte of 128..255 arrives as −128..−1, and 256 puts it back
        FloatVector f =
            (FloatVector)
                ByteVector.fromArray(SB, src, srcPos + k).convertShape(VectorOperators.B2F, S, 0);
        f.add(256f, f.compare(VectorOperators.LT, 0f)).div(255f).intoArray(dst, dstPos + k);
      }
    }
    for (; k < n; k++) {
      dst[dstPos + k] = (src[srcPos + k] & 0xFF) / 255f;
    }
  }
}
