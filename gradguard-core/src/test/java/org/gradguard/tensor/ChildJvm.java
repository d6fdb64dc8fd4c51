package org.gradguard.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a fresh JVM, for what one JVM cannot test. */
public final class ChildJvm {
  /** What the child did: exit status and both streams. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private ChildJvm() {}

  /**
   * Runs {@code mainClass} with the given JVM options and environment changes (a null value removes
   * a variable); the variables {@code GRADGUARD_BACKEND} and {@code JAVA_TOOL_OPTIONS} are removed
   * first so that the caller's environment does not leak in.
   */
  public static Result run(
      List<String> jvmOptions, Map<String, String> env, String mainClass, String... args)
      throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isBlank()) {
      classPath = System.getProperty("java.class.path");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove(Backends.BACKEND_ENV);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("child JVM " + mainClass + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), out.join(), err.join());
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "<unreadable: " + e + ">";
    }
  }
}
