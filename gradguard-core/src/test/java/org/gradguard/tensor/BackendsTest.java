package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backend selection: the default with and without the module {@code jdk.incubator.vector}, the
 * forcing property and variable, and a single warning per JVM on fallback. Without the module is
 * tested in a child JVM, since this one was started with it.
 */
class BackendsTest {
  @Test
  void thisJvmUsesTheVectorBackendUnlessOneIsForced() {
    String forced = System.getProperty(Backends.BACKEND_PROPERTY);
    if (forced == null || forced.isBlank()) {
      forced = System.getenv(Backends.BACKEND_ENV);
    }
    assertTrue(Backends.vectorAvailable(), "the build runs tests with the vector module");
    String expected = forced == null || forced.isBlank() ? "vector" : forced.trim();
    assertEquals(expected, Backends.current().name());
  }

  @Test
  void createByName() {
    assertInstanceOf(ReferenceBackend.class, Backends.create("reference"));
    assertEquals("vector", Backends.create(" Vector ").name());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Backends.create("blas"));
    assertEquals("Backends: backend must be 'reference' or 'vector', got 'blas'", e.getMessage());
  }

  @Test
  void withoutTheModuleFallsBackToReferenceWithOneWarning() throws Exception {
    ChildJvm.Result r = ChildJvm.run(List.of(), Map.of(), Probe.class.getName());
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("reference 5.0", r.stdout().strip());
    long warnings = r.stderr().lines().filter(l -> l.contains("--add-modules")).count();
    assertEquals(1, warnings, "stderr:\n" + r.stderr());
  }

  @Test
  void forcingTheVectorBackendWithoutTheModuleFailsAndSaysWhy() throws Exception {
    ChildJvm.Result r =
        ChildJvm.run(List.of(), Map.of(Backends.BACKEND_ENV, "vector"), Probe.class.getName());
    assertNotEquals(0, r.exitCode());
    assertTrue(
        r.stderr()
            .contains(
                "environment variable GRADGUARD_BACKEND: Backends: the vector backend"
                    + " needs the module jdk.incubator.vector; start the JVM with --add-modules"
                    + " jdk.incubator.vector"),
        r.stderr());
  }

  @Test
  void thePropertyForcesTheReferenceBackendWithoutAWarning() throws Exception {
    ChildJvm.Result r =
        ChildJvm.run(
            List.of("--add-modules=jdk.incubator.vector", "-Dgradguard.backend=reference"),
            Map.of(Backends.BACKEND_ENV, "vector"),
            Probe.class.getName());
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("reference 5.0", r.stdout().strip());
    assertTrue(r.stderr().lines().noneMatch(l -> l.contains("GradGuard")), r.stderr());
  }

  /** Prints the backend's name and the result of a few tensor operations. */
  public static final class Probe {
    private Probe() {}

    public static void main(String[] args) {
      Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
      Tensor b = Tensor.of(new float[] {1, 2}, 2, 1);
      float v = a.matmul(b).item();
      Backends.current(); // asking again must not warn again
      a.add(a).exp().sum();
      System.out.println(Backends.current().name() + " " + v);
    }
  }
}
