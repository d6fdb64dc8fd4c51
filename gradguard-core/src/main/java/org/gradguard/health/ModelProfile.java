package org.gradguard.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.gradguard.nn.Activation;
import org.gradguard.nn.Module;
import org.gradguard.nn.Parameter;
import org.gradguard.tensor.Tensor;

/**
 * What the diagnosis needs to know about a model's structure and initial scale, taken when the
 * monitor attaches (normally right after initialization).
 *
 * <p>Residual connections, normalization layers and recurrent layers are recognised by the role
 * each module declares ({@link Module#role()}), so that this package does not depend on every layer
 * type and a user's own blocks count as well; a recurrent cell built from plain layers is also
 * recognised by an activation layer that runs more than once per forward pass (seen by the
 * monitor).
 *
 * @param layers the number of layers that own parameters
 * @param activations how many activation layers of each kind
 * @param residual whether any residual block was found
 * @param normalization whether any normalization layer was found
 * @param recurrent whether any recurrent layer was found
 * @param sigmaW2 the median over layers of {@code fan_in·mean(W²)} for the layers' weights (2-D or
 *     more; fan_in as in PyTorch: size(1) × receptive field), NaN when there are none; 1 is
 *     Xavier/LeCun scale, 2 is He scale
 * @param sigmaB2 the median over layers of {@code mean(b²)} for biases (0 when none)
 */
public record ModelProfile(
    int layers,
    Map<Activation.Kind, Integer> activations,
    boolean residual,
    boolean normalization,
    boolean recurrent,
    double sigmaW2,
    double sigmaB2) {
  public ModelProfile {
    activations = Map.copyOf(activations);
  }

  /** The profile of {@code model} as it is now. Not modified: the model. */
  public static ModelProfile of(Module model) {
    Map<Activation.Kind, Integer> acts = new EnumMap<>(Activation.Kind.class);
    boolean residual = false;
    boolean norm = false;
    boolean recurrent = false;
    List<Double> w2 = new ArrayList<>();
    List<Double> b2 = new ArrayList<>();
    for (Module m : model.namedModules().values()) {
      Module.Role role = m.role();
      residual |= role == Module.Role.RESIDUAL;
      norm |= role == Module.Role.NORMALIZATION;
      recurrent |= role == Module.Role.RECURRENT;
      if (m instanceof Activation a && a.kind() != Activation.Kind.IDENTITY) {
        acts.merge(a.kind(), 1, Integer::sum);
      }
      for (Map.Entry<String, Parameter> e : m.ownParameters().entrySet()) {
        Tensor v = e.getValue().value();
        if (v.numel() == 0) {
          continue;
        }
        double meanSq = meanSquare(v);
        if (v.dim() >= 2) {
          int fanIn = v.numel() / v.size(0);
          w2.add(fanIn * meanSq);
        } else if (e.getKey().contains("bias")) {
          b2.add(meanSq);
        }
      }
    }
    int layers =
        model.parameterInfos().isEmpty()
            ? 0
            : model.parameterInfos().get(model.parameterInfos().size() - 1).layerIndex() + 1;
    return new ModelProfile(
        layers, acts, residual, norm, recurrent, median(w2), b2.isEmpty() ? 0 : median(b2));
  }

  /** The activation kind with the most layers, or IDENTITY when there is none. */
  public Activation.Kind dominantActivation() {
    Activation.Kind best = Activation.Kind.IDENTITY;
    int most = 0;
    for (Map.Entry<Activation.Kind, Integer> e : activations.entrySet()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    return best;
  }

  /** True when any activation layer is of a saturating kind (sigmoid, tanh). */
  public boolean saturating() {
    return activations.keySet().stream().anyMatch(Activation.Kind::saturating);
  }

  /**
   * The mean-field {@code χ₁} of the dominant activation at the measured scale (the factor by which
   * the squared gradient norm is multiplied per layer going back), or NaN when the theory has no
   * value for it (unknown kind, no weights).
   */
  public double chi1() {
    if (!(sigmaW2 > 0) || Double.isInfinite(sigmaW2)) {
      return Double.NaN;
    }
    return MeanField.chi1(dominantActivation(), sigmaW2, sigmaB2);
  }

  private static double meanSquare(Tensor t) {
    double s = 0;
    float[] d = t.data();
    int n = t.numel();
    for (int i = 0; i < n; i++) {
      s += (double) d[i] * d[i];
    }
    return s / n;
  }

  private static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    int n = a.length;
    return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
  }
}
