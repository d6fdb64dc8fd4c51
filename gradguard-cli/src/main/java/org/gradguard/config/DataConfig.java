package org.gradguard.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradguard.data.TeacherTask;

/**
 * The data: a synthetic task generated from a seed, a named image dataset read from IDX files, or a
 * CSV file. Synthetic and CSV data hold out {@code validation_split} of the examples (a seeded
 * random subset) for validation; the named datasets validate on their test split unless their
 * {@code validation_split} holds data out of the training split. Relative paths are resolved
 * against the directory of the config file.
 */
public sealed interface DataConfig {
  /** The dataset's config name. */
  String name();

  /** Whether the targets are class labels (else regression vectors). */
  boolean classification();

  /**
   * The data's test split when it is also the validation set (Fashion-MNIST's and MNIST's, or a
   * CSV's {@code test_path}, without a {@code validation_split}), in words for a message; null when
   * validation data is held out of the training data or there is no test split.
   */
  default String testSplitUsedForValidation() {
    if (this instanceof Idx i && i.validationSplit() == 0) {
      return i.name() + "'s test split";
    }
    if (this instanceof Csv c && c.testPath() != null && c.validationSplit() == 0) {
      return "data.test_path (" + c.testPath() + ")";
    }
    return null;
  }

  /** The largest number of float values a generated dataset may hold (about 1 GiB). */
  long MAX_VALUES = 1L << 28;

  /** The datasets configs may name. */
  enum Name implements Named {
    TEACHER("teacher"),
    DEEP_NARROW("deep-narrow"),
    SPIRALS("spirals"),
    BLOBS("blobs"),
    ADDING("adding"),
    LINEAR_REGRESSION("linear-regression"),
    FASHION_MNIST("fashion-mnist"),
    MNIST("mnist"),
    CSV("csv");

    private final String id;

    Name(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** How images are laid out: flattened {@code [784]}, as {@code [1, 28, 28]}, or by model. */
  enum Layout implements Named {
    AUTO,
    FLAT,
    IMAGE;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /** {@link TeacherTask#teacher}: labels from a random deep teacher network. */
  record Teacher(
      int n,
      int inputDim,
      int depth,
      int width,
      int classes,
      TeacherTask.Activation activation,
      long seed,
      double validationSplit)
      implements DataConfig {
    @Override
    public String name() {
      return "teacher";
    }

    @Override
    public boolean classification() {
      return true;
    }
  }

  /** {@link TeacherTask#deepNarrow}: the data of benchmark W2. */
  record DeepNarrow(int n, long seed, double validationSplit) implements DataConfig {
    @Override
    public String name() {
      return "deep-narrow";
    }

    @Override
    public boolean classification() {
      return true;
    }
  }

  /** {@code SyntheticTasks.spirals}. */
  record Spirals(int n, int arms, double noise, long seed, double validationSplit)
      implements DataConfig {
    @Override
    public String name() {
      return "spirals";
    }

    @Override
    public boolean classification() {
      return true;
    }
  }

  /** {@code SyntheticTasks.blobs}. */
  record Blobs(int n, int centers, int dim, double std, long seed, double validationSplit)
      implements DataConfig {
    @Override
    public String name() {
      return "blobs";
    }

    @Override
    public boolean classification() {
      return true;
    }
  }

  /** {@code AddingProblem.generate}: sequences {@code [steps, 2]}, a regression target. */
  record Adding(int n, int steps, long seed, double validationSplit) implements DataConfig {
    @Override
    public String name() {
      return "adding";
    }

    @Override
    public boolean classification() {
      return false;
    }
  }

  /**
   * Linear regression with badly scaled features: {@code x_j ~ N(0, scale_j²)}, {@code y = Σ_j w_j
   * x_j / scale_j + b + N(0, noise²)} with {@code w_j ~ N(0, 1)}, {@code b ~ N(0, 1)}: every
   * feature carries the same share of the signal, but gradient descent sees curvatures that differ
   * by {@code (max scale / min scale)²}.
   */
  record LinearRegression(
      int n, List<Double> scales, double noise, long seed, double validationSplit)
      implements DataConfig {
    @Override
    public String name() {
      return "linear-regression";
    }

    @Override
    public boolean classification() {
      return false;
    }
  }

  /**
   * Fashion-MNIST or MNIST from IDX files (plain or gzip), searched in {@code dir} first, then as
   * {@code NamedDatasets} documents; {@code subset} keeps the first examples of the training split.
   * With {@code validationSplit} 0 the test split is the validation set; above 0 that fraction of
   * the training split (drawn with {@code seed}) validates and the test split is the test set,
   * evaluated once after training.
   */
  record Idx(
      String dataset, Path dir, Layout layout, Integer subset, long seed, double validationSplit)
      implements DataConfig {
    @Override
    public String name() {
      return dataset;
    }

    @Override
    public boolean classification() {
      return true;
    }
  }

  /**
   * A CSV file with a header row: classification with labels in column {@code label}, or regression
   * with targets in the {@code targets} columns; features are {@code features} or every other
   * column. With a {@code testPath} and {@code validationSplit} 0 the test file is the validation
   * set; above 0 that fraction of the training file validates and the test file is the test set.
   */
  record Csv(
      Path path,
      Path testPath,
      String label,
      List<String> targets,
      List<String> features,
      char delimiter,
      long seed,
      double validationSplit)
      implements DataConfig {
    @Override
    public String name() {
      return "csv";
    }

    @Override
    public boolean classification() {
      return label != null;
    }
  }

  /** The keys each dataset takes (besides {@code name}). */
  Map<Name, List<String>> KEYS =
      Map.of(
          Name.TEACHER,
              List.of(
                  "name",
                  "n",
                  "input_dim",
                  "depth",
                  "width",
                  "classes",
                  "activation",
                  "seed",
                  "validation_split"),
          Name.DEEP_NARROW, List.of("name", "n", "seed", "validation_split"),
          Name.SPIRALS, List.of("name", "n", "arms", "noise", "seed", "validation_split"),
          Name.BLOBS, List.of("name", "n", "centers", "dim", "std", "seed", "validation_split"),
          Name.ADDING, List.of("name", "n", "steps", "seed", "validation_split"),
          Name.LINEAR_REGRESSION,
              List.of("name", "n", "scales", "noise", "seed", "validation_split"),
          Name.FASHION_MNIST,
              List.of("name", "dir", "layout", "subset", "seed", "validation_split"),
          Name.MNIST, List.of("name", "dir", "layout", "subset", "seed", "validation_split"),
          Name.CSV,
              List.of(
                  "name",
                  "path",
                  "test_path",
                  "label",
                  "targets",
                  "features",
                  "delimiter",
                  "seed",
                  "validation_split"));

  /** The teacher's activations, as config names. */
  enum TeacherActivation implements Named {
    TANH,
    RELU;

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }

  /**
   * The data at {@code node} (required).
   *
   * @param baseDir the directory relative paths are resolved against
   */
  static DataConfig parse(Node node, Path baseDir) {
    if (node.isAbsent()) {
      throw node.error("required section is missing (e.g. data: {name: spirals})");
    }
    if (node.json().isObject() && node.child("name").isAbsent()) {
      throw node.child("name")
          .error("required key is missing (one of: " + Node.ids(Name.values()) + ")");
    }
    Name name = Choices.kind(node, "name", Name.values(), null, "dataset");
    Section s = Choices.settings(node);
    s.keys(KEYS.get(name), Choices.elsewhere(KEYS, name, "dataset"));
    DataConfig d =
        switch (name) {
          case TEACHER ->
              new Teacher(
                  s.integer("n", 4096, 1),
                  s.integer("input_dim", 32, 1),
                  s.integer("depth", 2, 0),
                  s.integer("width", 64, 1),
                  s.integer("classes", 10, 2),
                  s.choice(
                              "activation",
                              TeacherActivation.values(),
                              TeacherActivation.TANH,
                              "activation")
                          == TeacherActivation.TANH
                      ? TeacherTask.Activation.TANH
                      : TeacherTask.Activation.RELU,
                  s.longValue("seed", 0),
                  split(s));
          case DEEP_NARROW ->
              new DeepNarrow(
                  s.integer("n", TeacherTask.DEEP_NARROW_POOL, 1),
                  s.longValue("seed", 0),
                  split(s));
          case SPIRALS -> {
            int arms = s.integer("arms", 3, 2);
            yield new Spirals(
                s.integer("n", 1500, arms),
                arms,
                s.number("noise", 0.05, Range.NON_NEGATIVE),
                s.longValue("seed", 0),
                split(s));
          }
          case BLOBS -> {
            int centers = s.integer("centers", 3, 2);
            yield new Blobs(
                s.integer("n", 1500, centers),
                centers,
                s.integer("dim", 2, 1),
                s.number("std", 1.0, Range.NON_NEGATIVE),
                s.longValue("seed", 0),
                split(s));
          }
          case ADDING ->
              new Adding(
                  s.integer("n", 16384, 1),
                  s.integer("steps", 100, 2),
                  s.longValue("seed", 0),
                  split(s));
          case LINEAR_REGRESSION -> linearRegression(s);
          case FASHION_MNIST, MNIST ->
              new Idx(
                  name.id(),
                  s.has("dir") ? baseDir.resolve(s.string("dir")).normalize() : null,
                  s.choice("layout", Layout.values(), Layout.AUTO, "layout"),
                  s.optionalInteger("subset", 1),
                  s.longValue("seed", 0),
                  s.number("validation_split", 0, Range.FRACTION));
          case CSV -> csv(s, baseDir);
        };
    checkSize(s, d);
    return d;
  }

  private static double split(Section s) {
    return s.number("validation_split", 0.1, Range.FRACTION);
  }

  private static LinearRegression linearRegression(Section s) {
    List<Double> scales = new ArrayList<>();
    Node n = s.get("scales");
    if (n.isAbsent()) {
      scales.addAll(List.of(1.0, 10.0, 100.0));
    } else {
      for (Node item : n.asList()) {
        scales.add(item.asNumber(Range.POSITIVE));
      }
      if (scales.isEmpty()) {
        throw n.error("expected at least one feature scale");
      }
    }
    return new LinearRegression(
        s.integer("n", 1000, 1),
        List.copyOf(scales),
        s.number("noise", 0.1, Range.NON_NEGATIVE),
        s.longValue("seed", 0),
        split(s));
  }

  private static Csv csv(Section s, Path baseDir) {
    boolean hasLabel = s.has("label");
    boolean hasTargets = s.has("targets");
    if (hasLabel == hasTargets) {
      throw s.error(
          hasLabel ? "targets" : "label",
          hasLabel
              ? "set either label (classification) or targets (regression), not both"
              : "required key is missing: set label (classification) or targets (regression)");
    }
    List<String> targets = hasTargets ? strings(s.get("targets")) : List.of();
    List<String> features = s.has("features") ? strings(s.get("features")) : null;
    String delimiter = s.string("delimiter", ",");
    if (delimiter.length() != 1 && !delimiter.equals("\\t")) {
      throw s.error("delimiter", "expected one character, got \"" + delimiter + "\"");
    }
    char d = delimiter.equals("\\t") ? '\t' : delimiter.charAt(0);
    if (d == '"' || d == '\n' || d == '\r') {
      throw s.error("delimiter", "must not be a quote or a line break");
    }
    Path test = s.has("test_path") ? baseDir.resolve(s.string("test_path")).normalize() : null;
    return new Csv(
        baseDir.resolve(s.string("path")).normalize(),
        test,
        hasLabel ? s.string("label") : null,
        targets,
        features,
        d,
        s.longValue("seed", 0),
        test != null ? s.number("validation_split", 0, Range.FRACTION) : split(s));
  }

  private static List<String> strings(Node n) {
    List<String> out = new ArrayList<>();
    for (Node item : n.asList()) {
      String v = item.asString();
      if (out.contains(v)) {
        throw item.error("column \"" + v + "\" is listed twice");
      }
      out.add(v);
    }
    if (out.isEmpty()) {
      throw n.error("expected at least one column name");
    }
    return List.copyOf(out);
  }

  private static void checkSize(Section s, DataConfig d) {
    long values = 0;
    if (d instanceof Teacher t) {
      values = (long) t.n() * (t.inputDim() + 1);
    } else if (d instanceof DeepNarrow n) {
      values = (long) n.n() * 65;
    } else if (d instanceof Spirals sp) {
      values = (long) sp.n() * 3;
    } else if (d instanceof Blobs b) {
      values = (long) b.n() * (b.dim() + 1);
    } else if (d instanceof Adding a) {
      values = (long) a.n() * (2L * a.steps() + 1);
    } else if (d instanceof LinearRegression r) {
      values = (long) r.n() * (r.scales().size() + 1);
    }
    if (values > MAX_VALUES) {
      throw s.error(
          "n", "the generated data would hold " + values + " values, more than " + MAX_VALUES);
    }
  }
}
