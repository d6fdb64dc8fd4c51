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
      Map.ofEntries(
          Map.entry("name()", VectorBackendCoverageTest.class),
          Map.entry("toString()", VectorBackendCoverageTest.class),
          Map.entry(
              "gemm(boolean,boolean,int,int,int,float[],int,float[],int,float[],int,boolean)",
              VectorBackendGemmTest.class),
          Map.entry("map(UnaryOp,float[],float[],int)", VectorBackendMapTest.class),
          Map.entry(
              "zip(BinaryOp,float[],int[],float[],int[],float[],int[])",
              VectorBackendZipTest.class),
          Map.entry("reduce(ReduceOp,float[],int,int,int,float[])", VectorBackendReduceTest.class),
          // recurrent/convolution kernels
          Map.entry(
              "elmanForwardSteps(boolean,int,int,int,float[],float[],float[])",
              VectorBackendRecurrenceTest.class),
          Map.entry(
              "elmanBackwardSteps(boolean,int,int,int,float[],float[],float[],float[],float[],"
                  + "float[],float[])",
              VectorBackendRecurrenceTest.class),
          // dense-step kernels
          Map.entry("allFinite(float[],int)", VectorBackendDenseTest.class),
          Map.entry("sumOfSquares(float[],int)", VectorBackendDenseTest.class),
          Map.entry("scaleInPlace(float[],int,double)", VectorBackendDenseTest.class),
          Map.entry("addScaledInPlace(float[],float[],int,double)", VectorBackendDenseTest.class),
          Map.entry("reluBackward(float[],float[],float[],int)", VectorBackendDenseTest.class),
          Map.entry("tanhBackward(float[],float[],float[],int)", VectorBackendDenseTest.class),
          Map.entry(
              "momentumUpdate(float[],float[],int,double,double,boolean,boolean)",
              VectorBackendDenseTest.class),
          Map.entry(
              "adamUpdate(float[],float[],float[],int,double,double,double,double,double)",
              VectorBackendDenseTest.class),
          Map.entry(
              "columnMeanVariance(float[],int,int,double[],double[])",
              VectorBackendDenseTest.class),
          Map.entry(
              "columnAffine(float[],int,int,double[],double[],double[],float[])",
              VectorBackendDenseTest.class),
          Map.entry(
              "columnGradSums(float[],float[],int,int,double[],double[],double[],double[])",
              VectorBackendDenseTest.class),
          Map.entry(
              "batchNormInputGrad(float[],float[],int,int,double[],double[],double[],double[],"
                  + "double[],float[])",
              VectorBackendDenseTest.class),
          // packed operands
          Map.entry("packOperand(float[],int,int,int,boolean)", VectorBackendPackedTest.class),
          Map.entry(
              "addPackedProduct(int,float[],int,PackedOperand,float[],int)",
              VectorBackendPackedTest.class),
          // data conversion
          Map.entry(
              "unsignedBytesOver255(byte[],int,float[],int,int)", VectorBackendBytesTest.class),
          // measured passes
          Map.entry("copyMeasured(float[],float[],int,double[])", VectorBackendMeasuredTest.class),
          Map.entry(
              "addInPlaceMeasured(float[],float[],int,double[])", VectorBackendMeasuredTest.class));

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
