package org.gradguard.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A finite, indexed collection of examples, each an input of shape {@link #featureShape()} and a
 * target: a class index in {@code [0, numClasses())} for classification, or a vector of shape
 * {@link #targetShape()} for regression ({@code numClasses() == 0}).
 *
 * <p>Implementations are immutable: {@link #batch(int[])} never changes the dataset, so one dataset
 * can be shared by several loaders and threads.
 */
public interface Dataset {

  /** The number of examples. */
  int size();

  /** The shape of one input, without the batch axis; a copy. */
  int[] featureShape();

  /** The shape of one target, without the batch axis: {@code []} for class labels, {@code [k]}. */
  int[] targetShape();

  /** The number of classes for classification, or 0 for regression. */
  int numClasses();

  /**
   * The examples at {@code indices}, in that order (repeats allowed), as a batch of inputs {@code
   * [B, ...featureShape]} and targets {@code [B, ...targetShape]}. Not modified: {@code indices}.
   *
   * @throws IllegalArgumentException if an index is outside {@code [0, size())}
   */
  Batch batch(int[] indices);

  /**
   * A one-line, human-readable description for provenance: the name, where it came from (file or
   * generator and seed) and its sizes.
   */
  String description();

  /**
   * Names of the classes, index by index; by default {@code "0"}, {@code "1"}, … Empty for
   * regression.
   */
  default List<String> classNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < numClasses(); i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }
}
