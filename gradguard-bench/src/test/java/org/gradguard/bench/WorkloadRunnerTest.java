package org.gradguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradguard.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadRunnerTest {
  private static final Workloads.FashionSource STAND_IN = StandIn.fashion(4, 24);

  private static Map<String, Object> line(Workload w, String... args) {
    String json = Json.write(WorkloadRunner.measure(w, WorkloadRunner.Options.parse(args)));
    assertTrue(!json.contains("\n"), "one line: " + json);
    return Json.parseObject(json, 1 << 16);
  }

  @Test
  void throughputLineParsesAndHasThePytorchFields() throws IOException {
    Workload w = Workloads.create("deep-narrow", 0, STAND_IN, StandIn.SIZES);
    Map<String, Object> m =
        line(
            w,
            "--workload",
            "deep-narrow",
            "--threads=1",
            "--warmup",
            "2",
            "--jit-quiet",
            "0",
            "--min-time",
            "0");
    for (String key :
        List.of(
            "tag",
            "workload",
            "threads",
            "batch",
            "mode",
            "steps",
            "seconds",
            "steps_per_s",
            "samples_per_s",
            "ms_per_step",
            "final_loss",
            "mean_loss_last50",
            "train_flop_per_step",
            "achieved_gflops",
            "peak_rss_mb",
            "warmup_steps",
            "warmup_seconds",
            "warmup_jit_quiet",
            "framework",
            "backend",
            "jdk",
            "gradguard_threads")) {
      assertTrue(m.containsKey(key), "missing " + key + " in " + m);
    }
    assertEquals("deep-narrow", m.get("workload"));
    assertEquals("throughput", m.get("mode"));
    assertEquals("gradguard", m.get("framework"));
    assertEquals(32L, m.get("batch"));
    assertEquals(1L, m.get("steps")); // --min-time 0: exactly one timed step
    assertEquals(3L, w.optimizer().stepCount()); // two warm-up steps before it
    double ms = (Double) m.get("ms_per_step");
    double samples = (Double) m.get("samples_per_s");
    assertEquals(32 * 1000 / ms, samples, samples * 1e-3 + 0.1);
  }

  @Test
  void epochLineReportsTestAccuracy() throws IOException {
    Workload w = Workloads.create("mlp", 0, STAND_IN);
    Map<String, Object> m = line(w, "--workload", "mlp", "--threads", "1", "--epoch");
    assertEquals("epoch", m.get("mode"));
    assertEquals(1L, m.get("steps"));
    double acc = (Double) m.get("test_accuracy");
    assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
    assertTrue(m.containsKey("epoch_seconds") && m.containsKey("final_loss"), m.toString());
  }

  @Test
  void badOptionsAreNamed() {
    assertEquals(
        "--workload is required",
        assertThrows(IllegalArgumentException.class, () -> WorkloadRunner.Options.parse())
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> WorkloadRunner.Options.parse("--workload", "rnn-adding", "--epoch"))
            .getMessage()
            .contains("--epoch needs a Fashion-MNIST workload"));
    assertEquals(
        "--threads must be >= 1, got 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> WorkloadRunner.Options.parse("--workload", "mlp", "--threads", "0"))
            .getMessage());
    assertEquals(
        "--min-time must be a number, got soon",
        assertThrows(
                IllegalArgumentException.class,
                () -> WorkloadRunner.Options.parse("--workload", "mlp", "--min-time", "soon"))
            .getMessage());
    assertEquals(
        "unknown option --gpu",
        assertThrows(
                IllegalArgumentException.class,
                () -> WorkloadRunner.Options.parse("--workload", "mlp", "--gpu", "1"))
            .getMessage());
  }

  @Test
  void peakRssIsReadFromVmHwm(@TempDir Path dir) throws IOException {
    Path status = dir.resolve("status");
    Files.writeString(
        status, "Name:\tjava\nVmPeak:\t 9999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 1 kB\n");
    assertEquals(200.0, Machine.peakRssMb(status));
    Files.writeString(status, "Name:\tjava\n");
    assertNull(Machine.peakRssMb(status));
    assertNull(Machine.peakRssMb(dir.resolve("absent")));
  }

  @Test
  void gemmLineHasOneRowPerSize() {
    String json = Json.write(GemmRunner.measure(new int[] {3, 8}, 1, 0, new JitWarmup(0, 0, 0)));
    Map<String, Object> m = Json.parseObject(json, 1 << 16);
    List<?> rows = (List<?>) m.get("gemm");
    assertEquals(2, rows.size());
    Map<?, ?> row = (Map<?, ?>) rows.get(1);
    assertEquals(8L, row.get("n"));
    assertTrue((Double) row.get("gflops") > 0, json);
  }
}
