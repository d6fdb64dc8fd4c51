package org.gradguard.bench;

import java.util.List;
import org.gradguard.data.Batch;
import org.gradguard.data.DataLoader;

/**
 * Where a workload's next batch comes from: the "fetch the next batch by index from in-memory
 * tensors" part of a step.
 */
@FunctionalInterface
interface BatchSource {
  /** The next batch; the stream never ends. */
  Batch next();

  /**
   * Random-permutation minibatches, reshuffled each epoch, the last short batch kept: PyTorch's
   * {@code Batches} in {@code torch_workloads.py}. Each batch is gathered by index ({@code
   * indexSelect}) from the dataset's tensors. Not modified: the loader's dataset.
   */
  static BatchSource shuffled(DataLoader loader) {
    return loader::next;
  }

  /**
   * Cycles through a pool of batches prepared in advance, in order: PyTorch's {@code Cycle}. Not
   * modified: {@code pool} (kept by reference).
   */
  static BatchSource cycle(List<Batch> pool) {
    if (pool.isEmpty()) {
      throw new IllegalArgumentException("BatchSource.cycle: the pool is empty");
    }
    return new BatchSource() {
      private int i;

      @Override
      public Batch next() {
        Batch b = pool.get(i);
        i = (i + 1) % pool.size();
        return b;
      }
    };
  }
}
