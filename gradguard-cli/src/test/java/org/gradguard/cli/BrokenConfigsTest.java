package org.gradguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the broken-config corpus ({@code src/test/resources/broken}) through the real
 * command line: exit code 2, exactly one line on stderr that names the file and what its {@code #
 * expect:} comments say (the key path or record and the problem), no stack trace, nothing on
 * stdout.
 */
class BrokenConfigsTest {
  static final Path DIR = Path.of("src/test/resources/broken");

  static Stream<Path> configs() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void corpusIsLargeEnough() throws IOException {
    assertTrue(configs().count() >= 25, "at least 25 broken configs");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void failsWithOneLineNamingFileAndKey(Path config) throws IOException {
    List<String> expects =
        Files.readAllLines(config).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()))
            .toList();
    assertFalse(expects.isEmpty(), config + " has no '# expect:' line");

    CliRun r = CliRun.of("diagnose", config.toString());

    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), "exactly one line on stderr: " + r);
    String line = lines.get(0);
    assertTrue(line.startsWith("gradguard: " + config + ": "), "names the file first: " + line);
    for (String e : expects) {
      assertTrue(line.contains(e), "expected \"" + e + "\" in: " + line);
    }
    assertFalse(line.contains("Exception"), "no exception class names: " + line);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    assertEquals("", r.out(), "nothing on stdout");
  }

  @Test
  void debugAddsTheStackTrace() {
    CliRun r = CliRun.of("--debug", "diagnose", DIR.resolve("negative-lr.yaml").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.errLines().get(0).contains("optimizer.lr: must be > 0"), r.toString());
    assertTrue(r.err().contains("\tat org.gradguard."), "stack trace with --debug: " + r);
  }
}
