package org.gradguard.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every key and every name a config may use appears in docs/config.md (as {@code `key`}). */
class DocsTest {
  @Test
  void everyKeyAndNameIsDocumented() throws IOException {
    String docs = Files.readString(Path.of("../docs/config.md"));
    List<String> words = new ArrayList<>(ConfigLoader.TOP_KEYS);
    words.addAll(InitConfig.KEYS);
    words.addAll(GuardsConfig.KEYS);
    words.addAll(MonitorConfig.KEYS);
    words.addAll(GuardsConfig.SPIKE_KEYS);
    words.addAll(GuardsConfig.ROLLBACK_KEYS);
    MonitorConfig.DETECTOR_KEYS.values().forEach(words::addAll);
    words.addAll(TrainConfig.KEYS);
    words.addAll(TrainConfig.EARLY_STOPPING_KEYS);
    words.addAll(RegularizationConfig.KEYS);
    for (Map<?, List<String>> m :
        List.<Map<?, List<String>>>of(
            ModelConfig.KEYS,
            DataConfig.KEYS,
            OptimizerConfig.KEYS,
            ScheduleConfig.KEYS,
            ClippingConfig.KEYS)) {
      m.values().forEach(words::addAll);
    }
    for (Named[] names :
        List.<Named[]>of(
            ActivationName.values(),
            InitConfig.Kind.values(),
            DataConfig.Name.values(),
            DataConfig.Layout.values(),
            LossConfig.Kind.values(),
            OptimizerConfig.Kind.values(),
            ScheduleConfig.Kind.values(),
            ScheduleConfig.Anneal.values(),
            ScheduleConfig.Mode.values(),
            ScheduleConfig.ThresholdMode.values(),
            ClippingConfig.Kind.values(),
            LayerSpec.Type.values(),
            GuardsConfig.Events.values(),
            ModelConfig.Type.values(),
            ModelConfig.Norm.values(),
            ModelConfig.Pool.values(),
            ModelConfig.Cell.values(),
            TrainConfig.MonitorName.values())) {
      for (Named n : names) {
        words.add(n.id());
        words.addAll(n.aliases());
      }
    }
    Collection<String> missing = new TreeSet<>();
    for (String w : words) {
      if (!docs.contains("`" + w + "`")) {
        missing.add(w);
      }
    }
    assertTrue(missing.isEmpty(), "not documented in docs/config.md: " + missing);
  }
}
