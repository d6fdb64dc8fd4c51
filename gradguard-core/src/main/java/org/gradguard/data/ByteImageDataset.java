package org.gradguard.data;

import java.util.Arrays;
import java.util.List;
import org.gradguard.tensor.Backend;
import org.gradguard.tensor.Backends;
import org.gradguard.tensor.Tensor;

/**
 * A classification dataset of 8-bit images held as their unsigned bytes, converted to float32 only
 * for the examples of each batch: pixel {@code p} becomes {@code p / 255f}, exactly what {@link
 * IdxReader#readImages} computes, so a batch is bit-identical to the same batch of the {@link
 * TensorDataset} that {@link IdxReader#load} builds from the same files.
 *
 * <p>Why: Fashion-MNIST's 60,000 training images are 47 MB as bytes and 188 MB as float32. Holding
 * the bytes keeps a training process a quarter of that size; the conversion costs one pass over a
 * batch's pixels (100,352 for a batch of 128, vectorised by the backend's {@link
 * Backend#unsignedBytesOver255}), next to the millions of multiply-adds of a step.
 *
 * <p>Immutable; the arrays are used as given, not copied: callers must not modify them afterwards.
 */
public final class ByteImageDataset implements Dataset {
  private final byte[] pixels;
  private final int[] featureShape;
  private final int featureSize;
  private final Tensor labels;
  private final int numClasses;
  private final List<String> classNames;
  private final String description;

  /**
   * A dataset of {@code labels.size(0)} images. Not modified: the arguments (kept by reference).
   *
   * @param pixels the unsigned pixel bytes, image after image, row-major
   * @param featureShape the shape of one image, e.g. {@code [784]} or {@code [1, 28, 28]}
   * @param labels {@code [N]}, each an integral value in {@code [0, numClasses)}
   * @param numClasses the number of classes, at least 1
   * @param classNames names of the classes, or null for {@code "0"}, {@code "1"}, …
   * @param description name, source and sizes, for provenance
   * @throws IllegalArgumentException if the sizes disagree or a label is out of range
   */
  public ByteImageDataset(
      byte[] pixels,
      int[] featureShape,
      Tensor labels,
      int numClasses,
      List<String> classNames,
      String description) {
    TensorDataset.checkLabels("ByteImageDataset", labels, numClasses, classNames);
    long size = 1;
    for (int d : featureShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "ByteImageDataset: featureShape must be positive, got "
                + Arrays.toString(featureShape));
      }
      size *= d;
    }
    if (size * labels.size(0) != pixels.length) {
      throw new IllegalArgumentException(
          "ByteImageDataset: pixels holds "
              + pixels.length
              + " bytes, expected "
              + labels.size(0)
              + " images of "
              + Arrays.toString(featureShape)
              + " = "
              + size * labels.size(0));
    }
    this.pixels = pixels;
    this.featureShape = featureShape.clone();
    this.featureSize = (int) size;
    this.labels = labels;
    this.numClasses = numClasses;
    this.classNames = classNames == null ? null : List.copyOf(classNames);
    this.description = description;
  }

  @Override
  public int size() {
    return labels.size(0);
  }

  /**
   * The first {@code n} images, as a new dataset with copies of their bytes and labels.
   *
   * @param n in {@code [1, size()]}
   * @param description of the subset, for provenance
   */
  public ByteImageDataset first(int n, String description) {
    if (n < 1 || n > size()) {
      throw new IllegalArgumentException(
          "ByteImageDataset.first: n must be in [1, " + size() + "], got " + n);
    }
    float[] y = Arrays.copyOf(labels.data(), n);
    return new ByteImageDataset(
        Arrays.copyOf(pixels, n * featureSize),
        featureShape,
        Tensor.of(y, n),
        numClasses,
        classNames,
        description);
  }

  /**
   * The images at {@code indices}, in that order, as a new dataset with copies of their bytes and
   * labels (e.g. a validation part held out of a training split).
   *
   * @param indices each in {@code [0, size())}; at least one
   * @param description of the subset, for provenance
   */
  public ByteImageDataset select(int[] indices, String description) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("ByteImageDataset.select: no indices");
    }
    byte[] x = new byte[Math.multiplyExact(indices.length, featureSize)];
    float[] y = new float[indices.length];
    float[] all = labels.data();
    for (int i = 0; i < indices.length; i++) {
      int k = indices[i];
      if (k < 0 || k >= size()) {
        throw new IllegalArgumentException(
            "ByteImageDataset.select: index " + k + " out of [0, " + size() + ")");
      }
      System.arraycopy(pixels, k * featureSize, x, i * featureSize, featureSize);
      y[i] = all[k];
    }
    return new ByteImageDataset(
        x, featureShape, Tensor.of(y, indices.length), numClasses, classNames, description);
  }

  @Override
  public int[] featureShape() {
    return featureShape.clone();
  }

  @Override
  public int[] targetShape() {
    return new int[0];
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  /**
   * The images at {@code indices} as float32 {@code [B, ...featureShape]}, each pixel {@code p /
   * 255f}, and their labels {@code [B]}. Returns new tensors.
   */
  @Override
  public Batch batch(int[] indices) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("ByteImageDataset.batch: no indices");
    }
    int n = size();
    for (int i : indices) {
      if (i < 0 || i >= n) {
        throw new IllegalArgumentException(
            "ByteImageDataset.batch: index " + i + " out of range [0, " + n + ")");
      }
    }
    float[] x = new float[indices.length * featureSize];
    Backend be = Backends.current();
    for (int b = 0; b < indices.length; b++) {
      be.unsignedBytesOver255(pixels, indices[b] * featureSize, x, b * featureSize, featureSize);
    }
    int[] shape = new int[featureShape.length + 1];
    shape[0] = indices.length;
    System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
    return new Batch(Tensor.wrap(x, shape), labels.indexSelect(0, indices));
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<String> classNames() {
    return classNames == null ? Dataset.super.classNames() : classNames;
  }

  @Override
  public String toString() {
    return description;
  }
}
