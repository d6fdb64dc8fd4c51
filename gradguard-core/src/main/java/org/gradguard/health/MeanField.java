package org.gradguard.health;

import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import org.gradguard.nn.Activation;

/**
 * Mean-field signal propagation in deep, wide, fully connected networks at initialization, in
 * double precision.
 *
 * <p>For weights {@code W_ij ~ N(0, σw²/fan_in)} and biases {@code b_i ~ N(0, σb²)} the
 * pre-activation variance follows the <em>variance map</em> {@code q_l = σw²·∫Dz φ(√q_{l-1}·z)² +
 * σb²}, whose stable fixed point is {@code q*}; the squared gradient norm is multiplied by {@code
 * χ₁ = σw²·∫Dz φ'(√q*·z)²} per layer going backwards (Poole et al. 2016, <i>Exponential
 * expressivity in deep neural networks through transient chaos</i>; Schoenholz et al. 2017, <i>Deep
 * Information Propagation</i>). A network is ordered (gradients vanish) for {@code χ₁ < 1}, chaotic
 * (gradients explode) for {@code χ₁ > 1} and critical at {@code χ₁ = 1}.
 *
 * <p>Gaussian integrals {@code ∫Dz f(z)} use the trapezoid rule on {@code z ∈ [−14, 14]} with step
 * 0.005 and the standard normal weights normalised to sum to 1: exponentially accurate for these
 * smooth integrands (Gauss–Hermite converges slowly here because tanh has poles near the real
 * axis). Fixed points are found by bisection, never by iterating the map a fixed number of times
 * (at {@code σw² = 1, σb² = 0} the iteration converges only algebraically).
 */
public final class MeanField {
  private static final double Z_MAX = 14.0;
  private static final double STEP = 0.005;
  private static final double[] Z;
  private static final double[] WEIGHT;

  static {
    int n = (int) Math.round(2 * Z_MAX / STEP) + 1;
    Z = new double[n];
    WEIGHT = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      Z[i] = -Z_MAX + i * STEP;
      double w = Math.exp(-0.5 * Z[i] * Z[i]);
      // trapezoid: half weight at both ends
      WEIGHT[i] = (i == 0 || i == n - 1) ? 0.5 * w : w;
      total += WEIGHT[i];
    }
    for (int i = 0; i < n; i++) {
      WEIGHT[i] /= total;
    }
  }

  private MeanField() {}

  /** {@code E[f(z)]} for {@code z ~ N(0, 1)}. */
  public static double gaussianExpectation(DoubleUnaryOperator f) {
    double s = 0;
    for (int i = 0; i < Z.length; i++) {
      s += WEIGHT[i] * f.applyAsDouble(Z[i]);
    }
    return s;
  }

  /** The tanh variance map {@code σw²·E[tanh(√q·z)²] + σb²}. */
  public static double tanhVarianceMap(double q, double sigmaW2, double sigmaB2) {
    checkVariances("tanhVarianceMap", sigmaW2, sigmaB2);
    if (!(q >= 0)) {
      throw new IllegalArgumentException("MeanField.tanhVarianceMap: q must be >= 0, got " + q);
    }
    double s = Math.sqrt(q);
    return sigmaW2 * gaussianExpectation(z -> square(Math.tanh(s * z))) + sigmaB2;
  }

  /**
   * The stable fixed point {@code q*} of the tanh variance map: 0 when {@code σb² = 0} and {@code
   * σw² ≤ 1}, otherwise the unique positive root, found by bisection of {@code map(q) − q} on
   * {@code (1e-8, σw² + σb² + 1)}.
   */
  public static double tanhQStar(double sigmaW2, double sigmaB2) {
    checkVariances("tanhQStar", sigmaW2, sigmaB2);
    if (sigmaB2 == 0 && sigmaW2 <= 1) {
      return 0;
    }
    double lo = 1e-8;
    double hi = sigmaW2 + sigmaB2 + 1;
    while (true) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * hi) {
        break;
      }
      if (tanhVarianceMap(mid, sigmaW2, sigmaB2) - mid > 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /**
   * {@code χ₁ = σw²·E[(1 − tanh²(√q*·z))²]} for a tanh network; {@code σw²} when {@code q* = 0}.
   */
  public static double tanhChi1(double sigmaW2, double sigmaB2) {
    double q = tanhQStar(sigmaW2, sigmaB2);
    if (q == 0) {
      return sigmaW2;
    }
    double s = Math.sqrt(q);
    return sigmaW2 * gaussianExpectation(z -> square(1 - square(Math.tanh(s * z))));
  }

  /** {@code χ₁ = σw²/2} for a ReLU network ({@code E[φ'²] = 1/2} for every q). */
  public static double reluChi1(double sigmaW2, double sigmaB2) {
    checkVariances("reluChi1", sigmaW2, sigmaB2);
    return sigmaW2 / 2;
  }

  /**
   * The ReLU fixed point {@code q* = σb² / (1 − σw²/2)} for {@code σw² < 2}; empty for {@code σw² ≥
   * 2} (no finite fixed point), except {@code σw² = 2, σb² = 0}, where every q is fixed and 0 is
   * returned.
   */
  public static OptionalDouble reluQStar(double sigmaW2, double sigmaB2) {
    checkVariances("reluQStar", sigmaW2, sigmaB2);
    if (sigmaW2 < 2) {
      return OptionalDouble.of(sigmaB2 / (1 - sigmaW2 / 2));
    }
    return sigmaW2 == 2 && sigmaB2 == 0 ? OptionalDouble.of(0) : OptionalDouble.empty();
  }

  /**
   * {@code χ₁} for an activation kind: tanh and ReLU as above; sigmoid from its own variance map
   * ({@code q = σw²·E[σ(√q·z)²] + σb²}, where q is the second moment of the pre-activations, since
   * sigmoid outputs have a non-zero mean); NaN for the other kinds.
   */
  public static double chi1(Activation.Kind kind, double sigmaW2, double sigmaB2) {
    return switch (kind) {
      case TANH -> tanhChi1(sigmaW2, sigmaB2);
      case RELU -> reluChi1(sigmaW2, sigmaB2);
      case SIGMOID -> sigmoidChi1(sigmaW2, sigmaB2);
      default -> Double.NaN;
    };
  }

  private static double sigmoidChi1(double sigmaW2, double sigmaB2) {
    checkVariances("chi1", sigmaW2, sigmaB2);
    // map(q) − q is positive at q = 0 (σ(0)² = 1/4) and negative beyond σw² + σb²
    double lo = 0;
    double hi = sigmaW2 + sigmaB2 + 1;
    while (true) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * hi) {
        break;
      }
      double s = Math.sqrt(mid);
      double map = sigmaW2 * gaussianExpectation(z -> square(sigmoid(s * z))) + sigmaB2;
      if (map - mid > 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double s = Math.sqrt(0.5 * (lo + hi));
    return sigmaW2
        * gaussianExpectation(
            z -> {
              double y = sigmoid(s * z);
              return square(y * (1 - y));
            });
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static void checkVariances(String method, double sigmaW2, double sigmaB2) {
    if (!(sigmaW2 > 0) || Double.isInfinite(sigmaW2)) {
      throw new IllegalArgumentException(
          "MeanField." + method + ": sigmaW2 must be finite and > 0, got " + sigmaW2);
    }
    if (!(sigmaB2 >= 0) || Double.isInfinite(sigmaB2)) {
      throw new IllegalArgumentException(
          "MeanField." + method + ": sigmaB2 must be finite and >= 0, got " + sigmaB2);
    }
  }

  private static double square(double x) {
    return x * x;
  }
}
