package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.gradguard.tensor.Rng;
import org.junit.jupiter.api.Test;

class RngStreamsTest {

  @Test
  void aStreamDependsOnlyOnSeedAndName() {
    RngStreams a = RngStreams.of(7);
    RngStreams b = RngStreams.of(7);
    Rng ad = a.get("dropout");
    b.get("init").nextLong(); // another stream, requested first and used
    assertSame(ad, a.get("dropout"));
    assertEquals(ad.nextLong(), b.get("dropout").nextLong());
    assertEquals(a.seedFor("data"), b.seedFor("data"));
    assertNotEquals(a.seedFor("data"), a.seedFor("init"));
    assertNotEquals(a.seedFor("data"), RngStreams.of(8).seedFor("data"));
  }

  @Test
  void statesRestoreExactlyAndCreateMissingStreams() {
    RngStreams a = RngStreams.of(3);
    a.get("dropout").nextDouble();
    a.get("noise").nextGaussian();
    Map<String, long[]> saved = a.states();
    long next = a.get("dropout").nextLong();
    long[] copy = a.states().get("dropout");
    copy[0]++;
    assertNotEquals(copy[0], a.get("dropout").state()[0]); // states() hands out copies

    RngStreams b = RngStreams.of(3);
    b.restore(saved);
    assertEquals(next, b.get("dropout").nextLong());
    assertArrayEquals(a.get("noise").state(), b.get("noise").state());
    assertThrows(
        IllegalArgumentException.class, () -> b.restore(Map.of("x", new long[] {0, 0, 0, 0})));
    assertThrows(IllegalArgumentException.class, () -> b.restore(Map.of("x", new long[] {1})));
    assertThrows(IllegalArgumentException.class, () -> b.get(""));
  }
}
