package org.gradguard.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One symptom found by a {@link Detector} at one step.
 *
 * @param type what was found
 * @param signal which test found it, so that events of one type can be told apart: {@code "first"}
 *     (non-finite), {@code "spike"} (global norm above its running level), {@code "depth"} (norms
 *     trending across layers), {@code "time"} (norms trending across the calls of a recurrent
 *     layer), {@code "floor"} (norms below a floor), {@code "layer"} (per activation layer), {@code
 *     "high"} / {@code "low"} (update ratio)
 * @param severity how urgent it is
 * @param step the step at which it was found
 * @param layers the layers involved, in depth order
 * @param message one line for people, with the numbers
 * @param numbers the measurements behind the message, by name (insertion order kept)
 */
public record HealthEvent(
    EventType type,
    String signal,
    Severity severity,
    long step,
    List<String> layers,
    String message,
    Map<String, Double> numbers) {
  public HealthEvent {
    layers = List.copyOf(layers);
    numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
  }

  /** A number by name, or NaN when absent. */
  public double number(String name) {
    Double v = numbers.get(name);
    return v == null ? Double.NaN : v;
  }

  @Override
  public String toString() {
    return "step " + step + " " + type + "/" + signal + " (" + severity + "): " + message;
  }
}
