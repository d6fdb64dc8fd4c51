package org.gradguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.gradguard.tensor.io.Json;
import org.junit.jupiter.api.Test;

/** The alternating protocol: one JSON line, as many monitored steps as unmonitored ones. */
class MonitorOverheadRunnerTest {
  @Test
  void alternatingTimesBothKindsOfStepOnOneWorkload() throws IOException {
    for (int warmup : new int[] {2, 3}) { // an odd warm-up starts on an unmonitored step
      String json = MonitorOverheadRunner.alternating("deep-narrow", 3, warmup, 1);
      Map<String, Object> m = Json.parseObject(json, 1 << 16);
      assertEquals("alternate", m.get("mode"));
      assertEquals(3, ((Number) m.get("steps_each")).intValue());
      assertEquals("thread_cpu", m.get("clock"));
      for (String k : new String[] {"ms_mean_off", "ms_mean_on", "ms_median_off", "ms_median_on"}) {
        double v = ((Number) m.get(k)).doubleValue();
        assertTrue(v > 0 && Double.isFinite(v), k + " in " + json);
      }
    }
  }
}
