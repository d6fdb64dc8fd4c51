package org.gradguard.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and loads the IDX datasets {@code "mnist"} and {@code "fashion-mnist"} (Xiao et al. 2017)
 * by name: 60,000 training and 10,000 test images of 28×28 pixels in 10 classes.
 *
 * <p>A split is two files, {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}, or
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each plain or with a {@code
 * .gz} suffix (the plain file is preferred when both exist). The directories searched, in order:
 *
 * <ol>
 *   <li>the explicit directory, when one is given;
 *   <li>{@code $GRADGUARD_DATA/<name>}, then {@code $GRADGUARD_DATA} itself;
 *   <li>{@code ~/.gradguard/datasets/<name>};
 *   <li>{@code /usr/share/datasets/<name>}, where Debian's {@code dataset-fashion-mnist} package
 *       installs the four {@code .gz} files.
 * </ol>
 *
 * The first directory that holds both files of the split is used, and the description names the
 * files actually read. When none does, the error lists every place searched and how to get the
 * files.
 */
public final class NamedDatasets {
  /** The environment variable naming a data directory. */
  public static final String ENV = "GRADGUARD_DATA";

  /** Fashion-MNIST's class names, index by index. */
  public static final List<String> FASHION_MNIST_CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private static final List<String> NAMES = List.of("fashion-mnist", "mnist");

  /** Which part of a dataset. */
  public enum Split {
    /** The training split, files prefixed {@code train-}. */
    TRAIN("train"),
    /** The test split, files prefixed {@code t10k-}. */
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }
  }

  private NamedDatasets() {}

  /** {@link #load(String, Split, Path, IdxReader.Layout)} without an explicit directory. */
  public static TensorDataset load(String name, Split split, IdxReader.Layout layout)
      throws IOException {
    return load(name, split, null, layout);
  }

  /**
   * Loads a split of a named dataset from the first directory that has it, images flattened or not
   * by {@code layout}.
   *
   * @param name {@code "fashion-mnist"} or {@code "mnist"}
   * @param dir a directory to search first, or null
   * @throws IllegalArgumentException if the name is unknown, or the files are found nowhere (the
   *     message lists the places searched and how to get the files)
   * @throws DataFormatException if a file is malformed
   * @throws IOException if a file cannot be read
   */
  public static TensorDataset load(String name, Split split, Path dir, IdxReader.Layout layout)
      throws IOException {
    Path[] files = locate(name, split, dir);
    List<String> classes = name.equals("fashion-mnist") ? FASHION_MNIST_CLASSES : null;
    return IdxReader.load(
        files[0], files[1], layout, 10, classes, name + " " + split.name().toLowerCase());
  }

  /**
   * As {@link #load(String, Split, Path, IdxReader.Layout)}, the images kept as unsigned bytes and
   * converted per batch ({@link IdxReader#loadBytes}): the same batches in a quarter of the memory.
   */
  public static ByteImageDataset loadBytes(
      String name, Split split, Path dir, IdxReader.Layout layout) throws IOException {
    Path[] files = locate(name, split, dir);
    List<String> classes = name.equals("fashion-mnist") ? FASHION_MNIST_CLASSES : null;
    return IdxReader.loadBytes(
        files[0], files[1], layout, 10, classes, name + " " + split.name().toLowerCase());
  }

  /**
   * The image and label files of a split, searched as the class documentation says.
   *
   * @return {@code {images, labels}}
   */
  public static Path[] locate(String name, Split split, Path dir) {
    return locate(
        name, split, dir, System.getenv(), Path.of(System.getProperty("user.home")), SYSTEM_DIR);
  }

  static final Path SYSTEM_DIR = Path.of("/usr/share/datasets");

  /** {@link #locate(String, Split, Path)} with the environment, home and system directory given. */
  static Path[] locate(
      String name, Split split, Path dir, Map<String, String> env, Path home, Path system) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "NamedDatasets: unknown dataset \"" + name + "\"; known: " + NAMES);
    }
    String images = split.prefix + "-images-idx3-ubyte";
    String labels = split.prefix + "-labels-idx1-ubyte";
    List<String> searched = new ArrayList<>();
    for (Path d : candidates(name, dir, env, home, system, searched)) {
      Path x = find(d, images);
      Path y = find(d, labels);
      if (x != null && y != null) {
        return new Path[] {x, y};
      }
    }
    StringBuilder msg =
        new StringBuilder("NamedDatasets: ")
            .append(name)
            .append(' ')
            .append(split.name().toLowerCase())
            .append(" files ")
            .append(images)
            .append("[.gz] and ")
            .append(labels)
            .append("[.gz] not found. Searched:");
    for (String s : searched) {
      msg.append("\n  ").append(s);
    }
    msg.append("\nTo get them: ");
    if (name.equals("fashion-mnist")) {
      msg.append("on Debian, `apt-get install dataset-fashion-mnist` (installs into ")
          .append(system.resolve(name))
          .append("); or ");
    }
    msg.append("download the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,")
        .append(" t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz of ")
        .append(name)
        .append(" into one of those directories, e.g. ")
        .append(home.resolve(".gradguard/datasets").resolve(name))
        .append(", or set ")
        .append(ENV)
        .append('.');
    throw new IllegalArgumentException(msg.toString());
  }

  private static List<Path> candidates(
      String name,
      Path dir,
      Map<String, String> env,
      Path home,
      Path system,
      List<String> searched) {
    List<Path> dirs = new ArrayList<>();
    if (dir != null) {
      dirs.add(dir);
      searched.add(dir + " (explicit directory)");
    }
    String data = env.get(ENV);
    if (data != null && !data.isBlank()) {
      Path root = Path.of(data);
      dirs.add(root.resolve(name));
      dirs.add(root);
      searched.add(root.resolve(name) + " ($" + ENV + "/" + name + ")");
      searched.add(root + " ($" + ENV + ")");
    } else {
      searched.add("$" + ENV + " (not set)");
    }
    Path user = home.resolve(".gradguard").resolve("datasets").resolve(name);
    dirs.add(user);
    searched.add(user.toString());
    dirs.add(system.resolve(name));
    searched.add(system.resolve(name).toString());
    return dirs;
  }

  private static Path find(Path dir, String base) {
    for (String candidate : new String[] {base, base + ".gz"}) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p) && Files.isReadable(p)) {
        return p;
      }
    }
    return null;
  }
}
