package org.gradguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: GradGuard's version (from the build) and the Java runtime's. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  /** The version Maven wrote into {@code version.properties}, or {@code "unknown"}. */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "gradguard " + version(),
      "Java "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vendor")
          + ", "
          + System.getProperty("java.vm.name")
          + ")",
      System.getProperty("os.name") + " " + System.getProperty("os.arch")
    };
  }
}
