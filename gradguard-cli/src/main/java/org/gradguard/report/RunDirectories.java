package org.gradguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gradguard.config.Yaml;
import org.gradguard.report.ReportModel.Action;
import org.gradguard.report.ReportModel.ActivationPoint;
import org.gradguard.report.ReportModel.EpochPoint;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.Finding;
import org.gradguard.report.ReportModel.LayerPoint;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.StepPoint;
import org.gradguard.tensor.io.Json;
import org.gradguard.train.EpochRecord;
import org.gradguard.train.RunDirectory;
import org.gradguard.train.StepRecord;
import org.gradguard.train.ValidationRecord;

/**
 * Reads run directories, as the {@code Trainer} writes them ({@code docs/run-directory.md}), into a
 * {@link ReportModel}, through {@link RunDirectory}:
 *
 * <ul>
 *   <li>{@code provenance.json}: shown as a table (nested keys dotted); its {@code config} is shown
 *       as YAML, unless the directory has a {@code config.yaml}, which is shown verbatim. A {@code
 *       result.reason} of {@code DIVERGED} makes the verdict "Diverged".
 *   <li>{@code metrics.jsonl}: {@code step} records give the loss, learning rate and gradient norm
 *       per step; {@code epoch} and {@code validation} records the per-epoch series; {@code event}
 *       and {@code guard} records the health events and guard actions.
 *   <li>{@code health.jsonl}: per-layer gradient, parameter and update statistics of each monitored
 *       step, and activation statistics.
 *   <li>{@code diagnosis.json} (schema {@code gradguard.health/1}, {@code docs/health-json.md}):
 *       the findings; also the statistics, events and actions when the files above have none.
 * </ul>
 *
 * A directory without {@code provenance.json} whose subdirectories are run directories (the output
 * of {@code gradguard compare}) stands for all of them, in the order compare ran them (their
 * config's {@value #COMPARE_INDEX}, i.e. the config's or {@code --variants}' order; runs without
 * one after those, {@code baseline} first, then by name), and titles the report. A run is named by
 * its directory. Errors name the file and the line or key.
 */
public final class RunDirectories {
  private RunDirectories() {}

  /**
   * The provenance {@code config} key in which {@code gradguard compare} records a variant's place
   * in the comparison (0, 1, ...).
   */
  public static final String COMPARE_INDEX = "compare_index";

  /** Reads {@code runDirs} (each a run directory or a directory of run directories). */
  public static ReportModel load(Path... runDirs) throws IOException {
    if (runDirs.length == 0) {
      throw new IllegalArgumentException("RunDirectories.load: no run directory given");
    }
    List<Path> dirs = new ArrayList<>();
    String title = null;
    for (Path d : runDirs) {
      List<Path> inner = expand(d);
      if (runDirs.length == 1 && (inner.size() > 1 || !inner.get(0).equals(d))) {
        title = name(d);
      }
      dirs.addAll(inner);
    }
    List<Run> runs = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Path d : dirs) {
      String name = name(d);
      int n = seen.merge(name, 1, Integer::sum);
      runs.add(read(RunDirectory.open(d), n > 1 ? name + " (" + n + ")" : name));
    }
    if (title == null) {
      title = runs.size() == 1 ? runs.get(0).name() : "Comparison of " + runs.size() + " runs";
    }
    return new ReportModel(title, runs);
  }

  /** True when {@code dir} is a run directory (it holds {@code provenance.json}). */
  public static boolean isRunDirectory(Path dir) {
    return Files.isRegularFile(dir.resolve(RunDirectory.PROVENANCE));
  }

  private static String name(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
  }

  private static List<Path> expand(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (Files.exists(dir)) {
        throw new IllegalArgumentException(dir + ": not a directory");
      }
      throw new NoSuchFileException(dir.toString(), null, "run directory not found");
    }
    if (isRunDirectory(dir)) {
      return List.of(dir);
    }
    List<Path> inner;
    try (Stream<Path> s = Files.list(dir)) {
      inner =
          s.filter(Files::isDirectory)
              .filter(RunDirectories::isRunDirectory)
              .sorted(
                  Comparator.comparingLong(RunDirectories::compareIndex)
                      .thenComparing((Path p) -> !name(p).equals("baseline"))
                      .thenComparing(RunDirectories::name))
              .toList();
    }
    if (inner.isEmpty()) {
      throw new IllegalArgumentException(
          dir
              + ": not a run directory (no "
              + RunDirectory.PROVENANCE
              + ", here or in a subdirectory)");
    }
    return inner;
  }

  /** The run's {@link #COMPARE_INDEX}, or {@link Long#MAX_VALUE} when it has none. */
  private static long compareIndex(Path dir) {
    try {
      Object config = RunDirectory.open(dir).provenance().get("config");
      if (config instanceof Map<?, ?> c && c.get(COMPARE_INDEX) instanceof Number n) {
        return n.longValue();
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable provenance sorts last here and is reported when the run is read
    }
    return Long.MAX_VALUE;
  }

  private static Run read(RunDirectory rd, String name) throws IOException {
    Map<String, Object> prov = rd.provenance();
    Map<String, String> provenance = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : prov.entrySet()) {
      if (!e.getKey().equals("config")) {
        flatten(e.getKey(), e.getValue(), provenance);
      }
    }
    String config = configText(rd.dir(), prov.get("config"));

    List<StepPoint> steps = new ArrayList<>();
    for (StepRecord s : rd.steps()) {
      steps.add(new StepPoint(s.step(), s.loss(), s.lr(), s.gradNorm(), Double.NaN));
    }
    Map<Integer, double[]> byEpoch = new TreeMap<>(); // step, trainLoss, valLoss, valAccuracy
    for (EpochRecord e : rd.epochs()) {
      double[] row = byEpoch.computeIfAbsent(e.epoch(), k -> nanRow());
      row[0] = e.step();
      row[1] = e.trainLoss();
    }
    for (ValidationRecord v : rd.validations()) {
      double[] row = byEpoch.computeIfAbsent(v.epoch(), k -> nanRow());
      row[0] = Double.isNaN(row[0]) ? v.step() : row[0];
      row[2] = v.loss();
      row[3] = v.accuracy();
    }
    List<EpochPoint> epochs = new ArrayList<>();
    byEpoch.forEach(
        (epoch, r) -> epochs.add(new EpochPoint(epoch, (long) r[0], r[1], Double.NaN, r[2], r[3])));

    List<LayerPoint> layers = new ArrayList<>();
    List<ActivationPoint> activations = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    List<Map<String, Object>> health = rd.health();
    for (int i = 0; i < health.size(); i++) {
      String where = rd.healthFile() + ": line " + (i + 1);
      Map<String, Object> m = health.get(i);
      within(where, () -> layers.addAll(HealthRecords.layers(m)));
      within(where, () -> activations.addAll(HealthRecords.activations(m)));
    }
    List<Map<String, Object>> metrics = rd.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      String where = rd.metricsFile() + ": line " + (i + 1);
      Map<String, Object> m = metrics.get(i);
      Object type = m.get("type");
      if ("event".equals(type)) {
        within(where, () -> events.add(HealthRecords.event(m)));
      } else if ("guard".equals(type)) {
        within(where, () -> actions.add(HealthRecords.action(m)));
      }
    }
    Map<String, Object> diagnosis = rd.diagnosis();
    if (diagnosis != null) {
      String where = rd.diagnosisFile().toString();
      within(
          where,
          () -> {
            boolean noStats = layers.isEmpty();
            boolean noEvents = events.isEmpty();
            boolean noActions = actions.isEmpty();
            for (Map<String, Object> s : JsonValues.objects(diagnosis, "statistics")) {
              if (noStats) {
                layers.addAll(HealthRecords.layers(s));
                activations.addAll(HealthRecords.activations(s));
              }
            }
            if (noEvents) {
              JsonValues.objects(diagnosis, "events")
                  .forEach(e -> events.add(HealthRecords.event(e)));
            }
            if (noActions) {
              JsonValues.objects(diagnosis, "actions")
                  .forEach(a -> actions.add(HealthRecords.action(a)));
            }
            JsonValues.objects(diagnosis, "findings")
                .forEach(f -> findings.add(HealthRecords.finding(f)));
          });
    }
    return new Run(
        name, provenance, config, steps, epochs, layers, activations, events, actions, findings);
  }

  private static double[] nanRow() {
    return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
  }

  /** Runs {@code body}, prefixing the message of a format error with {@code where}. */
  private static void within(String where, Runnable body) {
    try {
      body.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /** {@code config.yaml} verbatim when present, else the provenance's config as YAML. */
  private static String configText(Path dir, Object config) throws IOException {
    for (String name : List.of("config.yaml", "config.yml")) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        return Files.readString(f, StandardCharsets.UTF_8);
      }
    }
    if (config == null || (config instanceof Map<?, ?> m && m.isEmpty())) {
      return "";
    }
    if (config instanceof String s) {
      return s;
    }
    try {
      return Yaml.write(config);
    } catch (JsonProcessingException e) {
      return Json.writePretty(config);
    }
  }

  private static void flatten(String key, Object v, Map<String, String> out) {
    if (v instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.put(key, "{}");
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        flatten(key + "." + e.getKey(), e.getValue(), out);
      }
    } else if (v instanceof List<?> l) {
      boolean simple = l.stream().noneMatch(o -> o instanceof Map<?, ?> || o instanceof List<?>);
      if (simple) {
        List<String> parts = new ArrayList<>();
        for (Object o : l) {
          parts.add(String.valueOf(o));
        }
        out.put(key, l.isEmpty() ? "—" : String.join(", ", parts));
      } else {
        for (int i = 0; i < l.size(); i++) {
          flatten(key + "[" + i + "]", l.get(i), out);
        }
      }
    } else {
      out.put(key, v == null ? "—" : String.valueOf(v));
    }
  }
}
