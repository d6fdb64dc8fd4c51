package org.gradguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gradguard.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C for real: a child JVM trains with {@code stopOnInterrupt(true)}, receives SIGINT, finishes
 * its step, writes a checkpoint, prints how to resume and exits; the run resumes from it.
 */
class InterruptSignalTest {
  @TempDir Path tmp;

  /** The child: trains "forever" in the run directory {@code args[0]}. */
  public static void main(String[] args) {
    Fixtures.Setup s = Fixtures.setup(13);
    Trainer t =
        Fixtures.builder(s, Optimizers.sgd(0.05, 0.9, 0, 0, false))
            .epochs(1_000_000)
            .runDirectory(Path.of(args[0]))
            .checkpointEachEpoch(false)
            .stopOnInterrupt(true)
            .resumeHint("gradguard train --resume " + args[0])
            .messages(System.out)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onStep(StepRecord r) {
                    if (r.step() == 3) {
                      System.out.println("TRAINING");
                      System.out.flush();
                    }
                  }
                })
            .build();
    FitResult r = t.fit();
    System.out.println("fit returned " + r.reason());
  }

  /** True when SIGINT is ignored by this process (Linux: bit 1 of SigIgn in /proc/self/status). */
  private static boolean sigintIgnored() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(l.substring("SigIgn:".length()).trim(), 16);
          return (mask & (1L << 1)) != 0;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return false; // not Linux: assume the default disposition
    }
    return false;
  }

  @Test
  void sigintFinishesTheStepWritesACheckpointAndSaysHowToResume() throws Exception {
    Path kill = Path.of("/bin/kill");
    assumeTrue(Files.isExecutable(kill), "needs /bin/kill to send SIGINT (POSIX only)");
    assumeTrue(
        !sigintIgnored(),
        "SIGINT is ignored by this process (inherited, e.g. from a shell's background job), so a"
            + " child JVM would never receive it: the test cannot send a real Ctrl-C here");
    Path dir = tmp.resolve("run");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(), "-cp", cp, InterruptSignalTest.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && !line.equals("TRAINING")) {
        out.append(line).append('\n');
      }
      assertEquals("TRAINING", line, "the child did not start training:\n" + out);
      Process k = new ProcessBuilder(kill.toString(), "-INT", Long.toString(p.pid())).start();
      assertEquals(0, k.waitFor());
      // Bounded: wait for the exit first, then read what is left (the child prints little).
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        p.destroyForcibly();
      }
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
      assertTrue(exited, "the child did not exit within 60 s of SIGINT:\n" + out);
    } finally {
      p.destroyForcibly();
    }
    String printed = out.toString();
    assertTrue(printed.contains("Training interrupted after "), printed);
    assertTrue(printed.contains("Resume with: gradguard train --resume " + dir), printed);
    assertEquals(130, p.exitValue(), printed); // 128 + SIGINT: the JVM exits as a shell expects

    RunDirectory run = RunDirectory.open(dir);
    Map<?, ?> result = (Map<?, ?>) run.provenance().get("result");
    assertEquals("INTERRUPTED", result.get("reason"));
    Checkpoint c = run.checkpoints().readLatest();
    assertEquals((long) (Long) result.get("steps"), c.stepsCompleted());
    List<StepRecord> steps = run.steps();
    assertEquals(c.stepsCompleted(), steps.size()); // every finished step is recorded

    FitResult resumed =
        Fixtures.builder(Fixtures.setup(13), Optimizers.sgd(0.05, 0.9, 0, 0, false))
            .maxSteps(c.stepsCompleted() + 3)
            .epochs(1_000_000)
            .resume(dir)
            .build()
            .fit();
    assertEquals(c.stepsCompleted() + 3, resumed.steps());
  }
}
