package org.gradguard.golden;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry of golden kinds: kind name (the {@code kind} field of a golden file) → the {@link
 * GoldenKind} that runs it. Cases of kinds that are not registered are reported as skipped.
 *
 * <p><b>Adding an area.</b> Each area keeps its kinds in its own class in this package, next to
 * this one, and adds one line to {@link #all()}:
 *
 * <pre>{@code
 * final class FoundationGoldenKinds {
 *   static void register(GoldenKinds r) {
 *     r.register("linear", c -> {
 *       Variable x = Variable.leaf(c.input("x"));
 *       ...
 *       return GoldenResult.builder().output("out", y.value()).grad("x", x.grad()).build();
 *     });
 *     r.register("relu", FoundationGoldenKinds::relu);
 *   }
 * }
 * }</pre>
 */
public final class GoldenKinds {
  private final Map<String, GoldenKind> kinds = new TreeMap<>();

  /** An empty registry (tests of the harness use one to register fake kinds). */
  public GoldenKinds() {}

  /**
   * Every kind the project implements.
   *
   * <p>One line per area, each calling its own registration class, e.g. {@code
   * FoundationGoldenKinds.register(registry);}. Keep the lines sorted by class name (fewer merge
   * conflicts).
   */
  public static GoldenKinds all() {
    GoldenKinds registry = new GoldenKinds();
    ConvRnnGoldenKinds.register(registry);
    FoundationGoldenKinds.register(registry);
    HealthGoldenKinds.register(registry);
    InitGoldenKinds.register(registry);
    NormGoldenKinds.register(registry);
    OptimGoldenKinds.register(registry);
    return registry;
  }

  /**
   * Registers the handler of a kind.
   *
   * @return this registry, for chaining
   * @throws IllegalStateException when the kind is already registered (two areas claiming one kind)
   */
  public GoldenKinds register(String kind, GoldenKind handler) {
    if (kinds.putIfAbsent(kind, handler) != null) {
      throw new IllegalStateException("golden kind '" + kind + "' is registered twice");
    }
    return this;
  }

  /** The handler of a kind, or null when it is not registered. */
  public GoldenKind get(String kind) {
    return kinds.get(kind);
  }

  /** Kind → handler, sorted by kind; unmodifiable. */
  public Map<String, GoldenKind> asMap() {
    return Collections.unmodifiableMap(kinds);
  }
}
