package org.gradguard.bench;

import org.gradguard.data.IdxReader;
import org.gradguard.data.NamedDatasets;
import org.gradguard.data.TensorDataset;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * A tiny stand-in for Fashion-MNIST: uniform pixels in {@code [0, 1)}, random labels. With fewer
 * examples than a batch, the workloads' loaders give one short batch per epoch, so a test step
 * costs a fraction of a real one while the models stay exactly the workloads' models.
 */
final class StandIn {
  /** Small generated data: 8 batches of W2, 4 batches of W4 with sequences of 12 steps. */
  static final Workloads.SyntheticSizes SIZES = new Workloads.SyntheticSizes(256, 4, 12);

  private StandIn() {}

  static Workloads.FashionSource fashion(int trainSize, int testSize) {
    return (split, layout) -> {
      int n = split == NamedDatasets.Split.TRAIN ? trainSize : testSize;
      Rng rng = new Rng(split == NamedDatasets.Split.TRAIN ? 1 : 2);
      Tensor x =
          layout == IdxReader.Layout.NCHW
              ? Tensor.uniform(rng, 0, 1, n, 1, 28, 28)
              : Tensor.uniform(rng, 0, 1, n, 784);
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        y[i] = rng.nextInt(10);
      }
      return TensorDataset.classification(x, Tensor.wrap(y, n), 10, "stand-in " + split);
    };
  }
}
