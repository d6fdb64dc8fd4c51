package org.gradguard.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gradguard.autograd.LossOps;
import org.gradguard.autograd.Variable;
import org.gradguard.data.AddingProblem;
import org.gradguard.data.Batch;
import org.gradguard.data.DataLoader;
import org.gradguard.data.Dataset;
import org.gradguard.data.IdxReader;
import org.gradguard.data.NamedDatasets;
import org.gradguard.data.TeacherTask;
import org.gradguard.data.TensorDataset;
import org.gradguard.nn.Activation;
import org.gradguard.nn.BatchNorm1d;
import org.gradguard.nn.Conv2d;
import org.gradguard.nn.Flatten;
import org.gradguard.nn.Linear;
import org.gradguard.nn.MaxPool2d;
import org.gradguard.nn.Module;
import org.gradguard.nn.RNN;
import org.gradguard.nn.Residual;
import org.gradguard.nn.Sequential;
import org.gradguard.optim.Clip;
import org.gradguard.optim.GradientTransformation;
import org.gradguard.optim.Optimizer;
import org.gradguard.optim.Optimizers;
import org.gradguard.optim.Transforms;
import org.gradguard.tensor.Rng;

/**
 * The benchmark workloads W1–W5, defined exactly as in {@code ../shared/bench/README.md} and run in
 * PyTorch by {@code torch_workloads.py}. All float32, PyTorch's default initialisation (that of
 * {@link Linear}, {@link Conv2d}, {@link RNN}), one seed for everything:
 *
 * <table>
 *   <caption>The workloads</caption>
 *   <tr><th>name<th>model<th>batch<th>optimizer<th>clip<th>data
 *   <tr><td>{@code mlp} (W1)<td>Linear 784→256, ReLU, Linear 256→256, ReLU, Linear 256→10
 *       <td>128<td>SGD lr 0.05, momentum 0.9<td>—<td>Fashion-MNIST, pixels / 255
 *   <tr><td>{@code deep-narrow} (W2)<td>49 × (Linear 64→64, tanh), Linear 64→10<td>32
 *       <td>SGD lr 0.01<td>global norm 1.0<td>{@link TeacherTask#deepNarrow}, 65,536 examples
 *       cycled in 2,048 fixed batches
 *   <tr><td>{@code resmlp-bn} (W3)<td>Linear 784→256; 10 × [x + Linear(ReLU(BN(Linear(ReLU(BN(x))))))];
 *       Linear 256→10<td>128<td>AdamW lr 1e-3, wd 1e-2<td>global norm 1.0<td>Fashion-MNIST
 *   <tr><td>{@code rnn-adding} (W4)<td>tanh RNN 2→128 over T = 100, last hidden → Linear 128→1,
 *       MSE<td>64<td>SGD lr 0.01<td>global norm 1.0<td>{@link AddingProblem}, 256 batches
 *       generated once and cycled
 *   <tr><td>{@code cnn} (W5)<td>Conv 1→32 3×3 pad 1, ReLU, MaxPool 2; Conv 32→64 3×3 pad 1, ReLU,
 *       MaxPool 2; Flatten; Linear 3136→128, ReLU; Linear 128→10<td>64<td>Adam lr 1e-3<td>—
 *       <td>Fashion-MNIST, NCHW
 * </table>
 *
 * <p>Fashion-MNIST batches are random permutations reshuffled every epoch, the last short batch
 * kept, gathered by index from the tensors in memory ({@link DataLoader}). The clipping is the head
 * of the optimizer's chain, so it acts on the raw gradients as {@code clip_grad_norm_} does before
 * {@code opt.step()}. The random streams differ from PyTorch's, so weights and batches are equal in
 * distribution, not in value; throughput does not depend on which.
 */
public final class Workloads {
  /** The workload names, W1 to W5. */
  public static final List<String> NAMES =
      List.of("mlp", "deep-narrow", "resmlp-bn", "rnn-adding", "cnn");

  /** The adding problem's sequence length T in W4. */
  public static final int ADDING_STEPS = 100;

  /** The number of pre-generated W4 batches, cycled. */
  public static final int ADDING_BATCHES = 256;

  private static final double CLIP = 1.0;

  /**
   * The sizes of the generated data: those of the README ({@link #README}), or smaller ones so that
   * tests can afford a step. The models, batch sizes and optimizers do not depend on them.
   *
   * @param deepNarrowPool W2's pool of examples, cut into batches of 32
   * @param addingBatches W4's number of pre-generated batches of 64
   * @param addingSteps W4's sequence length T
   */
  record SyntheticSizes(int deepNarrowPool, int addingBatches, int addingSteps) {
    static final SyntheticSizes README =
        new SyntheticSizes(TeacherTask.DEEP_NARROW_POOL, ADDING_BATCHES, ADDING_STEPS);
  }

  /** Where the Fashion-MNIST splits come from (a stand-in in tests). */
  @FunctionalInterface
  public interface FashionSource {
    /** One split, flat {@code [N, 784]} or NCHW {@code [N, 1, 28, 28]}. */
    Dataset load(NamedDatasets.Split split, IdxReader.Layout layout) throws IOException;

    /**
     * The real files, found by {@link NamedDatasets} ({@code /usr/share/datasets} and others); the
     * images stay bytes until a batch converts them, as PyTorch's side holds them as float32 (the
     * batches are the same; the process is 165 MB smaller).
     */
    static FashionSource named() {
      return (split, layout) -> NamedDatasets.loadBytes("fashion-mnist", split, null, layout);
    }
  }

  private Workloads() {}

  /** Whether the workload trains on Fashion-MNIST (and so has a test split). */
  public static boolean usesFashionMnist(String name) {
    check(name);
    return name.equals("mlp") || name.equals("resmlp-bn") || name.equals("cnn");
  }

  /** {@link #create(String, long, FashionSource)} on the real Fashion-MNIST files. */
  public static Workload create(String name, long seed) throws IOException {
    return create(name, seed, FashionSource.named());
  }

  /**
   * Builds a workload: model (training mode), optimizer and data.
   *
   * @param name one of {@link #NAMES}
   * @param seed determines the initial weights, the synthetic data and the batch order
   * @param fashion where the Fashion-MNIST workloads get their data; unused by the others
   * @throws IllegalArgumentException for an unknown name, or if Fashion-MNIST is not found (the
   *     message says where it was searched and how to install it)
   * @throws IOException if a data file cannot be read
   */
  public static Workload create(String name, long seed, FashionSource fashion) throws IOException {
    return create(name, seed, fashion, SyntheticSizes.README);
  }

  /** {@link #create(String, long, FashionSource)} with other sizes of generated data. */
  static Workload create(String name, long seed, FashionSource fashion, SyntheticSizes sizes)
      throws IOException {
    check(name);
    Rng rng = new Rng(seed);
    switch (name) {
      case "mlp":
        return mlp(rng, seed, fashion);
      case "deep-narrow":
        return deepNarrow(rng, seed, sizes);
      case "resmlp-bn":
        return resMlp(rng, seed, fashion);
      case "rnn-adding":
        return rnnAdding(rng, seed, sizes);
      default:
        return cnn(rng, seed, fashion);
    }
  }

  private static void check(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "Workloads: unknown workload \"" + name + "\"; known: " + String.join(", ", NAMES));
    }
  }

  private static Workload mlp(Rng rng, long seed, FashionSource fashion) throws IOException {
    Sequential model =
        new Sequential(
            new Linear(784, 256, rng),
            Activation.relu(),
            new Linear(256, 256, rng),
            Activation.relu(),
            new Linear(256, 10, rng));
    GradientTransformation sgd = Optimizers.sgd(0.05, 0.9, 0, 0, false);
    int[][] dims = {{784, 256}, {256, 256}, {256, 10}};
    return onFashion("mlp", 128, model, sgd, fashion, IdxReader.Layout.FLAT, seed, dims);
  }

  private static Workload deepNarrow(Rng rng, long seed, SyntheticSizes sizes) {
    int bs = 32;
    List<Module> layers = new ArrayList<>();
    int[][] dims = new int[50][];
    for (int i = 0; i < 49; i++) {
      layers.add(new Linear(64, 64, rng));
      layers.add(Activation.tanh());
      dims[i] = new int[] {64, 64};
    }
    layers.add(new Linear(64, 10, rng));
    dims[49] = new int[] {64, 10};
    Sequential model = new Sequential(layers);
    TensorDataset pool = TeacherTask.deepNarrow(sizes.deepNarrowPool(), seed);
    GradientTransformation chain = Transforms.chain(Clip.byGlobalNorm(CLIP), Optimizers.sgd(0.01));
    return new Workload(
        "deep-narrow",
        bs,
        model,
        Optimizer.of(chain, model),
        BatchSource.cycle(fixedBatches(pool, bs)),
        Batch::inputs,
        Workloads::crossEntropy,
        null,
        pool.size() / bs,
        linearTrainFlops(dims, bs),
        pool.description());
  }

  private static Workload resMlp(Rng rng, long seed, FashionSource fashion) throws IOException {
    int w = 256;
    List<Module> layers = new ArrayList<>();
    layers.add(new Linear(784, w, rng));
    int[][] dims = new int[22][];
    dims[0] = new int[] {784, w};
    for (int b = 0; b < 10; b++) {
      layers.add(
          new Residual(
              new Sequential(
                  new BatchNorm1d(w),
                  Activation.relu(),
                  new Linear(w, w, rng),
                  new BatchNorm1d(w),
                  Activation.relu(),
                  new Linear(w, w, rng))));
      dims[1 + 2 * b] = new int[] {w, w};
      dims[2 + 2 * b] = new int[] {w, w};
    }
    layers.add(new Linear(w, 10, rng));
    dims[21] = new int[] {w, 10};
    Sequential model = new Sequential(layers);
    GradientTransformation chain =
        Transforms.chain(Clip.byGlobalNorm(CLIP), Optimizers.adamw(1e-3, 1e-2));
    return onFashion("resmlp-bn", 128, model, chain, fashion, IdxReader.Layout.FLAT, seed, dims);
  }

  private static Workload rnnAdding(Rng rng, long seed, SyntheticSizes sizes) {
    int bs = 64;
    int t = sizes.addingSteps();
    int h = 128;
    AddingRegressor model = new AddingRegressor(h, rng);
    TensorDataset pool = AddingProblem.generate(sizes.addingBatches() * bs, t, seed);
    GradientTransformation chain = Transforms.chain(Clip.byGlobalNorm(CLIP), Optimizers.sgd(0.01));
    long flops = 3L * t * 2 * bs * (2 * h + h * h) + 3L * 2 * bs * h;
    return new Workload(
        "rnn-adding",
        bs,
        model,
        Optimizer.of(chain, model),
        BatchSource.cycle(fixedBatches(pool, bs)),
        Batch::sequenceMajorInputs,
        (out, batch) -> LossOps.mse(out, Variable.constant(batch.targets())),
        null,
        sizes.addingBatches(),
        flops,
        pool.description());
  }

  private static Workload cnn(Rng rng, long seed, FashionSource fashion) throws IOException {
    int bs = 64;
    Sequential model =
        new Sequential(
            new Conv2d(1, 32, 3, 1, 1, rng),
            Activation.relu(),
            new MaxPool2d(2),
            new Conv2d(32, 64, 3, 1, 1, rng),
            Activation.relu(),
            new MaxPool2d(2),
            new Flatten(),
            new Linear(3136, 128, rng),
            Activation.relu(),
            new Linear(128, 10, rng));
    long c1 = 2L * 28 * 28 * 32 * 9;
    long c2 = 2L * 14 * 14 * 64 * 9 * 32;
    long f1 = 2L * 3136 * 128;
    long f2 = 2L * 128 * 10;
    long flops = bs * (3 * (c1 + c2 + f1 + f2) - c1);
    Dataset train = fashion.load(NamedDatasets.Split.TRAIN, IdxReader.Layout.NCHW);
    Dataset test = fashion.load(NamedDatasets.Split.TEST, IdxReader.Layout.NCHW);
    return onFashion("cnn", bs, model, Optimizers.adam(1e-3), train, test, seed, flops);
  }

  private static Workload onFashion(
      String name,
      int bs,
      Module model,
      GradientTransformation chain,
      FashionSource fashion,
      IdxReader.Layout layout,
      long seed,
      int[][] dims)
      throws IOException {
    Dataset train = fashion.load(NamedDatasets.Split.TRAIN, layout);
    Dataset test = fashion.load(NamedDatasets.Split.TEST, layout);
    return onFashion(name, bs, model, chain, train, test, seed, linearTrainFlops(dims, bs));
  }

  private static Workload onFashion(
      String name,
      int bs,
      Module model,
      GradientTransformation chain,
      Dataset train,
      Dataset test,
      long seed,
      long flops) {
    DataLoader loader = new DataLoader(train, bs, true, false, seed);
    return new Workload(
        name,
        bs,
        model,
        Optimizer.of(chain, model),
        BatchSource.shuffled(loader),
        Batch::inputs,
        Workloads::crossEntropy,
        test,
        loader.batchesPerEpoch(),
        flops,
        train.description());
  }

  private static Variable crossEntropy(Variable logits, Batch batch) {
    return LossOps.crossEntropy(logits, batch.labels(), 0.0);
  }

  /** The pool cut into consecutive batches of {@code bs} (a final partial batch dropped). */
  private static List<Batch> fixedBatches(TensorDataset pool, int bs) {
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from + bs <= pool.size(); from += bs) {
      batches.add(
          new Batch(
              pool.inputs().slice(0, from, from + bs), pool.targets().slice(0, from, from + bs)));
    }
    return batches;
  }

  /**
   * Matrix-multiply FLOPs of a training step through a chain of Linear layers, as {@code
   * linear_train_flops} in {@code torch_workloads.py}: forward {@code 2·B·i·o}, weight gradient
   * {@code 2·B·i·o}, input gradient {@code 2·B·i·o} except for the first layer.
   */
  static long linearTrainFlops(int[][] dims, int bs) {
    long s = 0;
    for (int[] d : dims) {
      s += (long) d[0] * d[1];
    }
    return 2L * bs * s * 2 + 2L * bs * (s - (long) dims[0][0] * dims[0][1]);
  }

  /**
   * W4's model, PyTorch's {@code RNNReg}: {@code head(rnn(x).h_N)}, a tanh RNN whose last hidden
   * state feeds a Linear read-out. Input {@code [T, B, 2]} (sequence-major), output {@code [B, 1]}.
   */
  static final class AddingRegressor extends Module {
    private final RNN rnn;
    private final Linear head;

    AddingRegressor(int hidden, Rng rng) {
      this.rnn = registerModule("rnn", new RNN(2, hidden, rng));
      this.head = registerModule("head", new Linear(hidden, 1, rng));
    }

    @Override
    protected Variable compute(Variable x) {
      Variable last = rnn.run(x).hN();
      int[] s = last.shape();
      return head.forward(last.reshape(s[1], s[2]));
    }
  }
}
