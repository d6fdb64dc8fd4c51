package org.gradguard.config;

/**
 * A mistake in a user's input: a config file, a {@code --set} override, or a data file a config
 * names. Its message is one line, {@code <file>: <key path or record>: <problem>}, e.g. {@code
 * runs.yaml: optimizer.lr: must be > 0, got -0.1}; the command line prints it after {@code
 * gradguard: } and exits with code 2, without a stack trace.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String where;
  private final String problem;

  /**
   * @param file the file (as the user named it), or null when there is none
   * @param where the key path ({@code optimizer.lr}) or record ({@code line 3}), or null
   * @param problem what is wrong, with the offending value
   */
  public ConfigException(String file, String where, String problem) {
    this(file, where, problem, null);
  }

  /** As {@link #ConfigException(String, String, String)}, with the underlying cause. */
  public ConfigException(String file, String where, String problem, Throwable cause) {
    super(format(file, where, problem), cause);
    this.file = file;
    this.where = where;
    this.problem = problem;
  }

  /** The file, or null. */
  public String file() {
    return file;
  }

  /** The key path or record, or null. */
  public String where() {
    return where;
  }

  /** What is wrong. */
  public String problem() {
    return problem;
  }

  private static String format(String file, String where, String problem) {
    StringBuilder sb = new StringBuilder();
    if (file != null && !file.isEmpty()) {
      sb.append(file).append(": ");
    }
    if (where != null && !where.isEmpty()) {
      sb.append(where).append(": ");
    }
    return sb.append(oneLine(problem)).toString();
  }

  /** {@code text} with its line breaks replaced by {@code "; "}, so that errors stay one line. */
  public static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    return text.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
