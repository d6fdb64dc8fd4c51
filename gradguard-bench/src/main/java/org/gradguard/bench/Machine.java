package org.gradguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Parallel;

/** What a benchmark line says about where it ran: JDK, backend, threads and peak memory. */
final class Machine {
  private Machine() {}

  /**
   * The peak resident set size of this process in MB (MiB, as PyTorch's {@code ru_maxrss / 1024}),
   * read from {@code VmHWM} in {@code /proc/self/status}; {@code null} where that file does not
   * exist (not Linux).
   */
  static Double peakRssMb() {
    return peakRssMb(Path.of("/proc/self/status"));
  }

  static Double peakRssMb(Path status) {
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
          return round(Long.parseLong(kb) / 1024.0, 1);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** The JDK, e.g. {@code "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1"}. */
  static String jdk() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
  }

  /** Whether {@code jdk.incubator.vector} was added to this JVM ({@code --add-modules}). */
  static boolean vectorModule() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** The fields every GradGuard line shares: framework, threads, backend, JDK. */
  static Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("framework", "gradguard");
    out.put("gradguard_threads", Parallel.threads());
    out.put("backend", Backends.current().name());
    out.put("jdk", jdk());
    out.put("vector_module", vectorModule());
    return out;
  }

  /** {@code x} rounded to {@code digits} decimals, as Python's {@code round}. */
  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }
}
