package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {
  private static void assertValues(Tensor t, int[] shape, float... values) {
    assertArrayEquals(shape, t.shape());
    assertArrayEquals(values, t.data(), 1e-6f);
  }

  @Test
  void creation() {
    assertValues(Tensor.arange(4), new int[] {4}, 0, 1, 2, 3);
    assertValues(Tensor.arange(1f, 2f, 0.25f), new int[] {4}, 1f, 1.25f, 1.5f, 1.75f);
    assertValues(Tensor.full(2.5f, 2, 1), new int[] {2, 1}, 2.5f, 2.5f);
    assertValues(Tensor.ones(3), new int[] {3}, 1, 1, 1);
    assertEquals(0, Tensor.scalar(3f).dim());
    assertEquals(3f, Tensor.scalar(3f).item());
    float[] src = {1, 2};
    Tensor copied = Tensor.of(src, 2);
    src[0] = 9;
    assertEquals(1f, copied.get(0), "of() copies its input");
  }

  @Test
  void seededRandomTensorsAreReproducibleAndHaveTheRightMoments() {
    Tensor a = Tensor.randn(new Rng(42), 100_000);
    Tensor b = Tensor.randn(new Rng(42), 100_000);
    assertTrue(a.bitEquals(b));
    assertFalse(a.bitEquals(Tensor.randn(new Rng(43), 100_000)));
    // mean within 5 standard errors (1/√n), variance within 5·√(2/n)
    assertEquals(0.0, a.mean().item(), 5 / Math.sqrt(1e5));
    assertEquals(1.0, a.variance(0, false).item(), 5 * Math.sqrt(2 / 1e5));
    Tensor u = Tensor.uniform(new Rng(1), -2, 3, 100_000);
    assertTrue(u.min(false).item() >= -2 && u.max(false).item() < 3);
    assertEquals(0.5, u.mean().item(), 5 * Math.sqrt(25.0 / 12 / 1e5));
  }

  @Test
  void broadcastingFollowsNumpy() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor col = Tensor.of(new float[] {10, 20}, 2, 1);
    assertValues(a.add(col), new int[] {2, 3}, 11, 12, 13, 24, 25, 26);
    assertValues(a.mul(Tensor.vector(1, 0, -1)), new int[] {2, 3}, 1, 0, -3, 4, 0, -6);
    Tensor x = Tensor.arange(3).reshape(3, 1, 1);
    Tensor y = Tensor.arange(2).reshape(1, 2);
    Tensor z = x.sub(y);
    assertArrayEquals(new int[] {3, 1, 2}, z.shape());
    assertValues(z, new int[] {3, 1, 2}, 0, -1, 1, 0, 2, 1);
    assertValues(Tensor.scalar(2).mul(a).sumToShape(1, 3), new int[] {1, 3}, 10, 14, 18);
  }

  @Test
  void reductionsAlongAxes() {
    Tensor a = Tensor.arange(24).reshape(2, 3, 4);
    assertValues(a.sum(false, 1).slice(1, 0, 1), new int[] {2, 1}, 12, 48);
    assertArrayEquals(new int[] {2, 1, 4}, a.sum(true, 1).shape());
    assertArrayEquals(new int[] {3}, a.sum(false, 0, 2).shape());
    assertEquals(276f, a.sum().item());
    assertValues(a.max(false, 0, 1), new int[] {4}, 20, 21, 22, 23);
    assertValues(a.min(true, 2).reshape(6), new int[] {6}, 0, 4, 8, 12, 16, 20);
    assertValues(a.mean(false, 2).reshape(6), new int[] {6}, 1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f);
    Tensor v = Tensor.vector(1, 2, 3, 4);
    assertEquals(1.25f, v.variance(0, false).item(), 1e-6);
    assertEquals(5f / 3, v.variance(1, false).item(), 1e-6);
    assertArrayEquals(new int[] {2, 0}, Tensor.of(new float[] {1, 5, 9, 7, 2, 3}, 2, 3).argmax(1));
  }

  @Test
  void shapeOperations() {
    Tensor a = Tensor.arange(6).reshape(2, 3);
    assertSame(a.data(), a.reshape(3, 2).data(), "reshape is a view");
    assertValues(a.transpose(0, 1), new int[] {3, 2}, 0, 3, 1, 4, 2, 5);
    Tensor b = Tensor.arange(24).reshape(2, 3, 4).permute(2, 0, 1);
    assertArrayEquals(new int[] {4, 2, 3}, b.shape());
    assertEquals(13f, b.get(1, 1, 0));
    assertValues(a.slice(1, 0, 3, 2), new int[] {2, 2}, 0, 2, 3, 5);
    assertValues(Tensor.concat(1, a, a.slice(1, 2, 3)), new int[] {2, 4}, 0, 1, 2, 2, 3, 4, 5, 5);
    assertValues(
        Tensor.stack(1, Tensor.vector(1, 2), Tensor.vector(3, 4)), new int[] {2, 2}, 1, 3, 2, 4);
    assertValues(a.indexSelect(1, 2, 0, 2), new int[] {2, 3}, 2, 0, 2, 5, 3, 5);
    assertValues(
        a.gather(1, new int[] {2, 1, 0, 0}, new int[] {2, 2}), new int[] {2, 2}, 2, 1, 3, 3);
    assertArrayEquals(new int[] {2, 1, 3}, a.unsqueeze(1).shape());
    assertArrayEquals(new int[] {2, 3}, a.unsqueeze(1).squeeze(1).shape());
  }

  @Test
  void elementwiseMathComparisonsAndWhere() {
    Tensor x = Tensor.vector(-2, -0.5f, 0, 0.5f, 2);
    assertValues(x.relu(), new int[] {5}, 0, 0, 0, 0.5f, 2);
    assertValues(x.clamp(-1, 1), new int[] {5}, -1, -0.5f, 0, 0.5f, 1);
    assertValues(x.abs(), new int[] {5}, 2, 0.5f, 0, 0.5f, 2);
    assertValues(x.gt(Tensor.scalar(0)), new int[] {5}, 0, 0, 0, 1, 1);
    assertValues(
        Tensor.where(x.lt(Tensor.scalar(0)), x.neg(), x.mul(10)), new int[] {5}, 2, 0.5f, 0, 5, 20);
    assertEquals(1f, Tensor.vector(1000).sigmoid().item());
    assertEquals(0f, Tensor.vector(-1000).sigmoid().item());
    assertEquals((float) Math.tanh(0.5), Tensor.vector(0.5f).tanh().item());
    assertValues(Tensor.vector(4, 9).sqrt(), new int[] {2}, 2, 3);
  }

  @Test
  void inPlaceOperationsModifyTheReceiver() {
    Tensor a = Tensor.ones(2, 2);
    a.addInPlace(Tensor.vector(1, 2)).mulInPlace(2f);
    assertValues(a, new int[] {2, 2}, 4, 6, 4, 6);
    a.addScaledInPlace(-0.5f, Tensor.full(2, 2, 2));
    assertValues(a, new int[] {2, 2}, 3, 5, 3, 5);
    a.clampInPlace(0, 4);
    assertValues(a, new int[] {2, 2}, 3, 4, 3, 4);
  }

  @Test
  void matmulMatchesANaiveTripleLoopOverManyShapes() {
    Rng rng = new Rng(7);
    int[] sizes = {1, 2, 3, 5, 8, 17};
    for (int m : sizes) {
      for (int k : sizes) {
        for (int n : sizes) {
          Tensor a = Tensor.randn(rng, m, k);
          Tensor b = Tensor.randn(rng, k, n);
          Tensor c = a.matmul(b);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double s = 0;
              for (int p = 0; p < k; p++) {
                s += a.get(i, p) * b.get(p, j);
              }
              assertEquals(s, c.get(i, j), 1e-5 * (1 + Math.abs(s)));
            }
          }
          assertTrue(close(a.transpose(0, 1).matmul(b, true, false), c));
          assertTrue(close(a.matmul(b.transpose(0, 1), false, true), c));
        }
      }
    }
  }

  @Test
  void batchedMatmul() {
    Rng rng = new Rng(3);
    Tensor a = Tensor.randn(rng, 4, 3, 5);
    Tensor b = Tensor.randn(rng, 4, 5, 2);
    Tensor c = a.matmul(b);
    for (int i = 0; i < 4; i++) {
      Tensor ai = a.slice(0, i, i + 1).reshape(3, 5);
      Tensor bi = b.slice(0, i, i + 1).reshape(5, 2);
      assertTrue(close(ai.matmul(bi), c.slice(0, i, i + 1).reshape(3, 2)));
    }
    Tensor shared = Tensor.randn(rng, 5, 2);
    Tensor d = a.matmul(shared);
    assertTrue(
        close(a.slice(0, 2, 3).reshape(3, 5).matmul(shared), d.slice(0, 2, 3).reshape(3, 2)));
  }

  @Test
  void parallelMatmulIsBitIdenticalToSingleThreaded() {
    Rng rng = new Rng(11);
    Tensor a = Tensor.randn(rng, 300, 200);
    Tensor b = Tensor.randn(rng, 200, 100);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      Tensor one = a.matmul(b);
      Parallel.setThreads(4);
      Tensor four = a.matmul(b);
      assertTrue(one.bitEquals(four));
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void rngStateRoundTripsAndSplitsIndependently() {
    Rng r = new Rng(5);
    r.nextLong();
    long[] s = r.state();
    long next = r.nextLong();
    assertEquals(next, Rng.fromState(s).nextLong());
    Rng child = new Rng(5).split();
    assertNotEquals(new Rng(5).nextLong(), child.nextLong());
    int[] counts = new int[3];
    Rng u = new Rng(9);
    for (int i = 0; i < 30_000; i++) {
      counts[u.nextInt(3)]++;
    }
    for (int c : counts) {
      assertEquals(10_000, c, 500);
    }
  }

  private static boolean close(Tensor a, Tensor b) {
    if (!a.sameShape(b)) {
      return false;
    }
    for (int i = 0; i < a.numel(); i++) {
      if (Math.abs(a.data()[i] - b.data()[i]) > 1e-5 * (1 + Math.abs(b.data()[i]))) {
        return false;
      }
    }
    return true;
  }
}
