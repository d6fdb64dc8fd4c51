package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C for real: the command runs in a child JVM ({@link Main}), receives SIGINT while training,
 * and still writes its report before exiting with 130. {@link GracefulStopTest} covers the ordering
 * without signals.
 */
class SignalTest {
  @TempDir Path tmp;

  /** Trains "forever": two variants, a progress line every step. */
  private static final String FOREVER =
      String.join(
          "\n",
          "name: forever",
          "data: {name: spirals, n: 60}",
          "model: {type: mlp, depth: 2, width: 8}",
          "optimizer: {name: sgd, lr: 0.1}",
          "train: {epochs: 1000000, batch_size: 16, log_every: 1}",
          "variants:",
          "  baseline: {}",
          "  clip: {clipping: {kind: norm, max_norm: 1.0}}",
          "");

  /** True when SIGINT is ignored by this process (Linux: bit 1 of SigIgn in /proc/self/status). */
  private static boolean sigintIgnored() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(l.substring("SigIgn:".length()).trim(), 16);
          return (mask & (1L << 1)) != 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false; // not Linux: assume the default disposition
    }
    return false;
  }

  /**
   * Runs {@code gradguard args}, sends SIGINT once a line contains {@code cue}; exit and output.
   */
  private record Child(int code, String out) {}

  private Child interruptAfter(String cue, String... args) throws Exception {
    Path kill = Path.of("/bin/kill");
    assumeTrue(Files.isExecutable(kill), "needs /bin/kill to send SIGINT (POSIX only)");
    assumeTrue(
        !sigintIgnored(),
        "SIGINT is ignored by this process (inherited, e.g. from a shell's background job), so a"
            + " child JVM would never receive it");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", cp, Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && !line.contains(cue)) {
        out.append(line).append('\n');
      }
      assertTrue(line != null, "the child never printed " + cue + ":\n" + out);
      out.append(line).append('\n');
      Process k = new ProcessBuilder(kill.toString(), "-INT", Long.toString(p.pid())).start();
      assertEquals(0, k.waitFor());
      // Bounded: the child keeps printing a line per step until it stops, so drain on a thread.
      Thread drain =
          new Thread(
              () -> {
                try {
                  String l;
                  while ((l = r.readLine()) != null) {
                    synchronized (out) {
                      out.append(l).append('\n');
                    }
                  }
                } catch (IOException ignored) {
                  // the child is gone
                }
              });
      drain.start();
      boolean exited = p.waitFor(120, TimeUnit.SECONDS);
      if (!exited) {
        p.destroyForcibly();
      }
      drain.join(10_000);
      synchronized (out) {
        assertTrue(exited, "the child did not exit within 120 s of SIGINT:\n" + out);
        return new Child(p.exitValue(), out.toString());
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void ctrlCDuringCompareStillWritesTheTableAndTheReport() throws Exception {
    Path cfg = tmp.resolve("forever.yaml");
    Files.writeString(cfg, FOREVER);
    Path dir = tmp.resolve("cmp");
    Child c =
        interruptAfter(
            "[baseline] epoch 3 done",
            "compare",
            cfg.toString(),
            "--out",
            dir.toString(),
            "--workers",
            "1");
    assertEquals(130, c.code(), c.out());
    assertTrue(c.out().contains("Interrupted: the variants above stopped"), c.out());
    assertTrue(c.out().contains("not started: clip"), c.out()); // --workers 1: its turn never came
    assertTrue(c.out().contains("Incomplete: stopped at step"), c.out());
    assertTrue(
        c.out().contains("--variant baseline --resume " + dir.resolve("baseline")),
        "the resume command: " + c.out());
    assertTrue(Files.exists(dir.resolve("report.html")), c.out());
    String baseline = Files.readString(dir.resolve("baseline").resolve("provenance.json"));
    assertTrue(baseline.contains("\"INTERRUPTED\""), baseline);
  }

  @Test
  void ctrlCDuringTrainWritesTheCheckpointAndTheReport() throws Exception {
    Path cfg = tmp.resolve("forever.yaml");
    Files.writeString(cfg, FOREVER);
    Path dir = tmp.resolve("run");
    Child c =
        interruptAfter(
            "step 5",
            "train",
            cfg.toString(),
            "--variant",
            "baseline",
            "--out",
            dir.toString(),
            "--no-progress");
    assertEquals(130, c.code(), c.out());
    assertTrue(c.out().contains("Training interrupted after "), c.out());
    assertTrue(c.out().contains("report: "), c.out());
    assertTrue(Files.exists(dir.resolve("report.html")), c.out());
  }
}
