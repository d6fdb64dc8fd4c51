package org.gradguard.health;

/**
 * The remedies a diagnosis recommends: the five classic ones for exploding and vanishing gradients,
 * plus initialization, warm-up and guards.
 */
public enum Remedy {
  /** A smaller learning rate, or a schedule that decays it (and adaptive optimizers). */
  LEARNING_RATE("learning rate"),
  /** Clipping by global norm, by value, per layer or adaptively (AGC, AutoClip, ZClip). */
  GRADIENT_CLIPPING("gradient clipping"),
  /** L2 regularization or decoupled weight decay (AdamW), which keep weights from growing. */
  WEIGHT_DECAY("weight decay"),
  /** Residual (skip) connections {@code y = x + F(x)}, an identity path for the gradient. */
  RESIDUAL_CONNECTIONS("residual connections"),
  /** Batch or layer normalization, which keeps pre-activations at unit scale. */
  NORMALIZATION("normalization"),
  /** Variance-preserving initialization (Xavier/Glorot, He/Kaiming, orthogonal). */
  INITIALIZATION("initialization"),
  /** A learning-rate warm-up at the start of training. */
  WARMUP("warm-up"),
  /** Guards that skip or roll back bad steps ({@link TrainingStep}). */
  GUARDS("guards");

  private final String title;

  Remedy(String title) {
    this.title = title;
  }

  /** A short title for people: {@code "gradient clipping"}. */
  public String title() {
    return title;
  }
}
