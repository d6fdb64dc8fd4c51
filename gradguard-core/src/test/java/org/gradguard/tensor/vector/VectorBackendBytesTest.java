package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.gradguard.tensor.ReferenceBackend;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend#unsignedBytesOver255} against {@link ReferenceBackend}: the same bits for
 * every byte value, at every offset and length around the vector width, writing only its range.
 */
class VectorBackendBytesTest {
  private final ReferenceBackend ref = new ReferenceBackend();
  private final VectorBackend vec = new VectorBackend();

  @Test
  void everyByteValueGivesTheReferenceBits() {
    byte[] all = new byte[256];
    for (int p = 0; p < 256; p++) {
      all[p] = (byte) p;
    }
    float[] expected = new float[256];
    float[] actual = new float[256];
    ref.unsignedBytesOver255(all, 0, expected, 0, 256);
    vec.unsignedBytesOver255(all, 0, actual, 0, 256);
    for (int p = 0; p < 256; p++) {
      assertEquals(p / 255f, expected[p], 0f, "reference, byte " + p);
      assertEquals(
          Float.floatToRawIntBits(expected[p]), Float.floatToRawIntBits(actual[p]), "byte " + p);
    }
    assertEquals(0f, actual[0]);
    assertEquals(1f, actual[255]);
  }

  @Test
  void offsetsAndLengthsAroundTheVectorWidth() {
    Rng rng = new Rng(7);
    byte[] src = new byte[200];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) rng.nextInt(256);
    }
    for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100}) {
      for (int srcPos : new int[] {0, 1, 3, 50}) {
        for (int dstPos : new int[] {0, 2, 5}) {
          float[] expected = new float[dstPos + n + 3];
          float[] actual = new float[dstPos + n + 3];
          Arrays.fill(expected, -7f);
          Arrays.fill(actual, -7f);
          ref.unsignedBytesOver255(src, srcPos, expected, dstPos, n);
          vec.unsignedBytesOver255(src, srcPos, actual, dstPos, n);
          assertArrayEquals(expected, actual, "n=" + n + " srcPos=" + srcPos + " dstPos=" + dstPos);
        }
      }
    }
  }
}
