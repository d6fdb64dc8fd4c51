package org.gradguard.config;

/**
 * The loss. {@code auto} picks cross-entropy for classification data and mean squared error for
 * regression data.
 *
 * @param kind the loss
 * @param labelSmoothing cross-entropy's label smoothing ε in [0, 1), as {@code
 *     torch.nn.CrossEntropyLoss(label_smoothing=ε)}
 */
public record LossConfig(Kind kind, double labelSmoothing) {
  /** The losses configs may name. */
  public enum Kind implements Named {
    AUTO("auto"),
    CROSS_ENTROPY("cross_entropy"),
    MSE("mse"),
    BCE_WITH_LOGITS("bce_with_logits");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  static LossConfig parse(Node node) {
    Kind kind = Choices.kind(node, "name", Kind.values(), Kind.AUTO, "loss");
    Section s = Choices.settings(node).keys("name", "label_smoothing");
    if (kind != Kind.CROSS_ENTROPY && kind != Kind.AUTO) {
      s.onlyWith("label_smoothing", "to cross_entropy");
    }
    return new LossConfig(kind, s.number("label_smoothing", 0, Range.FRACTION));
  }
}
