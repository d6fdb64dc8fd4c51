package org.gradguard.config;

import java.util.Arrays;
import org.gradguard.data.Dataset;
import org.gradguard.tensor.Shapes;

/**
 * What a model must fit: the shape of one input, and the number of classes or the shape of one
 * regression target.
 *
 * @param featureShape one input, without the batch axis
 * @param numClasses classes for classification, 0 for regression
 * @param targetShape one target: {@code []} for labels, {@code [k]} for regression
 * @param name the dataset's config name, for messages
 */
public record DataShape(int[] featureShape, int numClasses, int[] targetShape, String name) {
  /** Copies the arrays. */
  public DataShape {
    featureShape = featureShape.clone();
    targetShape = targetShape.clone();
  }

  /** The shape of {@code d}. */
  public static DataShape of(Dataset d, String name) {
    return new DataShape(d.featureShape(), d.numClasses(), d.targetShape(), name);
  }

  /** A classification shape. */
  public static DataShape classes(String name, int classes, int... featureShape) {
    return new DataShape(featureShape, classes, new int[0], name);
  }

  /** A regression shape with {@code k} targets. */
  public static DataShape regression(String name, int k, int... featureShape) {
    return new DataShape(featureShape, 0, new int[] {k}, name);
  }

  public boolean classification() {
    return numClasses > 0;
  }

  /** E.g. {@code data 'spirals' ([2] inputs, 3 classes)}. */
  public String describe() {
    return "data '"
        + name
        + "' ("
        + Shapes.format(featureShape)
        + " inputs, "
        + (classification() ? numClasses + " classes" : Shapes.format(targetShape) + " targets")
        + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataShape d
        && Arrays.equals(featureShape, d.featureShape)
        && numClasses == d.numClasses
        && Arrays.equals(targetShape, d.targetShape)
        && name.equals(d.name);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(featureShape) * 31 + numClasses;
  }

  @Override
  public String toString() {
    return describe();
  }
}
