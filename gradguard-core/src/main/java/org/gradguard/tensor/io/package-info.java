/**
 * Reading and writing tensors and their metadata: {@link org.gradguard.tensor.io.Json}, a strict,
 * bounded JSON reader and writer (safetensors headers, checkpoint metadata, golden vectors); {@link
 * org.gradguard.tensor.io.Safetensors}, the Hugging Face / PyTorch safetensors format, read as
 * hostile input with every length bounded before allocation; and {@link
 * org.gradguard.tensor.io.AtomicFile}, which writes via a temporary file and an atomic rename so a
 * crash never leaves a half-written file under the final name. No Java serialization is used
 * anywhere.
 */
package org.gradguard.tensor.io;
