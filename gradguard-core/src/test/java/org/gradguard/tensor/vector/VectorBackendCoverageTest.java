package org.gradguard.tensor.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.gradguard.tensor.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * No kernel escapes its test: every public method of {@link VectorBackend} and every method of
 * {@link Backend} must have an entry in {@link #COVERAGE} naming the test class that checks it
 * against {@link org.gradguard.tensor.ReferenceBackend}. Adding a kernel variant without a test
 * fails here. (Each kernel test enumerates {@code UnaryOp}, {@code BinaryOp} and {@code ReduceOp},
 * so new operations are covered without an entry.)
 */
class VectorBackendCoverageTest {
  /** Method signature → the test class that checks it. */
  static final Map<String, Class<?>> COVERAGE =
      Map.of(
          "name()", VectorBackendCoverageTest.class,
          "toString()", VectorBackendCoverageTest.class,
          "gemm(boolean,boolean,int,int,int,float[],int,float[],int,float[],int,boolean)",
              VectorBackendGemmTest.class,
          "map(UnaryOp,float[],float[],int)", VectorBackendMapTest.class,
          "zip(BinaryOp,float[],int[],float[],int[],float[],int[])", VectorBackendZipTest.class,
          "reduce(ReduceOp,float[],int,int,int,float[])", VectorBackendReduceTest.class,
          "elmanForwardSteps(boolean,int,int,int,float[],float[],float[])",
              VectorBackendRecurrenceTest.class,
          "elmanBackwardSteps(boolean,int,int,int,float[],float[],float[],float[],float[],float[],float[])",
              VectorBackendRecurrenceTest.class);

  @Test
  void everyPublicMethodOfTheVectorBackendHasATest() {
    for (Method m : VectorBackend.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
        assertTrue(
            COVERAGE.containsKey(signature(m)),
            "VectorBackend."
                + signature(m)
                + " has no test: write one against ReferenceBackend and add it to COVERAGE");
      }
    }
  }

  @Test
  void everyBackendMethodHasATest() {
    for (Method m : Backend.class.getMethods()) {
      assertTrue(
          COVERAGE.containsKey(signature(m)),
          "Backend." + signature(m) + " has no VectorBackend test in COVERAGE");
    }
  }

  @Test
  void everyCoveringClassHasTests() {
    for (Class<?> c : COVERAGE.values()) {
      long tests =
          Arrays.stream(c.getDeclaredMethods())
              .filter(
                  m ->
                      m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(TestFactory.class))
              .count();
      assertTrue(tests > 0, c.getSimpleName() + " has no tests");
    }
  }

  @Test
  void nameAndDescription() {
    VectorBackend vb = new VectorBackend();
    assertEquals("vector", vb.name());
    assertTrue(vb.toString().matches("vector\\[\\d+-bit, \\d+ floats]"), vb.toString());
  }

  private static String signature(Method m) {
    return m.getName()
        + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(",", "(", ")"));
  }
}
