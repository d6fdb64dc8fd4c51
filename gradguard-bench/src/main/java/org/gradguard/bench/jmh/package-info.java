/**
 * JMH micro-benchmarks: matrix multiplication ({@link org.gradguard.bench.jmh.GemmBenchmark}), the
 * first convolution of W5 forward and backward ({@link org.gradguard.bench.jmh.ConvBenchmark}) and
 * one full training step of each workload W1–W5 ({@link
 * org.gradguard.bench.jmh.TrainStepBenchmark}), all on the current backend.
 *
 * <p>Run them with {@code bench/jmh} from the repository root (after {@code mvn -B -q package
 * -DskipTests}); arguments go to JMH, e.g. {@code bench/jmh GemmBenchmark -p n=512 -p threads=1,2}.
 * Every benchmark takes a {@code threads} parameter that sizes GradGuard's kernel pool. Forked JVMs
 * get {@code --add-modules jdk.incubator.vector}, so a Vector-API backend can load, and, when
 * started by {@code bench/jmh}, the JVM options of {@code jvm.options} (collector and heap sizes),
 * the same as {@code ./gradguard} and {@code bench/vs-torch}.
 */
package org.gradguard.bench.jmh;
