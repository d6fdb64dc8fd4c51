package org.gradguard.config;

import java.util.List;

/**
 * Weight initialization of a model's dense (and, later, convolutional and recurrent) layers. Biases
 * keep PyTorch's default except under {@code normal}, which draws them {@code N(0, σ_b²)}.
 *
 * @param kind the scheme
 * @param gain the gain for xavier, kaiming and orthogonal, or null for the default: the
 *     activation's gain for kaiming, 1 for xavier and orthogonal (as {@code torch.nn.init})
 * @param sigmaW2 {@code normal}: weights {@code N(0, σ_w²/fan_in)}
 * @param sigmaB2 {@code normal}: biases {@code N(0, σ_b²)}
 */
public record InitConfig(Kind kind, Double gain, double sigmaW2, double sigmaB2) {
  /** PyTorch's default initialization of each layer. */
  public static final InitConfig PYTORCH = new InitConfig(Kind.PYTORCH, null, 1, 0);

  /** The keys an init takes, in the model's map. */
  static final List<String> KEYS = List.of("init", "gain", "sigma_w2", "sigma_b2");

  /** The initialization schemes configs may name. */
  public enum Kind implements Named {
    /** Each layer's PyTorch default ({@code Linear}: {@code U(±1/√fan_in)}). */
    PYTORCH("pytorch", "default"),
    /** Glorot and Bengio 2010, {@code U(±gain·√(6/(fan_in+fan_out)))}. */
    XAVIER_UNIFORM("xavier_uniform", "xavier", "glorot", "glorot_uniform"),
    /** Glorot and Bengio 2010, {@code N(0, gain²·2/(fan_in+fan_out))}. */
    XAVIER_NORMAL("xavier_normal", "glorot_normal"),
    /** He et al. 2015, {@code N(0, gain²/fan_in)}. */
    KAIMING_NORMAL("kaiming_normal", "kaiming", "he", "he_normal"),
    /** He et al. 2015, {@code U(±gain·√(3/fan_in))}. */
    KAIMING_UNIFORM("kaiming_uniform", "he_uniform"),
    /** Saxe et al. 2014: a (semi-)orthogonal matrix times gain. */
    ORTHOGONAL("orthogonal"),
    /** Mean-field {@code N(0, σ_w²/fan_in)} (Poole et al. 2016, Schoenholz et al. 2017). */
    NORMAL("normal"),
    /** Mishkin and Matas 2016: orthogonal, then each layer scaled to unit output variance. */
    LSUV("lsuv");

    private final String id;
    private final List<String> aliases;

    Kind(String id, String... aliases) {
      this.id = id;
      this.aliases = List.of(aliases);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public List<String> aliases() {
      return aliases;
    }
  }

  /** Reads {@link #KEYS} from a model's map (which must have declared them). */
  static InitConfig parse(Section s) {
    Kind kind = s.choice("init", Kind.values(), Kind.PYTORCH, "init");
    if (kind != Kind.NORMAL) {
      s.onlyWith("sigma_w2", "with init: normal");
      s.onlyWith("sigma_b2", "with init: normal");
    }
    boolean takesGain =
        kind == Kind.XAVIER_UNIFORM
            || kind == Kind.XAVIER_NORMAL
            || kind == Kind.KAIMING_NORMAL
            || kind == Kind.KAIMING_UNIFORM
            || kind == Kind.ORTHOGONAL;
    if (!takesGain) {
      s.onlyWith("gain", "with init: xavier_*, kaiming_* or orthogonal");
    }
    Double gain = s.has("gain") ? s.number("gain", Range.POSITIVE) : null;
    return new InitConfig(
        kind,
        gain,
        s.number("sigma_w2", 1.0, Range.POSITIVE),
        s.number("sigma_b2", 0.0, Range.NON_NEGATIVE));
  }
}
