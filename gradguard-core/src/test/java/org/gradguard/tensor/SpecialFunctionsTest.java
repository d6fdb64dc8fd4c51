package org.gradguard.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** erf and erfc against reference values (computed to 17 digits with arbitrary precision). */
class SpecialFunctionsTest {
  private static void assertRelative(double expected, double actual, double rel) {
    assertEquals(expected, actual, rel * Math.abs(expected), "expected " + expected);
  }

  @Test
  void erfMatchesReferenceValuesAcrossBothBranches() {
    assertEquals(0.0, SpecialFunctions.erf(0.0));
    assertRelative(0.5204998778130465, SpecialFunctions.erf(0.5), 1e-14);
    assertRelative(0.8427007929497149, SpecialFunctions.erf(1.0), 1e-14);
    assertRelative(-0.9953222650189527, SpecialFunctions.erf(-2.0), 1e-14);
    assertRelative(0.9999779095030014, SpecialFunctions.erf(3.0), 1e-14);
    assertRelative(0.9999992569016276, SpecialFunctions.erf(3.5), 1e-14);
    assertEquals(1.0, SpecialFunctions.erf(30.0));
  }

  @Test
  void erfcIsRelativelyAccurateInTheUpperTail() {
    assertRelative(0.4795001221869535, SpecialFunctions.erfc(0.5), 1e-14);
    assertRelative(1.8427007929497148, SpecialFunctions.erfc(-1.0), 1e-14);
    assertRelative(2.209049699858544e-5, SpecialFunctions.erfc(3.0), 1e-13);
    assertRelative(1.5374597944280349e-12, SpecialFunctions.erfc(5.0), 1e-13);
    assertRelative(2.088487583762545e-45, SpecialFunctions.erfc(10.0), 1e-13);
    assertEquals(0.0, SpecialFunctions.erfc(30.0));
    assertEquals(2.0, SpecialFunctions.erfc(-30.0));
  }

  @Test
  void normalDistributionFunctions() {
    assertRelative(0.8413447460685429, SpecialFunctions.normalCdf(1.0), 1e-14);
    assertRelative(0.3989422804014327, SpecialFunctions.normalPdf(0.0), 1e-15);
  }
}
