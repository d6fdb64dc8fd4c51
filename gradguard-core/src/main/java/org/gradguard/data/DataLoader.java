package org.gradguard.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Cuts a {@link Dataset} into batches, epoch after epoch, optionally shuffled.
 *
 * <p>The order of epoch {@code e} is a pure function of {@code e} given by an {@link EpochOrder}:
 * by default a Fisher–Yates shuffle of {@code 0..N-1} by an {@link org.gradguard.tensor.Rng} seeded
 * from the seed and {@code e} together ({@link EpochOrder#shuffled}), the identity when shuffling
 * is off, or PyTorch's {@code randperm} sequence ({@link EpochOrder#pytorch}). Batch {@code b} of
 * an epoch holds positions {@code [b·B, min((b+1)·B, N))} of that order; with {@code dropLast} a
 * final short batch is left out, as in PyTorch's {@code DataLoader}. Hence a loader restored to a
 * {@link Position} by {@link #seek(Position)} produces exactly the batches the original would have
 * produced from there.
 *
 * <p>A loader is a cursor: {@link #next()} returns the batch at the current position and advances,
 * crossing epoch boundaries (an endless stream, for step-based training); {@link #epoch()} iterates
 * the rest of the current epoch. {@link #batch(int, int)} reads any batch without moving. Not
 * thread-safe.
 */
public final class DataLoader {
  private final Dataset dataset;
  private final int batchSize;
  private final boolean dropLast;
  private final EpochOrder order;
  private final int batchesPerEpoch;

  private int epoch;
  private int batchIndex;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  /**
   * Where a loader stands: the next batch it returns is batch {@code batch} of epoch {@code epoch}.
   *
   * @param epoch the epoch, from 0
   * @param batch the batch within the epoch, from 0; equal to the number of batches per epoch only
   *     transiently (it is normalized to the start of the next epoch)
   */
  public record Position(int epoch, int batch) {
    /** Validates that both are non-negative. */
    public Position {
      if (epoch < 0 || batch < 0) {
        throw new IllegalArgumentException(
            "DataLoader.Position: epoch and batch must be >= 0, got epoch "
                + epoch
                + ", batch "
                + batch);
      }
    }
  }

  /**
   * A loader at position (0, 0).
   *
   * @param dataset the examples, not empty; not modified
   * @param batchSize examples per batch, {@code > 0}
   * @param shuffle whether each epoch uses a fresh seeded permutation
   * @param dropLast whether to leave out a final batch smaller than {@code batchSize}
   * @param seed determines every epoch's permutation
   * @throws IllegalArgumentException naming the parameter and its value
   */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed) {
    this(
        dataset,
        batchSize,
        dropLast,
        shuffle ? EpochOrder.shuffled(seed) : EpochOrder.sequential());
  }

  /**
   * A loader at position (0, 0) that visits each epoch in {@code order}.
   *
   * @param dataset the examples, not empty; not modified
   * @param batchSize examples per batch, {@code > 0}
   * @param dropLast whether to leave out a final batch smaller than {@code batchSize}
   * @param order the order of each epoch, not null
   * @throws IllegalArgumentException naming the parameter and its value
   */
  public DataLoader(Dataset dataset, int batchSize, boolean dropLast, EpochOrder order) {
    if (order == null) {
      throw new IllegalArgumentException("DataLoader: order must not be null");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("DataLoader: batchSize must be > 0, got " + batchSize);
    }
    int n = dataset.size();
    if (n <= 0) {
      throw new IllegalArgumentException(
          "DataLoader: dataset must not be empty, got size "
              + n
              + " ("
              + dataset.description()
              + ")");
    }
    if (dropLast && batchSize > n) {
      throw new IllegalArgumentException(
          "DataLoader: batchSize "
              + batchSize
              + " exceeds the dataset size "
              + n
              + " with dropLast, so an epoch would have no batches");
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.order = order;
    this.batchesPerEpoch =
        dropLast ? n / batchSize : (int) ((n + (long) batchSize - 1) / batchSize);
  }

  /**
   * A shuffling loader that keeps the last short batch: {@code (dataset, batchSize, true, false,
   * seed)}.
   */
  public DataLoader(Dataset dataset, int batchSize, long seed) {
    this(dataset, batchSize, true, false, seed);
  }

  /** The dataset. */
  public Dataset dataset() {
    return dataset;
  }

  /** Examples per (full) batch. */
  public int batchSize() {
    return batchSize;
  }

  /** The number of batches in every epoch. */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /**
   * The order of the examples in epoch {@code epoch}: a permutation of {@code 0..N-1}, a pure
   * function of (seed, epoch). Returns a new array.
   */
  public int[] order(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("DataLoader.order: epoch must be >= 0, got " + epoch);
    }
    return orderRef(epoch).clone();
  }

  private int[] orderRef(int e) {
    if (e != cachedEpoch) {
      int[] o = order.order(dataset.size(), e);
      if (o.length != dataset.size()) {
        throw new IllegalStateException(
            "DataLoader: "
                + order
                + " gave "
                + o.length
                + " indices for epoch "
                + e
                + " of a dataset of "
                + dataset.size());
      }
      cachedOrder = o;
      cachedEpoch = e;
    }
    return cachedOrder;
  }

  /** The dataset indices of batch {@code batch} of epoch {@code epoch}. Returns a new array. */
  public int[] batchIndices(int epoch, int batch) {
    if (epoch < 0 || batch < 0 || batch >= batchesPerEpoch) {
      throw new IllegalArgumentException(
          "DataLoader: no batch "
              + batch
              + " in epoch "
              + epoch
              + " (batches per epoch: "
              + batchesPerEpoch
              + ")");
    }
    int from = batch * batchSize;
    int to = Math.min(from + batchSize, dataset.size());
    return Arrays.copyOfRange(orderRef(epoch), from, to);
  }

  /** Batch {@code batch} of epoch {@code epoch}, without moving the loader. */
  public Batch batch(int epoch, int batch) {
    return dataset.batch(batchIndices(epoch, batch));
  }

  /** The position of the next batch {@link #next()} returns. */
  public Position position() {
    return new Position(epoch, batchIndex);
  }

  /**
   * Moves to {@code position}, e.g. one saved in a checkpoint. A position at the end of an epoch
   * ({@code batch == batchesPerEpoch()}) is taken as the start of the next. Modified: this loader.
   */
  public void seek(Position position) {
    if (position.batch() > batchesPerEpoch) {
      throw new IllegalArgumentException(
          "DataLoader.seek: batch "
              + position.batch()
              + " is beyond the "
              + batchesPerEpoch
              + " batches per epoch");
    }
    epoch = position.epoch();
    batchIndex = position.batch();
    normalize();
  }

  private void normalize() {
    if (batchIndex == batchesPerEpoch) {
      if (epoch == Integer.MAX_VALUE) {
        throw new IllegalStateException("DataLoader: epoch counter overflow");
      }
      epoch++;
      batchIndex = 0;
    }
  }

  /** The batch at the current position; then advances, into the next epoch if needed. */
  public Batch next() {
    Batch b = batch(epoch, batchIndex);
    batchIndex++;
    normalize();
    return b;
  }

  /**
   * The batches from the current position to the end of the current epoch. Each batch the iteration
   * returns advances this loader, so a finished iteration leaves it at the start of the next epoch,
   * and one cut short leaves it where it stopped. At the start of an epoch this is the whole epoch.
   */
  public Iterable<Batch> epoch() {
    int e = epoch;
    return () ->
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return epoch == e;
          }

          @Override
          public Batch next() {
            if (!hasNext()) {
              throw new NoSuchElementException("DataLoader: epoch " + e + " is finished");
            }
            return DataLoader.this.next();
          }
        };
  }

  /** The loader's settings and its dataset's description, for provenance. */
  public String description() {
    return "DataLoader(batchSize="
        + batchSize
        + ", order="
        + order
        + ", dropLast="
        + dropLast
        + ", batchesPerEpoch="
        + batchesPerEpoch
        + ") over "
        + dataset.description();
  }

  @Override
  public String toString() {
    return description() + " at " + position();
  }
}
