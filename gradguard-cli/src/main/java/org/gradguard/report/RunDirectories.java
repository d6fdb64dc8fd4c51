package org.gradguard.report;

import static org.gradguard.report.JsonValues.integer;
import static org.gradguard.report.JsonValues.num;
import static org.gradguard.report.JsonValues.objects;
import static org.gradguard.report.JsonValues.str;

import java.io.BufferedReader;
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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.gradguard.report.ReportModel.Action;
import org.gradguard.report.ReportModel.ActivationPoint;
import org.gradguard.report.ReportModel.EpochPoint;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.Finding;
import org.gradguard.report.ReportModel.LayerPoint;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.StepPoint;
import org.gradguard.tensor.io.Json;

/**
 * Reads run directories into a {@link ReportModel}. A run directory (written by the trainer) holds:
 *
 * <ul>
 *   <li>{@code provenance.json}: an object describing what made the run; nested objects are shown
 *       with dotted keys. {@code variant} (else {@code name}, else the directory name) names the
 *       run, {@code experiment} titles the report; a string {@code config} is taken as the
 *       configuration text.
 *   <li>{@code config.yaml} (or {@code config.yml}): the resolved configuration, shown verbatim.
 *   <li>{@code metrics.jsonl}: one object per line. Step records carry {@code step}, {@code loss}
 *       and optionally {@code lr}, {@code grad_norm}, {@code accuracy}; epoch records ({@code
 *       "record": "epoch"}, or any line with {@code val_loss} or {@code val_accuracy}) carry {@code
 *       epoch}, {@code step}, {@code train_loss}, {@code train_accuracy}, {@code val_loss}, {@code
 *       val_accuracy}.
 *   <li>{@code health.jsonl}: one health record per line, as in the arrays of the health JSON
 *       (schema {@code gradguard.health/1}): statistics entries, events, guard actions, findings,
 *       told apart by an optional {@code "record"} tag or by their fields.
 *   <li>{@code health.json} (or {@code diagnosis.json}): the diagnosis document of the health JSON;
 *       its findings are used, and its statistics, events and actions when {@code health.jsonl} has
 *       none.
 * </ul>
 *
 * Every file is optional, but a directory must hold at least one of them. A directory that holds
 * none but has run directories inside (the output of {@code gradguard compare}) stands for all of
 * them, {@code baseline} first, then by name. Numbers may be the strings {@code "NaN"}, {@code
 * "Infinity"}, {@code "-Infinity"}. Errors name the file and line.
 */
public final class RunDirectories {
  private RunDirectories() {}

  /** The longest line of a {@code .jsonl} file that is read, in chars. */
  static final int MAX_LINE_CHARS = 64 << 20;

  /** The largest JSON document that is read, in bytes. */
  static final long MAX_JSON_BYTES = 512L << 20;

  static final List<String> FILES =
      List.of(
          "provenance.json",
          "metrics.jsonl",
          "health.jsonl",
          "health.json",
          "diagnosis.json",
          "config.yaml",
          "config.yml");

  /**
   * Reads {@code runDirs} (each a run directory or a directory of run directories) into one model.
   *
   * @throws NoSuchFileException when a directory does not exist
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when a directory holds no run, or a file is malformed (the
   *     message names the file and line)
   */
  public static ReportModel load(Path... runDirs) throws IOException {
    if (runDirs.length == 0) {
      throw new IllegalArgumentException("RunDirectories.load: no run directory given");
    }
    List<Path> dirs = new ArrayList<>();
    for (Path d : runDirs) {
      dirs.addAll(expand(d));
    }
    List<Run> runs = new ArrayList<>();
    String experiment = null;
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Path d : dirs) {
      Map<String, Object> prov = provenanceTree(d);
      if (experiment == null) {
        experiment = prov.get("experiment") instanceof String s ? s : null;
      }
      Run run = read(d, prov);
      int n = seen.merge(run.name(), 1, Integer::sum);
      if (n > 1) {
        run = renamed(run, run.name() + " (" + n + ")");
      }
      runs.add(run);
    }
    String title =
        experiment != null
            ? experiment
            : runs.size() == 1
                ? "Run " + runs.get(0).name()
                : "Comparison of " + runs.size() + " runs";
    return new ReportModel(title, runs);
  }

  /** True when {@code dir} holds at least one of the run files. */
  public static boolean isRunDirectory(Path dir) {
    return FILES.stream().anyMatch(f -> Files.isRegularFile(dir.resolve(f)));
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
                  Comparator.comparing((Path p) -> !p.getFileName().toString().equals("baseline"))
                      .thenComparing(p -> p.getFileName().toString()))
              .toList();
    }
    if (inner.isEmpty()) {
      throw new IllegalArgumentException(
          dir + ": not a run directory (none of " + String.join(", ", FILES) + ")");
    }
    return inner;
  }

  private static Map<String, Object> provenanceTree(Path dir) throws IOException {
    Path f = dir.resolve("provenance.json");
    return Files.isRegularFile(f) ? Json.readObject(f, MAX_JSON_BYTES) : Map.of();
  }

  private static Run read(Path dir, Map<String, Object> prov) throws IOException {
    Path file = dir.toAbsolutePath().normalize();
    String fallback = file.getFileName() == null ? "run" : file.getFileName().toString();
    String name = str(prov, fallback, "variant", "name");
    Map<String, String> provenance = new LinkedHashMap<>();
    flatten("", prov, provenance);
    String config = prov.get("config") instanceof String s ? s : "";
    provenance.remove("config");
    if (prov.get("config") instanceof Map<?, ?> m) {
      config = Json.writePretty(m);
      provenance.keySet().removeIf(k -> k.startsWith("config."));
    }
    for (String c : List.of("config.yaml", "config.yml")) {
      Path f = dir.resolve(c);
      if (Files.isRegularFile(f)) {
        config = Files.readString(f, StandardCharsets.UTF_8);
        break;
      }
    }
    List<StepPoint> steps = new ArrayList<>();
    List<EpochPoint> epochs = new ArrayList<>();
    Path metrics = dir.resolve("metrics.jsonl");
    if (Files.isRegularFile(metrics)) {
      readLines(metrics, m -> metric(m, steps, epochs));
    }
    Health h = new Health();
    Path jsonl = dir.resolve("health.jsonl");
    if (Files.isRegularFile(jsonl)) {
      readLines(jsonl, h::add);
    }
    for (String doc : List.of("health.json", "diagnosis.json")) {
      Path f = dir.resolve(doc);
      if (Files.isRegularFile(f)) {
        h.addDocument(f);
        break;
      }
    }
    return new Run(
        name,
        provenance,
        config,
        steps,
        epochs,
        h.layers,
        h.activations,
        h.events,
        h.actions,
        h.findings);
  }

  private static void metric(
      Map<String, Object> m, List<StepPoint> steps, List<EpochPoint> epochs) {
    String record = str(m, "", "record");
    boolean epoch =
        record.equals("epoch")
            || (record.isEmpty() && (m.containsKey("val_loss") || m.containsKey("val_accuracy")));
    if (epoch) {
      epochs.add(
          new EpochPoint(
              (int) integer(m, epochs.size() + 1, "epoch"),
              integer(m, -1, "step"),
              num(m, "train_loss", "loss"),
              num(m, "train_accuracy", "accuracy"),
              num(m, "val_loss"),
              num(m, "val_accuracy")));
    } else if (record.isEmpty() || record.equals("step")) {
      if (!m.containsKey("step")) {
        throw new IllegalArgumentException("a step record needs 'step'");
      }
      steps.add(
          new StepPoint(
              integer(m, -1, "step"),
              num(m, "loss"),
              num(m, "lr", "learning_rate"),
              num(m, "grad_norm", "global_grad_norm"),
              num(m, "accuracy", "train_accuracy")));
    }
  }

  /** The health records of one run, from health.jsonl and the diagnosis document. */
  private static final class Health {
    final List<LayerPoint> layers = new ArrayList<>();
    final List<ActivationPoint> activations = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<Action> actions = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();

    void add(Map<String, Object> m) {
      switch (HealthRecords.kind(m)) {
        case STATISTICS -> {
          layers.addAll(HealthRecords.layers(m));
          activations.addAll(HealthRecords.activations(m));
        }
        case EVENT -> events.add(HealthRecords.event(m));
        case ACTION -> actions.add(HealthRecords.action(m));
        case FINDING -> findings.add(HealthRecords.finding(m));
        case OTHER -> {
          // summaries and records of later schema versions: not shown
        }
      }
    }

    void addDocument(Path f) throws IOException {
      Map<String, Object> doc = Json.readObject(f, MAX_JSON_BYTES);
      try {
        boolean noStats = layers.isEmpty();
        boolean noEvents = events.isEmpty();
        boolean noActions = actions.isEmpty();
        boolean noFindings = findings.isEmpty();
        for (Map<String, Object> s : objects(doc, "statistics")) {
          if (noStats) {
            layers.addAll(HealthRecords.layers(s));
            activations.addAll(HealthRecords.activations(s));
          }
        }
        if (noEvents) {
          objects(doc, "events").forEach(e -> events.add(HealthRecords.event(e)));
        }
        if (noActions) {
          objects(doc, "actions").forEach(a -> actions.add(HealthRecords.action(a)));
        }
        if (noFindings) {
          objects(doc, "findings").forEach(x -> findings.add(HealthRecords.finding(x)));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
      }
    }
  }

  /** Calls {@code sink} with each non-blank line of a JSON-lines file, parsed as an object. */
  private static void readLines(Path file, Consumer<Map<String, Object>> sink) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          sink.accept(Json.parseObject(line, MAX_LINE_CHARS));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private static void flatten(String prefix, Map<String, Object> m, Map<String, String> out) {
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> inner) {
        flatten(key, JsonValues.object(inner, key), out);
      } else if (v instanceof List<?> l) {
        List<String> parts = new ArrayList<>();
        for (Object o : l) {
          parts.add(o instanceof String s ? s : Json.write(o));
        }
        out.put(key, String.join(", ", parts));
      } else {
        out.put(key, v == null ? "null" : String.valueOf(v));
      }
    }
  }

  private static Run renamed(Run r, String name) {
    return new Run(
        name,
        r.provenance(),
        r.config(),
        r.steps(),
        r.epochs(),
        r.layers(),
        r.activations(),
        r.events(),
        r.actions(),
        r.findings());
  }
}
