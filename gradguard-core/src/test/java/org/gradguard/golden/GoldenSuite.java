package org.gradguard.golden;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Turns a directory of golden files into JUnit dynamic tests, one per {@code *.json} file, named
 * {@code KIND__NAME}. A case whose kind is registered runs its {@link GoldenKind} and is checked
 * with {@link GoldenCheck}; a case of an unregistered kind is aborted (reported as skipped, by
 * name), and one summary line per skipped kind is printed, e.g. {@code golden: skipped kind 'lstm'
 * (4 cases): not implemented yet}. A file that is not a valid golden file becomes a failing test.
 */
public final class GoldenSuite {
  /** Environment variable that points at the golden directory; it wins over everything else. */
  public static final String ENV = "GRADGUARD_GOLDEN_DIR";

  /** System property set by the parent POM's surefire configuration. */
  public static final String PROPERTY = "gradguard.golden.dir";

  private GoldenSuite() {}

  /**
   * The golden directory: {@code $GRADGUARD_GOLDEN_DIR} if set; else the system property {@code
   * gradguard.golden.dir} if it names a directory; else {@code ../shared/golden} next to the
   * repository root (the nearest directory above the working directory holding {@code .git}).
   *
   * @throws org.opentest4j.AssertionFailedError naming every path tried and {@value #ENV} when none
   *     is a directory
   */
  public static Path resolveDirectory() {
    return resolveDirectory(
        System.getenv(ENV), System.getProperty(PROPERTY), Path.of("").toAbsolutePath());
  }

  static Path resolveDirectory(String env, String property, Path workingDir) {
    if (env != null && !env.isBlank()) {
      Path dir = Path.of(env).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        Assertions.fail(
            "golden vectors not found: " + ENV + "=" + env + " is not a directory (" + dir + ")");
      }
      return dir;
    }
    List<String> tried = new ArrayList<>();
    if (property != null && !property.isBlank()) {
      Path dir = Path.of(property).toAbsolutePath().normalize();
      if (Files.isDirectory(dir)) {
        return dir;
      }
      tried.add(dir + " (system property " + PROPERTY + ")");
    }
    Path root = repositoryRoot(workingDir);
    Path dir = root.resolve("../shared/golden").toAbsolutePath().normalize();
    if (Files.isDirectory(dir)) {
      return dir;
    }
    tried.add(dir + " (../shared/golden from the repository root " + root + ")");
    return Assertions.fail(
        "golden vectors not found; tried "
            + String.join(", ", tried)
            + ". Set "
            + ENV
            + " to the directory holding the *.json files");
  }

  private static Path repositoryRoot(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) {
        return p;
      }
    }
    return start;
  }

  /**
   * One dynamic test per {@code *.json} file in {@code dir}, sorted by file name, and one summary
   * line per skipped kind printed to {@code log}.
   *
   * @throws org.opentest4j.AssertionFailedError when the directory has no {@code *.json} file
   * @throws IOException when it cannot be listed
   */
  public static List<DynamicTest> tests(Path dir, GoldenKinds kinds, PrintStream log)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    if (files.isEmpty()) {
      Assertions.fail("no golden *.json files in " + dir);
    }
    List<DynamicTest> tests = new ArrayList<>();
    Map<String, Integer> skipped = new TreeMap<>();
    int run = 0;
    for (Path file : files) {
      String display = file.getFileName().toString().replaceFirst("\\.json$", "");
      GoldenCase c;
      try {
        c = GoldenCase.load(file);
      } catch (IllegalArgumentException | IOException e) {
        tests.add(
            DynamicTest.dynamicTest(
                display,
                file.toUri(),
                () -> {
                  throw new AssertionError("invalid golden file: " + e.getMessage(), e);
                }));
        continue;
      }
      GoldenKind kind = kinds.get(c.kind());
      if (kind == null) {
        skipped.merge(c.kind(), 1, Integer::sum);
        tests.add(
            DynamicTest.dynamicTest(
                display,
                file.toUri(),
                () -> Assumptions.abort("golden kind '" + c.kind() + "' is not implemented yet")));
      } else {
        run++;
        tests.add(
            DynamicTest.dynamicTest(
                display, file.toUri(), () -> GoldenCheck.assertMatches(c, kind.run(c))));
      }
    }
    log.println(
        "golden: "
            + files.size()
            + " files in "
            + dir
            + ": "
            + run
            + " cases of "
            + kinds.asMap().size()
            + " registered kinds run, "
            + (files.size() - run)
            + " not");
    skipped.forEach(
        (kind, n) ->
            log.println(
                "golden: skipped kind '"
                    + kind
                    + "' ("
                    + n
                    + (n == 1 ? " case" : " cases")
                    + "): not implemented yet"));
    return tests;
  }
}
