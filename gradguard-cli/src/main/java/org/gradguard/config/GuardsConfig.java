package org.gradguard.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradguard.health.EventType;
import org.gradguard.health.RollbackConfig;
import org.gradguard.health.SpikeConfig;

/**
 * Guards: what happens to a bad step, as the Trainer's {@code skipNonFinite}, {@code skipSpikes}
 * and {@code rollback} (see {@code org.gradguard.health.TrainingStep}). The settings records are
 * the health package's own, read key by key ({@link RecordReader}).
 *
 * @param skipNonFinite skip steps whose gradients or loss are not finite; training stops (diverged)
 *     after this many in a row; 0 turns the guard off
 * @param skipSpikes skip steps whose loss or gradient norm spikes, or null for off
 * @param rollback restore the last good state on a trigger, or null for off
 */
public record GuardsConfig(int skipNonFinite, SpikeConfig skipSpikes, RollbackConfig rollback) {
  /**
   * The Trainer's defaults: skip non-finite steps, at most 5 in a row; no spike guard, no
   * roll-back.
   */
  public static final GuardsConfig DEFAULT = new GuardsConfig(5, null, null);

  /** The keys of {@code guards}. */
  public static final List<String> KEYS = List.of("skip_non_finite", "skip_spikes", "rollback");

  /** The keys of {@code guards.skip_spikes} (and {@code guards.rollback.loss_spike}). */
  public static final List<String> SPIKE_KEYS = RecordReader.keys(SpikeConfig.class);

  /** The keys of {@code guards.rollback}. */
  public static final List<String> ROLLBACK_KEYS = RecordReader.keys(RollbackConfig.class);

  static GuardsConfig parse(Node node) {
    if (node.isAbsent()) {
      return DEFAULT;
    }
    if (node.json().isTextual() && Suggestions.normalize(node.json().asText()).equals("none")) {
      return new GuardsConfig(0, null, null);
    }
    if (!node.json().isObject()) {
      throw node.error("expected a map of settings or none, got " + node.describe());
    }
    Section s = node.asSection().keys(KEYS);
    Node spikes = s.get("skip_spikes");
    Node rollback = s.get("rollback");
    return new GuardsConfig(
        s.integer("skip_non_finite", DEFAULT.skipNonFinite(), 0),
        spikes.isAbsent() ? null : RecordReader.read(spikes, SpikeConfig.defaults(), Map.of()),
        rollback.isAbsent()
            ? null
            : RecordReader.read(
                rollback,
                RollbackConfig.defaults(),
                Map.of(
                    "lossSpike",
                    (n, dflt) ->
                        n.isAbsent() ? dflt : RecordReader.read(n, (SpikeConfig) dflt, Map.of()),
                    "onEvents",
                    (n, dflt) -> n.isAbsent() ? dflt : events(n))));
  }

  private static Set<EventType> events(Node n) {
    Set<EventType> out = EnumSet.noneOf(EventType.class);
    for (Node item : n.asList()) {
      out.add(item.asChoice(Events.values(), "event type").type);
    }
    return out;
  }

  /** The event types by their config names. */
  enum Events implements Named {
    NON_FINITE(EventType.NON_FINITE),
    EXPLODING(EventType.EXPLODING),
    VANISHING(EventType.VANISHING),
    SATURATION(EventType.SATURATION),
    DEAD_UNITS(EventType.DEAD_UNITS),
    UPDATE_RATIO(EventType.UPDATE_RATIO);

    final EventType type;

    Events(EventType type) {
      this.type = type;
    }

    @Override
    public String id() {
      return name().toLowerCase();
    }
  }
}
