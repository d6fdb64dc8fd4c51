/**
 * GradGuard's benchmarks, measured side by side with PyTorch.
 *
 * <p>{@link org.gradguard.bench.Workloads} builds the training workloads W1–W5 exactly as {@code
 * ../shared/bench/README.md} defines them (and as {@code torch_workloads.py} runs them in PyTorch);
 * {@link org.gradguard.bench.WorkloadRunner} times one of them and prints one JSON line with the
 * same fields as the PyTorch script; {@link org.gradguard.bench.GemmRunner} measures matrix
 * multiplication in GFLOP/s. The script {@code bench/vs-torch} at the repository root runs both
 * sides alternately and writes {@code bench/results/latest.json}; {@code docs/benchmarks.md} says
 * how to read it. The JMH micro-benchmarks live in {@link org.gradguard.bench.jmh}.
 *
 * <p>Nothing here runs during the build: the module compiles with the project and its tests check
 * that every workload builds and trains one step, on small stand-in data.
 */
package org.gradguard.bench;
