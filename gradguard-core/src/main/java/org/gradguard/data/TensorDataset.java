package org.gradguard.data;

import java.util.Arrays;
import java.util.List;
import org.gradguard.tensor.Tensor;

/**
 * A dataset held in memory as two tensors: inputs {@code [N, ...featureShape]} and targets {@code
 * [N]} (class indices stored as integral float values) or {@code [N, k]} (regression).
 *
 * <p>The tensors are used as given, not copied; callers must not modify them afterwards.
 */
public final class TensorDataset implements Dataset {
  private final Tensor inputs;
  private final Tensor targets;
  private final int numClasses;
  private final List<String> classNames;
  private final String description;

  private TensorDataset(
      Tensor inputs, Tensor targets, int numClasses, List<String> classNames, String description) {
    this.inputs = inputs;
    this.targets = targets;
    this.numClasses = numClasses;
    this.classNames = classNames;
    this.description = description;
  }

  /**
   * A classification dataset. Not modified: the arguments (kept by reference).
   *
   * @param inputs {@code [N, ...featureShape]}
   * @param labels {@code [N]}, each an integral value in {@code [0, numClasses)}
   * @param numClasses the number of classes, at least 1
   * @param description name, source and sizes, for provenance
   * @throws IllegalArgumentException if the shapes disagree or a label is out of range
   */
  public static TensorDataset classification(
      Tensor inputs, Tensor labels, int numClasses, String description) {
    return classification(inputs, labels, numClasses, null, description);
  }

  /**
   * A classification dataset with class names ({@code classNames.get(i)} names class {@code i}).
   * See {@link #classification(Tensor, Tensor, int, String)}; {@code classNames} may be null for
   * the default names {@code "0"}, {@code "1"}, …
   */
  public static TensorDataset classification(
      Tensor inputs, Tensor labels, int numClasses, List<String> classNames, String description) {
    checkLabels("TensorDataset", labels, numClasses, classNames);
    checkLeading(inputs, labels);
    List<String> names = classNames == null ? null : List.copyOf(classNames);
    return new TensorDataset(inputs, labels, numClasses, names, description);
  }

  /**
   * A regression dataset. Not modified: the arguments (kept by reference).
   *
   * @param inputs {@code [N, ...featureShape]}
   * @param targets {@code [N, k]}
   * @param description name, source and sizes, for provenance
   */
  public static TensorDataset regression(Tensor inputs, Tensor targets, String description) {
    if (targets.dim() != 2) {
      throw new IllegalArgumentException(
          "TensorDataset: regression targets must be [N, k], got "
              + Arrays.toString(targets.shape()));
    }
    checkLeading(inputs, targets);
    return new TensorDataset(inputs, targets, 0, List.of(), description);
  }

  /**
   * Checks class labels {@code [N]}: each an integral value in {@code [0, numClasses)}, and {@code
   * numClasses} names or none; messages start with {@code owner}. Shared with {@link
   * ByteImageDataset}.
   */
  static void checkLabels(String owner, Tensor labels, int numClasses, List<String> classNames) {
    if (numClasses < 1) {
      throw new IllegalArgumentException(owner + ": numClasses must be >= 1, got " + numClasses);
    }
    if (labels.dim() != 1) {
      throw new IllegalArgumentException(
          owner + ": labels must be [N], got " + Arrays.toString(labels.shape()));
    }
    float[] t = labels.data();
    for (int i = 0; i < t.length; i++) {
      if (!(t[i] >= 0 && t[i] < numClasses && t[i] == Math.rint(t[i]))) {
        throw new IllegalArgumentException(
            owner + ": label " + i + " is " + t[i] + ", not a class index below " + numClasses);
      }
    }
    if (classNames != null && classNames.size() != numClasses) {
      throw new IllegalArgumentException(
          owner + ": " + classNames.size() + " class names given for numClasses " + numClasses);
    }
  }

  private static void checkLeading(Tensor inputs, Tensor targets) {
    if (inputs.dim() < 1 || inputs.size(0) != targets.size(0)) {
      throw new IllegalArgumentException(
          "TensorDataset: inputs "
              + Arrays.toString(inputs.shape())
              + " and targets "
              + Arrays.toString(targets.shape())
              + " must have the same number of examples along axis 0");
    }
  }

  @Override
  public int size() {
    return inputs.size(0);
  }

  @Override
  public int[] featureShape() {
    int[] s = inputs.shape();
    return Arrays.copyOfRange(s, 1, s.length);
  }

  @Override
  public int[] targetShape() {
    int[] s = targets.shape();
    return Arrays.copyOfRange(s, 1, s.length);
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public Batch batch(int[] indices) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("TensorDataset.batch: no indices");
    }
    int n = size();
    for (int i : indices) {
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException(
            "TensorDataset.batch: index " + i + " out of range [0, " + n + ")");
      }
    }
    return new Batch(inputs.indexSelect(0, indices), targets.indexSelect(0, indices));
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<String> classNames() {
    return classNames == null ? Dataset.super.classNames() : classNames;
  }

  /** All inputs {@code [N, ...featureShape]}, not a copy: do not modify. */
  public Tensor inputs() {
    return inputs;
  }

  /** All targets {@code [N]} or {@code [N, k]}, not a copy: do not modify. */
  public Tensor targets() {
    return targets;
  }

  @Override
  public String toString() {
    return description;
  }
}
