package org.gradguard.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.report.ReportModel.Action;
import org.gradguard.report.ReportModel.EpochPoint;
import org.gradguard.report.ReportModel.Event;
import org.gradguard.report.ReportModel.Finding;
import org.gradguard.report.ReportModel.LayerPoint;
import org.gradguard.report.ReportModel.Run;
import org.gradguard.report.ReportModel.Severity;
import org.gradguard.report.ReportModel.StepPoint;
import org.gradguard.tensor.Rng;

/**
 * A generated comparison: three variants of a 10-layer net trained for 200 steps — a sigmoid
 * baseline whose gradients vanish toward the input, a residual + clipping variant that is healthy,
 * and a high learning rate that explodes and diverges at step 170 with guard actions.
 */
final class FakeRuns {
  private FakeRuns() {}

  static final int LAYERS = 10;
  static final int STEPS = 200;
  static final int MONITOR_EVERY = 2;

  static ReportModel model() {
    Rng rng = new Rng(7);
    return new ReportModel(
        "five-remedies (generated)",
        List.of(
            run("baseline", 0, rng.split()),
            run("residual+clip", 1, rng.split()),
            run("high-lr", 2, rng.split())));
  }

  static String layer(int l) {
    return l == LAYERS - 1 ? "head" : "blocks." + l + ".fc";
  }

  private static Run run(String name, int kind, Rng rng) {
    List<StepPoint> steps = new ArrayList<>();
    List<LayerPoint> layers = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    List<EpochPoint> epochs = new ArrayList<>();
    int divergeAt = kind == 2 ? 170 : Integer.MAX_VALUE;
    for (int s = 1; s <= STEPS; s++) {
      double t = s / (double) STEPS;
      double noise = 1 + 0.08 * rng.nextGaussian();
      double loss =
          switch (kind) {
            case 0 -> (2.3 - 0.6 * t) * noise;
            case 1 -> (0.15 + 2.15 * Math.exp(-6 * t)) * noise;
            default ->
                s >= divergeAt
                    ? Double.NaN
                    : (2.3 * Math.exp(-3 * t) + Math.pow(t, 6) * 40) * noise;
          };
      double acc = Double.isFinite(loss) ? Math.max(0, Math.min(1, 1 - loss / 2.6)) : Double.NaN;
      double grad =
          switch (kind) {
            case 0 -> 0.05 * noise;
            case 1 -> 0.8 * noise;
            default -> s >= divergeAt ? Double.POSITIVE_INFINITY : Math.exp(8 * t) * noise;
          };
      steps.add(new StepPoint(s, loss, 0.1 * (kind == 2 ? 10 : 1), grad, acc));
      if (s % MONITOR_EVERY == 0) {
        for (int l = 0; l < LAYERS; l++) {
          double fromOut = LAYERS - 1 - l;
          double g =
              switch (kind) {
                case 0 -> 0.3 * Math.pow(0.25, fromOut) * (1 + 0.1 * rng.nextGaussian());
                case 1 -> 0.3 * (1 + 0.15 * rng.nextGaussian());
                default ->
                    s >= divergeAt
                        ? (l < 4 ? Double.NaN : Double.POSITIVE_INFINITY)
                        : 0.3 * Math.pow(1.6, fromOut * t) * Math.exp(4 * t);
              };
          double ratio =
              switch (kind) {
                case 0 -> -3.2 - 0.35 * fromOut + 0.1 * rng.nextGaussian();
                case 1 -> -2.9 + 0.1 * rng.nextGaussian();
                default -> -2.2 + 1.2 * t + 0.1 * rng.nextGaussian();
              };
          layers.add(new LayerPoint(s, layer(l), l, g, 3 + 0.1 * l, ratio));
        }
      }
      if (s % 50 == 0) {
        epochs.add(
            new EpochPoint(
                s / 50,
                s,
                loss,
                acc,
                Double.isFinite(loss) ? loss * 1.1 : loss,
                Double.isFinite(acc) ? acc * 0.95 : Double.NaN));
      }
      if (kind == 0 && s % 20 == 0) {
        events.add(
            new Event(
                s,
                "VANISHING",
                Severity.WARNING,
                "gradient norm falls 4.0× per layer toward the input (blocks.0.fc: 1.1e-06)",
                List.of(layer(0), layer(1), layer(2))));
      }
      if (kind == 0 && s % 40 == 0) {
        events.add(
            new Event(
                s,
                "SATURATION",
                Severity.WARNING,
                "62% of sigmoid outputs saturated",
                List.of("blocks.3.act")));
      }
      if (kind == 1 && s == 30) {
        events.add(
            new Event(s, "UPDATE_RATIO", Severity.INFO, "head update ratio −1.9", List.of("head")));
      }
      if (kind == 2 && s > 120 && s < divergeAt && s % 8 == 0) {
        events.add(
            new Event(
                s,
                "EXPLODING",
                s > 150 ? Severity.CRITICAL : Severity.WARNING,
                "global gradient norm spiked to 12× its running median",
                List.of()));
        actions.add(new Action(s, "skipSpikes", "SKIP", "‖g‖ 12× the running median"));
      }
      if (kind == 2 && s == divergeAt) {
        events.add(new Event(s, "NON_FINITE", Severity.CRITICAL, "loss is NaN", List.of(layer(0))));
        actions.add(new Action(s, "rollback", "ROLLBACK", "non-finite loss; lr × 0.5"));
      }
    }
    return new Run(
        name,
        provenance(name),
        config(name, kind),
        steps,
        epochs,
        layers,
        List.of(),
        events,
        actions,
        findings(kind));
  }

  private static Map<String, String> provenance(String name) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("variant", name);
    p.put("gradguard", "0.1.0-SNAPSHOT");
    p.put("seed", "42");
    p.put("data", "spiral(n=2000, classes=3, noise=0.2)");
    p.put("java", "17.0.15");
    return p;
  }

  private static String config(String name, int kind) {
    return "model:\n  layers: 10\n  width: 64\n  activation: "
        + (kind == 0 ? "sigmoid" : "relu")
        + (kind == 1 ? "\n  residual: true" : "")
        + "\noptimizer:\n  name: sgd\n  lr: "
        + (kind == 2 ? "1.0" : "0.1")
        + (kind == 1 ? "\nclipping:\n  global_norm: 1.0" : "")
        + "\ntrain:\n  steps: 200\n";
  }

  private static List<Finding> findings(int kind) {
    return switch (kind) {
      case 0 ->
          List.of(
              new Finding(
                  "Gradients vanish toward the input",
                  Severity.WARNING,
                  "VANISHING",
                  List.of(layer(0), layer(1), layer(2)),
                  20,
                  200,
                  List.of(
                      "steps 20–200 (10×): gradient norm falls 4.0× per layer toward the input"),
                  Map.of("depth.decay_per_layer", 0.25, "depth.first_layer_norm", 1.1e-6),
                  List.of(
                      "sigmoid saturates: its derivative is at most 0.25",
                      "10 layers without skip connections or normalization"),
                  List.of(
                      "Use ReLU or GELU with He initialization",
                      "Add residual connections",
                      "Add batch or layer normalization")));
      case 1 -> List.of();
      default ->
          List.of(
              new Finding(
                  "Training diverged: the loss became NaN",
                  Severity.CRITICAL,
                  "NON_FINITE",
                  List.of(layer(0)),
                  170,
                  170,
                  List.of("step 170: loss is NaN"),
                  Map.of("first.step", 170.0),
                  List.of("learning rate 1.0 is too high for SGD on this model"),
                  List.of(
                      "Lower the learning rate to 0.1 or use a warm-up",
                      "Clip the global gradient norm at 1.0")),
              new Finding(
                  "Gradients explode",
                  Severity.CRITICAL,
                  "EXPLODING",
                  List.of(),
                  128,
                  168,
                  List.of("steps 128–168 (6×): global norm spiked to 12× its running median"),
                  Map.of("spike.ratio", 12.0),
                  List.of("learning rate too high"),
                  List.of("Clip the global gradient norm", "Lower the learning rate")));
    };
  }
}
