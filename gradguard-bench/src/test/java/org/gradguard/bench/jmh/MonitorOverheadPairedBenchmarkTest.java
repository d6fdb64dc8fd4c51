package org.gradguard.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The paired benchmark's invocation outside JMH: each {@code pair()} adds one monitored and one
 * unmonitored step to the two sums, whatever step the training starts on.
 */
class MonitorOverheadPairedBenchmarkTest {
  @Test
  void eachInvocationTimesOneStepOfEachKind() throws IOException {
    MonitorOverheadPairedBenchmark b = new MonitorOverheadPairedBenchmark();
    b.workload = "deep-narrow"; // synthetic data: runs without Fashion-MNIST
    b.threads = 1;
    b.setUp();
    MonitorOverheadPairedBenchmark.StepTimes t = new MonitorOverheadPairedBenchmark.StepTimes();
    for (int i = 0; i < 3; i++) {
      assertTrue(Double.isFinite(b.pair(t)), "the two losses");
    }
    // a few milliseconds of CPU time each (deep-narrow steps take milliseconds)
    assertTrue(t.onMs > 0 && t.offMs > 0, "on " + t.onMs + " ms, off " + t.offMs + " ms");
    t.reset();
    assertEquals(0, t.onMs);
    assertEquals(0, t.offMs);
  }
}
