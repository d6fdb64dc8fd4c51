package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.gradguard.tensor.BinaryOp;
import org.gradguard.tensor.ChildJvm;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.ReduceOp;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * Same inputs give bit-identical outputs: on repeated calls and thread counts in this JVM, and in
 * every execution mode — the interpreter (where the Vector API runs its Java fallbacks) and C2
 * compiled code (where it runs vector instructions) — compared through a checksum of the outputs of
 * every kernel on fixed inputs.
 */
class VectorBackendDeterminismTest {
  @Test
  void repeatedCallsAndThreadCountsGiveTheSameBits() {
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      long first = fingerprint();
      assertEquals(first, fingerprint(), "second run, 1 thread");
      Parallel.setThreads(2);
      assertEquals(first, fingerprint(), "2 threads");
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void interpretedAndCompiledCodeGiveTheSameBits() throws Exception {
    long here = fingerprint();
    String vector = "--add-modules=jdk.incubator.vector";
    ChildJvm.Result interpreted =
        ChildJvm.run(List.of(vector, "-Xint"), Map.of(), Fingerprint.class.getName());
    assertEquals(0, interpreted.exitCode(), interpreted.stderr());
    assertEquals(Long.toHexString(here), interpreted.stdout().strip(), "interpreter (-Xint)");
    ChildJvm.Result compiled =
        ChildJvm.run(
            List.of(
                vector,
                "-Xcomp",
                "-XX:-TieredCompilation",
                "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=compileonly,org.gradguard.tensor.vector.*::*"),
            Map.of(),
            Fingerprint.class.getName());
    assertEquals(0, compiled.exitCode(), compiled.stderr());
    assertEquals(Long.toHexString(here), compiled.stdout().strip(), "C2 from the first call");
  }

  /** A CRC of the output bits of every kernel on small fixed inputs. */
  static long fingerprint() {
    VectorBackend vb = new VectorBackend();
    Rng rng = new Rng(21);
    CRC32 crc = new CRC32();
    float[] a = values(rng, 40 * 40);
    float[] b = values(rng, 40 * 40);
    for (int variant = 0; variant < 4; variant++) {
      boolean ta = (variant & 1) != 0;
      boolean tb = (variant & 2) != 0;
      for (int[] s : new int[][] {{13, 17, 19}, {1, 23, 9}, {21, 1, 30}}) {
        float[] c = values(rng, s[0] * s[1]);
        vb.gemm(ta, tb, s[0], s[1], s[2], a, 3, b, 5, c, 0, variant == 3);
        add(crc, c);
      }
    }
    float[] x = values(rng, 45);
    x[3] = Float.NaN;
    x[4] = -0f;
    x[5] = 1e-40f;
    x[6] = -95f;
    for (UnaryOp op : UnaryOp.values()) {
      float[] out = new float[x.length];
      vb.map(op, x, out, x.length);
      add(crc, out);
    }
    for (BinaryOp op : BinaryOp.values()) {
      float[] out = new float[3 * 13];
      vb.zip(op, a, new int[] {13, 1}, b, new int[] {0, 1}, out, new int[] {3, 13});
      add(crc, out);
    }
    for (ReduceOp op : ReduceOp.values()) {
      float[] rows = new float[3];
      vb.reduce(op, a, 3, 37, 1, rows);
      add(crc, rows);
      float[] cols = new float[2 * 11];
      vb.reduce(op, a, 2, 5, 11, cols);
      add(crc, cols);
    }
    return crc.getValue();
  }

  private static void add(CRC32 crc, float[] values) {
    for (float v : values) {
      int bits = Float.floatToRawIntBits(v);
      crc.update(bits);
      crc.update(bits >>> 8);
      crc.update(bits >>> 16);
      crc.update(bits >>> 24);
    }
  }

  private static float[] values(Rng rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (3 * rng.nextGaussian());
    }
    return x;
  }

  /** Prints {@link #fingerprint()} in hexadecimal, for the child JVMs. */
  public static final class Fingerprint {
    private Fingerprint() {}

    public static void main(String[] args) {
      System.out.println(Long.toHexString(fingerprint()));
    }
  }
}
