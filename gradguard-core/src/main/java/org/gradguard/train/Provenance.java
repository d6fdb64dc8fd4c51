package org.gradguard.train;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.gradguard.tensor.Parallel;
import org.gradguard.tensor.io.Json;

/**
 * Where a run, a checkpoint or a report came from: GradGuard's version, the JDK, the OS, the thread
 * count, the seed, the caller's configuration and the data, after Tribuo's provenance. Written as
 * {@code provenance.json} in a run directory and copied into every checkpoint.
 */
public final class Provenance {
  /** The version reported when neither the jar manifest nor the build resource gives one. */
  public static final String FALLBACK_VERSION = "0.1.0-SNAPSHOT";

  /** The classpath resource a build may generate: a properties file with a {@code version} key. */
  public static final String VERSION_RESOURCE = "/org/gradguard/version.properties";

  private Provenance() {}

  /**
   * GradGuard's version: the {@code Implementation-Version} of the jar's manifest, else the {@code
   * version} in {@value #VERSION_RESOURCE}, else {@value #FALLBACK_VERSION}.
   */
  public static String version() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    if (v != null && !v.isBlank()) {
      return v;
    }
    try (InputStream in = Provenance.class.getResourceAsStream(VERSION_RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String r = p.getProperty("version");
        if (r != null && !r.isBlank()) {
          return r.trim();
        }
      }
    } catch (IOException ignored) {
      // fall back to the constant
    }
    return FALLBACK_VERSION;
  }

  /**
   * A new provenance map, in this order: {@code format}, {@code version}, {@code jdk}, {@code os},
   * {@code threads}, {@code seed}, {@code config}, {@code data}, {@code model}, {@code startTime},
   * {@code endTime} (null until the run ends), {@code resumes} (empty).
   *
   * @param config the caller's configuration, any JSON-writable map (copied)
   * @param data descriptions of the data, by role ({@code train}, {@code validation}) (copied)
   * @param model a description of the model (its {@code toString()}) and its parameter count
   * @throws org.gradguard.tensor.io.JsonException naming the key path when {@code config} holds a
   *     value JSON cannot represent
   */
  static Map<String, Object> create(
      long seed,
      Map<String, ?> config,
      Map<String, String> data,
      Map<String, Object> model,
      Instant start) {
    Json.write(config); // validates: every value must be writable
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("format", "gradguard-run");
    p.put("version", version());
    Map<String, Object> jdk = new LinkedHashMap<>();
    jdk.put("version", System.getProperty("java.version"));
    jdk.put("vendor", System.getProperty("java.vendor"));
    jdk.put("vm", System.getProperty("java.vm.name"));
    p.put("jdk", jdk);
    p.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    p.put("threads", Parallel.threads());
    p.put("seed", seed);
    p.put("config", new LinkedHashMap<>(config));
    p.put("data", new LinkedHashMap<>(data));
    p.put("model", new LinkedHashMap<>(model));
    p.put("startTime", start.toString());
    p.put("endTime", null);
    p.put("resumes", new ArrayList<>());
    return p;
  }
}
