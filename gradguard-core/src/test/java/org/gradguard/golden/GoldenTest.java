package org.gradguard.golden;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden vector in the golden directory (see {@link GoldenSuite#resolveDirectory()})
 * against the kinds registered in {@link GoldenKinds#all()}; unregistered kinds show as skipped.
 */
class GoldenTest {
  @TestFactory
  List<DynamicTest> goldenVectors() throws IOException {
    return GoldenSuite.tests(GoldenSuite.resolveDirectory(), GoldenKinds.all(), System.out);
  }
}
