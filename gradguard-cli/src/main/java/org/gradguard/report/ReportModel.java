package org.gradguard.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a report shows, independent of where it came from: one or more runs (the variants of a
 * comparison), each with its provenance, configuration, metric series, per-layer statistics, health
 * events, guard actions and findings. {@link RunDirectories} builds one from run directories; tests
 * build one by hand.
 *
 * <p>All records are immutable; lists and maps are copied. Numbers that were not measured are NaN;
 * a non-finite loss or norm stays non-finite (the report shows where training diverged).
 *
 * @param title the report's headline (the experiment's name, or "GradGuard report")
 * @param runs the runs in the order they are shown; each has its own colour
 */
public record ReportModel(String title, List<Run> runs) {
  public ReportModel {
    Objects.requireNonNull(title, "title");
    runs = List.copyOf(runs);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("ReportModel: runs must not be empty");
    }
    for (int i = 0; i < runs.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (runs.get(i).name().equals(runs.get(j).name())) {
          throw new IllegalArgumentException(
              "ReportModel: run names must be unique, got '" + runs.get(i).name() + "' twice");
        }
      }
    }
  }

  /**
   * One run (one variant of a comparison).
   *
   * @param name the variant's name, unique within the report
   * @param provenance what made the run (version, seed, data, git commit, ...), shown as a table
   * @param config the configuration as text (YAML), shown verbatim; empty when unknown
   * @param steps the per-step metrics, in step order
   * @param epochs the per-epoch (validation) metrics, in order
   * @param layers the per-layer statistics of every monitored step, in step then depth order
   * @param activations the activation statistics of monitored steps
   * @param events the health events, in step order
   * @param actions what the guards did, in step order
   * @param findings the diagnosis, most severe first
   */
  public record Run(
      String name,
      Map<String, String> provenance,
      String config,
      List<StepPoint> steps,
      List<EpochPoint> epochs,
      List<LayerPoint> layers,
      List<ActivationPoint> activations,
      List<Event> events,
      List<Action> actions,
      List<Finding> findings) {
    public Run {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("ReportModel.Run: name must not be blank");
      }
      provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
      config = config == null ? "" : config;
      steps = List.copyOf(steps);
      epochs = List.copyOf(epochs);
      layers = List.copyOf(layers);
      activations = List.copyOf(activations);
      events = List.copyOf(events);
      actions = List.copyOf(actions);
      findings = List.copyOf(findings);
    }
  }

  /**
   * The metrics of one training step.
   *
   * @param step the step number
   * @param loss the training loss of the step's batch
   * @param lr the learning rate used (NaN when unknown)
   * @param gradNorm the global gradient norm {@code ‖g‖₂} before clipping (NaN when unknown)
   * @param accuracy the training accuracy of the batch in [0, 1] (NaN when not a classifier)
   */
  public record StepPoint(long step, double loss, double lr, double gradNorm, double accuracy) {}

  /**
   * The metrics at the end of one epoch.
   *
   * @param epoch the epoch number (1 for the first)
   * @param step the step at which the epoch ended
   * @param trainLoss the mean training loss of the epoch (NaN when unknown)
   * @param trainAccuracy the training accuracy (NaN when unknown)
   * @param valLoss the validation loss (NaN when there is no validation set)
   * @param valAccuracy the validation accuracy (NaN when unknown)
   */
  public record EpochPoint(
      int epoch,
      long step,
      double trainLoss,
      double trainAccuracy,
      double valLoss,
      double valAccuracy) {}

  /**
   * The statistics of one layer at one monitored step.
   *
   * @param step the step
   * @param layer the layer's module name
   * @param depth the depth index, 0 nearest the input
   * @param gradNorm {@code ‖g‖₂} over the layer's parameters
   * @param paramNorm {@code ‖θ‖₂}
   * @param updateRatioLog10 {@code log10(mean |u| / mean |θ|)}; NaN when the update is unknown
   */
  public record LayerPoint(
      long step,
      String layer,
      int depth,
      double gradNorm,
      double paramNorm,
      double updateRatioLog10) {}

  /**
   * The output statistics of one activation layer at one monitored step.
   *
   * @param step the step
   * @param layer the activation's module name
   * @param kind the activation function ({@code relu}, {@code tanh}, ...)
   * @param mean the mean output
   * @param std the standard deviation of the outputs
   * @param fractionSaturated the fraction of saturated outputs (NaN unless sigmoid or tanh)
   * @param fractionDead the fraction of dead units (NaN unless ReLU family)
   */
  public record ActivationPoint(
      long step,
      String layer,
      String kind,
      double mean,
      double std,
      double fractionSaturated,
      double fractionDead) {}

  /**
   * One health event.
   *
   * @param step the step at which it was found
   * @param kind what was found ({@code EXPLODING}, {@code VANISHING}, {@code NON_FINITE}, ...)
   * @param severity how urgent
   * @param message one line for people, with the numbers
   * @param layers the layers involved
   */
  public record Event(
      long step, String kind, Severity severity, String message, List<String> layers) {
    public Event {
      layers = List.copyOf(layers);
    }
  }

  /**
   * One thing a guard did.
   *
   * @param step the step
   * @param guard the guard's name ({@code skipNonFinite}, {@code rollback}, ...)
   * @param action what it did ({@code SKIP}, {@code ROLLBACK}, {@code STOP})
   * @param reason one line for people
   */
  public record Action(long step, String guard, String action, String reason) {}

  /**
   * One finding of the diagnosis, in plain words.
   *
   * @param title the headline
   * @param severity how urgent
   * @param kind the kind of problem ({@code VANISHING}, ...)
   * @param layers where: the layers involved
   * @param firstStep where: the first step it was seen (-1 when unknown)
   * @param lastStep where: the last step it was seen (-1 when unknown)
   * @param evidence what was seen, one line per test that found it
   * @param numbers the measurements, by name
   * @param causes the likely causes, most likely first
   * @param remedies what to try, most promising first
   */
  public record Finding(
      String title,
      Severity severity,
      String kind,
      List<String> layers,
      long firstStep,
      long lastStep,
      List<String> evidence,
      Map<String, Double> numbers,
      List<String> causes,
      List<String> remedies) {
    public Finding {
      layers = List.copyOf(layers);
      evidence = List.copyOf(evidence);
      numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
      causes = List.copyOf(causes);
      remedies = List.copyOf(remedies);
    }
  }

  /** How urgent an event or finding is (the health package's levels). */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    /** The level named {@code name} (any case); INFO for unknown names. */
    public static Severity parse(String name) {
      if (name == null) {
        return INFO;
      }
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return INFO;
      }
    }
  }
}
