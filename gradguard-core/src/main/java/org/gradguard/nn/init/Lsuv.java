package org.gradguard.nn.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gradguard.autograd.NoGrad;
import org.gradguard.autograd.Variable;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;

/**
 * Layer-sequential unit-variance initialisation, LSUV (Mishkin and Matas 2016, "All you need is a
 * good init"):
 *
 * <ol>
 *   <li>every weight is set to an orthonormal matrix ({@link Init#orthogonal}, gain 1);
 *   <li>layer by layer, from the input to the output, the batch is run through the model, the
 *       variance {@code v} of the layer's output is measured and the weight divided by {@code √v},
 *       until {@code |v − 1| < tolerance} or {@code maxIterations} rescalings were made.
 * </ol>
 *
 * <p>A layer is any module with its own parameter named {@code "weight"} of rank ≥ 2 (Linear, Conv,
 * and also Embedding), taken in the order of {@link Module#namedModules()}, i.e. registration
 * order, which is assumed to be the order of the forward pass (as {@link Module#parameterInfos()}
 * does). The output is captured by a forward hook; the variance is the biased variance over all
 * elements of every output the module produced in that pass, in double. Biases and other parameters
 * are left as they are (the paper's algorithm scales weights only). The passes run without
 * recording a graph and in evaluation mode (so batch norm uses, and does not update, its running
 * statistics); the model's previous mode is restored afterwards.
 *
 * <p>Modified: the weights of {@code model}.
 */
public final class Lsuv {
  /** The paper's variance tolerance. */
  public static final double DEFAULT_TOLERANCE = 0.1;

  /** The paper's cap on rescalings per layer. */
  public static final int DEFAULT_MAX_ITERATIONS = 10;

  private Lsuv() {}

  /**
   * What LSUV did to one layer.
   *
   * @param layer the module's full name ({@code "3"}, {@code "blocks.0.fc1"})
   * @param iterations the number of rescalings made (0 when the orthonormal weight already gave
   *     unit variance)
   * @param finalVariance the output variance measured with the final weight
   * @param converged whether {@code |finalVariance − 1| < tolerance}
   */
  public record LayerResult(
      String layer, int iterations, double finalVariance, boolean converged) {}

  /** The per-layer results, in the order the layers were processed. */
  public record Report(List<LayerResult> layers) {
    public Report {
      layers = List.copyOf(layers);
    }

    /** True when every layer reached the tolerance. */
    public boolean converged() {
      return layers.stream().allMatch(LayerResult::converged);
    }
  }

  /**
   * Runs LSUV on {@code model} with {@code batch} as its input.
   *
   * @param model the model (Modified: its weights)
   * @param batch an input batch for {@code model.forward} (Not modified)
   * @param tolerance the accepted {@code |Var − 1|}, in (0, 1)
   * @param maxIterations the most rescalings per layer, ≥ 1
   * @param rng the generator of the orthonormal pre-initialisation
   * @throws IllegalArgumentException for invalid settings or a model without weights
   * @throws IllegalStateException when a layer's output variance is 0 or not finite (nothing to
   *     rescale), naming the layer
   */
  public static Report initialize(
      Module model, Tensor batch, double tolerance, int maxIterations, Rng rng) {
    Objects.requireNonNull(model, "Lsuv: model");
    Objects.requireNonNull(batch, "Lsuv: batch");
    Objects.requireNonNull(rng, "Lsuv: rng");
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("Lsuv: tolerance must be in (0, 1), got " + tolerance);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("Lsuv: maxIterations must be >= 1, got " + maxIterations);
    }
    List<String> names = new ArrayList<>();
    List<Module> layers = new ArrayList<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
      Parameter w = e.getValue().ownParameters().get("weight");
      if (w != null && w.value().dim() >= 2) {
        names.add(e.getKey());
        layers.add(e.getValue());
      }
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException(
          "Lsuv: " + model + " has no module with a 'weight' parameter of rank >= 2");
    }
    for (Module m : layers) {
      Init.orthogonal(weightOf(m), rng);
    }
    boolean wasTraining = model.isTraining();
    model.eval();
    List<LayerResult> results = new ArrayList<>();
    try (NoGrad.Scope s = NoGrad.enter()) {
      for (int l = 0; l < layers.size(); l++) {
        results.add(fitLayer(model, batch, names.get(l), layers.get(l), tolerance, maxIterations));
      }
    } finally {
      if (wasTraining) {
        model.train();
      }
    }
    return new Report(results);
  }

  private static LayerResult fitLayer(
      Module model, Tensor batch, String name, Module layer, double tolerance, int maxIterations) {
    Tensor weight = weightOf(layer);
    int iterations = 0;
    while (true) {
      double v = outputVariance(model, batch, name, layer);
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalStateException(
            "Lsuv: output variance of layer '"
                + name
                + "' is "
                + v
                + " after "
                + iterations
                + " rescalings; cannot rescale to unit variance");
      }
      boolean ok = Math.abs(v - 1.0) < tolerance;
      if (ok || iterations == maxIterations) {
        return new LayerResult(name, iterations, v, ok);
      }
      weight.mulInPlace((float) (1.0 / Math.sqrt(v)));
      iterations++;
    }
  }

  private static Tensor weightOf(Module m) {
    return m.ownParameters().get("weight").value();
  }

  /**
   * One forward pass; the biased variance of everything {@code layer} output, in double, by
   * Welford's update (stable when the mean is large).
   */
  private static double outputVariance(Module model, Tensor batch, String name, Module layer) {
    double[] acc = new double[3]; // count, mean, sum of squared deviations
    Module.ForwardHook hook =
        (m, in, out) -> {
          for (float x : out.value().data()) {
            acc[0]++;
            double delta = x - acc[1];
            acc[1] += delta / acc[0];
            acc[2] += delta * (x - acc[1]);
          }
        };
    try (AutoCloseable handle = layer.registerForwardHook(hook)) {
      model.forward(Variable.constant(batch));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Lsuv: could not remove a forward hook", e);
    }
    if (acc[0] == 0) {
      throw new IllegalStateException(
          "Lsuv: layer '" + name + "' produced no output in a forward pass of " + model);
    }
    return acc[2] / acc[0];
  }
}
