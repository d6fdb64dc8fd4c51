package org.gradguard.nn.init;

/**
 * Which fan an initialiser divides the variance by. {@code FAN_IN} preserves the variance of the
 * activations in the forward pass, {@code FAN_OUT} that of the gradients in the backward pass,
 * {@code FAN_AVG} (Glorot's compromise; variance scaling only) averages the two.
 */
public enum FanMode {
  FAN_IN,
  FAN_OUT,
  FAN_AVG
}
