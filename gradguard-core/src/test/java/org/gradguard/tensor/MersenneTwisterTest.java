package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link MersenneTwister} against the MT19937 reference outputs and against numbers printed by
 * PyTorch 1.13 (CPU). The PyTorch values were produced by:
 *
 * <pre>
 * torch.manual_seed(0); torch.empty(6).uniform_(-1, 1)
 * g = torch.Generator().manual_seed(0); torch.randperm(10, generator=g); torch.randperm(10, generator=g)
 * torch.manual_seed(123); torch.nn.Linear(3, 2)            # weight, then bias
 * g = torch.Generator().manual_seed(5); p = torch.randperm(60000, generator=g)
 * </pre>
 */
class MersenneTwisterTest {
  @Test
  void matchesTheReferenceOutputsOfMt19937() {
    // The first output for the reference seed 5489, and the 10000th, which the C++ standard
    // requires of std::mt19937 (default seed 5489).
    MersenneTwister g = new MersenneTwister(5489);
    assertEquals(3499211612L, g.nextUInt32());
    for (int i = 2; i < 10000; i++) {
      g.nextUInt32();
    }
    assertEquals(4123659995L, g.nextUInt32());
  }

  @Test
  void uniformDrawsWhatTorchUniformDraws() {
    MersenneTwister g = new MersenneTwister(0);
    float[] d = new float[6];
    g.fillUniform(d, -1, 1);
    float[] torch = {
      (float) -0x1.eaa8p-8,
      0x1.12a8bcp-1f,
      -0x1.a5662cp-1f,
      -0x1.78cdp-1f,
      -0x1.8a65e8p-2f,
      0x1.1297d8p-2f
    };
    assertArrayEquals(torch, d);
  }

  @Test
  void pytorchLinearDefaultInitIsReproduced() {
    // kaiming_uniform_(a=√5) then the bias U(±1/√fan_in); fan_in 3.
    MersenneTwister g = new MersenneTwister(123);
    float[] w = new float[6];
    float[] b = new float[2];
    double gain = Math.sqrt(2.0 / (1 + 5.0));
    double bound = Math.sqrt(3.0) * (gain / Math.sqrt(3));
    g.fillUniform(w, -bound, bound);
    g.fillUniform(b, -1 / Math.sqrt(3), 1 / Math.sqrt(3));
    assertArrayEquals(
        new float[] {
          -0x1.e228fp-3f,
          0x1.3955dep-6f,
          -0x1.25a0bap-2f,
          0x1.bde774p-3f,
          -0x1.f7bd9ap-2f,
          0x1.b16164p-2f
        },
        w);
    assertArrayEquals(new float[] {-0x1.adb67ap-2f, -0x1.d608bap-2f}, b);
  }

  @Test
  void randpermDrawsWhatTorchRandpermDraws() {
    MersenneTwister g = new MersenneTwister(0);
    assertArrayEquals(new int[] {4, 1, 7, 5, 3, 9, 0, 8, 6, 2}, g.randperm(10));
    assertArrayEquals(new int[] {3, 9, 4, 2, 7, 8, 6, 0, 5, 1}, g.randperm(10));

    int[] p = new MersenneTwister(5).randperm(60000);
    assertArrayEquals(new int[] {53411, 765, 31431, 44421, 31202}, Arrays.copyOf(p, 5));
    assertArrayEquals(new int[] {28987, 39300, 13447}, Arrays.copyOfRange(p, 59997, 60000));
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
  }

  @Test
  void rejectsANegativeLength() {
    assertThrows(IllegalArgumentException.class, () -> new MersenneTwister(0).randperm(-1));
    assertEquals(0, new MersenneTwister(0).randperm(0).length);
  }
}
