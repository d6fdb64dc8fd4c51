package org.gradguard.nn;

/**
 * Where a parameter sits in a model: its full state-dict name ({@code blocks.3.fc1.weight}), the
 * layer that owns it ({@code blocks.3.fc1}) and that layer's depth index (0 for the layer closest
 * to the input, counting layers that own parameters, in registration order).
 */
public record ParameterInfo(String name, Parameter parameter, String layer, int layerIndex) {}
