package org.gradguard.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.data.AddingProblem;
import org.gradguard.data.ByteImageDataset;
import org.gradguard.data.CsvReader;
import org.gradguard.data.DataFormatException;
import org.gradguard.data.Dataset;
import org.gradguard.data.IdxReader;
import org.gradguard.data.NamedDatasets;
import org.gradguard.data.SyntheticTasks;
import org.gradguard.data.TeacherTask;
import org.gradguard.data.TensorDataset;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Builds the datasets a {@link DataConfig} describes: generates synthetic tasks, reads IDX and CSV
 * files, and holds out a validation set. Errors in the files become {@link ConfigException}s naming
 * the config key and the file, line or record.
 */
public final class DataBuilder {
  /**
   * Training and validation data.
   *
   * @param train the training examples
   * @param validation the held-out examples, or null when {@code validation_split} is 0 (for
   *     Fashion-MNIST, MNIST and a CSV with {@code test_path}: their test split, unless {@code
   *     validation_split} holds out part of the training data)
   * @param test the test split when it is not the validation set (evaluated once after training),
   *     else null
   * @param shape what a model must fit
   */
  public record LoadedData(Dataset train, Dataset validation, Dataset test, DataShape shape) {}

  private DataBuilder() {}

  /** The image layout a model needs: {@code [C, H, W]} for convolutional models, else flat. */
  public static IdxReader.Layout layout(DataConfig.Idx d, ModelConfig model) {
    return switch (d.layout()) {
      case FLAT -> IdxReader.Layout.FLAT;
      case IMAGE -> IdxReader.Layout.NCHW;
      case AUTO -> wantsImages(model) ? IdxReader.Layout.NCHW : IdxReader.Layout.FLAT;
    };
  }

  private static boolean wantsImages(ModelConfig model) {
    if (model instanceof ModelConfig.Cnn) {
      return true;
    }
    if (model instanceof ModelConfig.Layers l) {
      LayerSpec first = l.layers().get(0);
      return first instanceof LayerSpec.Conv2d
          || first instanceof LayerSpec.Pool
          || first instanceof LayerSpec.Flatten
          || (first instanceof LayerSpec.BatchNorm b && b.dims() == 2);
    }
    return false;
  }

  /**
   * The shape of the data without generating or reading it, or null when only the file can tell
   * (CSV).
   */
  public static DataShape describe(DataConfig d, ModelConfig model) {
    if (d instanceof DataConfig.Teacher t) {
      return DataShape.classes(d.name(), t.classes(), t.inputDim());
    } else if (d instanceof DataConfig.DeepNarrow) {
      return DataShape.classes(d.name(), 10, 64);
    } else if (d instanceof DataConfig.Spirals s) {
      return DataShape.classes(d.name(), s.arms(), 2);
    } else if (d instanceof DataConfig.Blobs b) {
      return DataShape.classes(d.name(), b.centers(), b.dim());
    } else if (d instanceof DataConfig.Adding a) {
      return DataShape.regression(d.name(), 1, a.steps(), 2);
    } else if (d instanceof DataConfig.LinearRegression r) {
      return DataShape.regression(d.name(), 1, r.scales().size());
    } else if (d instanceof DataConfig.Idx i) {
      return layout(i, model) == IdxReader.Layout.NCHW
          ? DataShape.classes(d.name(), 10, 1, 28, 28)
          : DataShape.classes(d.name(), 10, 784);
    }
    return null;
  }

  /**
   * Generates or reads the data.
   *
   * @param model decides the image layout of IDX data
   * @param origin for errors
   * @throws ConfigException for missing or malformed files, naming the key and the file or record
   */
  public static LoadedData load(DataConfig d, ModelConfig model, Origin origin) {
    try {
      if (d instanceof DataConfig.Idx i) {
        return idx(i, model, origin);
      }
      if (d instanceof DataConfig.Csv c) {
        return csv(c, origin);
      }
      return split(generate(d), seedOf(d), splitOf(d), d.name(), origin);
    } catch (IllegalArgumentException e) {
      if (e instanceof DataFormatException) {
        throw e;
      }
      throw origin.error("data", ConfigException.oneLine(e.getMessage()), e);
    }
  }

  private static TensorDataset generate(DataConfig d) {
    if (d instanceof DataConfig.Teacher t) {
      return TeacherTask.teacher(
          t.n(), t.inputDim(), t.depth(), t.width(), t.classes(), t.activation(), t.seed());
    } else if (d instanceof DataConfig.DeepNarrow n) {
      return TeacherTask.deepNarrow(n.n(), n.seed());
    } else if (d instanceof DataConfig.Spirals s) {
      return SyntheticTasks.spirals(s.n(), s.arms(), s.noise(), s.seed());
    } else if (d instanceof DataConfig.Blobs b) {
      return SyntheticTasks.blobs(b.n(), b.centers(), b.dim(), b.std(), b.seed());
    } else if (d instanceof DataConfig.Adding a) {
      return AddingProblem.generate(a.n(), a.steps(), a.seed());
    } else if (d instanceof DataConfig.LinearRegression r) {
      return LinearRegressionTask.generate(r);
    }
    throw new IllegalStateException("not a synthetic dataset: " + d);
  }

  private static long seedOf(DataConfig d) {
    if (d instanceof DataConfig.Teacher t) {
      return t.seed();
    } else if (d instanceof DataConfig.DeepNarrow n) {
      return n.seed();
    } else if (d instanceof DataConfig.Spirals s) {
      return s.seed();
    } else if (d instanceof DataConfig.Blobs b) {
      return b.seed();
    } else if (d instanceof DataConfig.Adding a) {
      return a.seed();
    } else if (d instanceof DataConfig.LinearRegression r) {
      return r.seed();
    }
    return 0;
  }

  private static double splitOf(DataConfig d) {
    if (d instanceof DataConfig.Teacher t) {
      return t.validationSplit();
    } else if (d instanceof DataConfig.DeepNarrow n) {
      return n.validationSplit();
    } else if (d instanceof DataConfig.Spirals s) {
      return s.validationSplit();
    } else if (d instanceof DataConfig.Blobs b) {
      return b.validationSplit();
    } else if (d instanceof DataConfig.Adding a) {
      return a.validationSplit();
    } else if (d instanceof DataConfig.LinearRegression r) {
      return r.validationSplit();
    }
    return 0;
  }

  /**
   * Holds out {@code round(n·fraction)} examples (at least one when the fraction is positive),
   * chosen by a permutation seeded with {@code seed}; both parts keep the original order.
   */
  static LoadedData split(
      TensorDataset all, long seed, double fraction, String name, Origin origin) {
    DataShape shape = DataShape.of(all, name);
    int[][] parts = splitIndices(all.size(), seed, fraction, origin);
    if (parts == null) {
      return new LoadedData(all, null, null, shape);
    }
    return new LoadedData(
        subset(
            all, parts[0], all.description() + "; training part, " + parts[0].length + " examples"),
        subset(
            all,
            parts[1],
            all.description() + "; validation part, " + parts[1].length + " examples"),
        null,
        shape);
  }

  /**
   * The indices of the training part and of the {@code round(n·fraction)} held-out examples (at
   * least one when the fraction is positive), chosen by a permutation seeded with {@code seed},
   * each in the original order; null when nothing is held out.
   */
  static int[][] splitIndices(int n, long seed, double fraction, Origin origin) {
    int v = fraction == 0 ? 0 : Math.max(1, (int) Math.round(n * fraction));
    if (n - v < 1) {
      throw origin.error(
          "data.validation_split",
          "holding out "
              + Numbers.format(fraction)
              + " of "
              + n
              + " examples leaves none for training");
    }
    if (v == 0) {
      return null;
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    new Rng(seed).split().shuffle(perm);
    boolean[] held = new boolean[n];
    for (int i = 0; i < v; i++) {
      held[perm[i]] = true;
    }
    int[] trainIdx = new int[n - v];
    int[] valIdx = new int[v];
    for (int i = 0, a = 0, b = 0; i < n; i++) {
      if (held[i]) {
        valIdx[b++] = i;
      } else {
        trainIdx[a++] = i;
      }
    }
    return new int[][] {trainIdx, valIdx};
  }

  /** The examples at {@code idx}, as a new dataset. */
  static TensorDataset subset(TensorDataset d, int[] idx, String description) {
    Tensor x = d.inputs().indexSelect(0, idx);
    Tensor y = d.targets().indexSelect(0, idx);
    return d.numClasses() > 0
        ? TensorDataset.classification(x, y, d.numClasses(), d.classNames(), description)
        : TensorDataset.regression(x, y, description);
  }

  private static LoadedData idx(DataConfig.Idx d, ModelConfig model, Origin origin) {
    if (d.dir() != null && !Files.isDirectory(d.dir())) {
      throw origin.error("data.dir", "directory not found: " + d.dir());
    }
    IdxReader.Layout layout = layout(d, model);
    // as bytes, converted per batch (the same batches as float32, a quarter of the memory)
    ByteImageDataset train;
    ByteImageDataset test;
    try {
      train = NamedDatasets.loadBytes(d.dataset(), NamedDatasets.Split.TRAIN, d.dir(), layout);
      test = NamedDatasets.loadBytes(d.dataset(), NamedDatasets.Split.TEST, d.dir(), layout);
    } catch (DataFormatException e) {
      throw origin.error(
          d.dir() != null ? "data.dir" : "data.name", ConfigException.oneLine(e.getMessage()), e);
    } catch (IOException e) {
      throw origin.error(d.dir() != null ? "data.dir" : "data.name", ioProblem(e), e);
    } catch (IllegalArgumentException e) {
      throw origin.error(
          d.dir() != null ? "data.dir" : "data.name", ConfigException.oneLine(e.getMessage()), e);
    }
    if (d.subset() != null && d.subset() < train.size()) {
      train = train.first(d.subset(), train.description() + "; first " + d.subset() + " examples");
    }
    DataShape shape = DataShape.of(train, d.name());
    int[][] parts = splitIndices(train.size(), d.seed(), d.validationSplit(), origin);
    if (parts == null) {
      return new LoadedData(train, test, null, shape);
    }
    return new LoadedData(
        train.select(
            parts[0], train.description() + "; training part, " + parts[0].length + " examples"),
        train.select(
            parts[1], train.description() + "; validation part, " + parts[1].length + " examples"),
        test,
        shape);
  }

  private static LoadedData csv(DataConfig.Csv c, Origin origin) {
    CsvReader reader =
        c.label() != null
            ? CsvReader.classification(c.label())
            : CsvReader.regression(c.targets().toArray(new String[0]));
    if (c.features() != null) {
      reader = reader.withFeatureColumns(c.features().toArray(new String[0]));
    }
    reader = reader.withDelimiter(c.delimiter());
    TensorDataset train = readCsv(reader, c.path(), "data.path", origin);
    if (c.testPath() == null) {
      return split(train, c.seed(), c.validationSplit(), "csv", origin);
    }
    TensorDataset test = readCsv(reader, c.testPath(), "data.test_path", origin);
    if (!java.util.Arrays.equals(train.featureShape(), test.featureShape())) {
      throw origin.error(
          "data.test_path",
          "the test file has "
              + test.featureShape()[0]
              + " feature columns but the training file has "
              + train.featureShape()[0]);
    }
    if (train.numClasses() > 0) {
      TensorDataset[] aligned = alignClasses(train, test, origin);
      train = aligned[0];
      test = aligned[1];
    }
    LoadedData held = split(train, c.seed(), c.validationSplit(), "csv", origin);
    return held.validation() == null
        ? new LoadedData(train, test, null, held.shape())
        : new LoadedData(held.train(), held.validation(), test, held.shape());
  }

  private static TensorDataset readCsv(CsvReader reader, Path file, String key, Origin origin) {
    try {
      return reader.read(file);
    } catch (DataFormatException e) {
      throw origin.error(key, ConfigException.oneLine(e.getMessage()), e);
    } catch (IOException e) {
      throw origin.error(key, ioProblem(e) + ": " + file, e);
    } catch (IllegalArgumentException e) {
      throw origin.error(
          key, "CSV file " + file + ": " + ConfigException.oneLine(e.getMessage()), e);
    }
  }

  /**
   * Gives the training and test files the same class indices: integer labels share {@code max + 1}
   * classes; named labels are mapped to the training file's indices.
   */
  private static TensorDataset[] alignClasses(
      TensorDataset train, TensorDataset test, Origin origin) {
    List<String> trainNames = train.classNames();
    List<String> testNames = test.classNames();
    if (isDefault(trainNames) && isDefault(testNames)) {
      int k = Math.max(train.numClasses(), test.numClasses());
      return new TensorDataset[] {
        TensorDataset.classification(train.inputs(), train.targets(), k, train.description()),
        TensorDataset.classification(test.inputs(), test.targets(), k, test.description())
      };
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < trainNames.size(); i++) {
      index.put(trainNames.get(i), i);
    }
    float[] y = test.targets().data();
    float[] mapped = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      String name = testNames.get((int) y[i]);
      Integer k = index.get(name);
      if (k == null) {
        throw origin.error(
            "data.test_path",
            "class \"" + name + "\" of the test file does not occur in the training file");
      }
      mapped[i] = k;
    }
    TensorDataset t =
        TensorDataset.classification(
            test.inputs(),
            Tensor.wrap(mapped, mapped.length),
            train.numClasses(),
            new ArrayList<>(trainNames),
            test.description());
    return new TensorDataset[] {train, t};
  }

  private static boolean isDefault(List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).equals(Integer.toString(i))) {
        return false;
      }
    }
    return true;
  }

  /** A short description of an I/O failure on a user's file. */
  public static String ioProblem(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "file not found";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return "cannot read (" + ConfigException.oneLine(e.getMessage()) + ")";
  }
}
