package org.gradguard.health;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link Diagnosis} as text for people. Package-private. */
final class DiagnosisText {
  private static final int WIDTH = 100;
  private static final int MAX_TABLE_ROWS = 40;

  private DiagnosisText() {}

  static String render(Diagnosis d) {
    HealthLog log = d.log();
    StringBuilder sb = new StringBuilder();
    List<Finding> fs = d.findings();
    sb.append("GradGuard diagnosis: ");
    if (fs.isEmpty()) {
      sb.append("no problems found");
    } else {
      sb.append(fs.size()).append(fs.size() == 1 ? " problem found" : " problems found");
    }
    sb.append(" (");
    if (log.monitoredSteps() == 0) {
      sb.append("no monitored steps");
    } else {
      sb.append(log.monitoredSteps())
          .append(log.monitoredSteps() == 1 ? " monitored step" : " monitored steps")
          .append(", steps ")
          .append(log.firstStep())
          .append("–")
          .append(log.lastStep());
    }
    sb.append(")\n");
    actions(sb, log);
    int i = 1;
    for (Finding f : fs) {
      sb.append('\n');
      finding(sb, i++, f);
    }
    StepStats latest = log.latest();
    if (latest != null && !fs.isEmpty()) {
      sb.append('\n');
      table(sb, latest);
    }
    return sb.toString();
  }

  private static void actions(StringBuilder sb, HealthLog log) {
    Map<GuardAction.Action, Long> counts = log.actionCounts();
    if (counts.isEmpty()) {
      return;
    }
    sb.append("Guards: ");
    boolean firstPart = true;
    for (Map.Entry<GuardAction.Action, Long> e : counts.entrySet()) {
      sb.append(firstPart ? "" : ", ")
          .append(e.getValue())
          .append(' ')
          .append(e.getKey().name().toLowerCase(Locale.ROOT))
          .append(e.getValue() == 1 ? "" : "s");
      firstPart = false;
    }
    List<GuardAction> kept = log.actions();
    if (!kept.isEmpty()) {
      sb.append("; last: ").append(kept.get(kept.size() - 1));
    }
    sb.append('\n');
  }

  private static void finding(StringBuilder sb, int index, Finding f) {
    sb.append(index)
        .append(". ")
        .append(f.title().toUpperCase(Locale.ROOT))
        .append(" — ")
        .append(f.severity().name().toLowerCase(Locale.ROOT))
        .append('\n');
    String steps =
        f.firstStep() == f.lastStep()
            ? "seen at step " + f.firstStep()
            : "seen from step "
                + f.firstStep()
                + " to step "
                + f.lastStep()
                + " ("
                + f.occurrences()
                + " events)";
    if (f.layers().isEmpty()) {
      wrap(sb, "   Where: ", "the whole model, " + steps);
    } else {
      wrap(sb, "   Where: ", layerList(f.layers()) + ", " + steps);
    }
    for (int k = 0; k < f.evidence().size(); k++) {
      wrap(sb, k == 0 ? "   What:  " : "          ", f.evidence().get(k));
    }
    for (int k = 0; k < f.causes().size(); k++) {
      wrap(sb, k == 0 ? "   Why:   " : "          ", "- " + f.causes().get(k));
    }
    int n = 1;
    for (Finding.Advice a : f.remedies()) {
      wrap(
          sb,
          n == 1 ? "   Try:   " : "          ",
          n + ". " + capitalize(a.remedy().title()) + ": " + a.text());
      n++;
    }
  }

  private static String layerList(List<String> layers) {
    if (layers.size() <= 8) {
      return (layers.size() == 1 ? "layer " : "layers ") + String.join(", ", layers);
    }
    return "layers "
        + String.join(", ", layers.subList(0, 6))
        + ", … "
        + layers.get(layers.size() - 1)
        + " ("
        + layers.size()
        + " layers)";
  }

  /** Per-layer gradient norms of the latest step, with a log-scale bar. */
  private static void table(StringBuilder sb, StepStats s) {
    List<LayerStats> layers = s.layers();
    if (layers.isEmpty()) {
      return;
    }
    sb.append("Gradient norm by layer at step ")
        .append(s.step())
        .append(" (input first; bar: log10 scale):\n");
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (LayerStats l : layers) {
      if (l.gradNorm() > 0 && Double.isFinite(l.gradNorm())) {
        max = Math.max(max, Math.log10(l.gradNorm()));
        min = Math.min(min, Math.log10(l.gradNorm()));
      }
    }
    int stride = Math.max(1, (int) Math.ceil(layers.size() / (double) MAX_TABLE_ROWS));
    int nameWidth = 6;
    for (LayerStats l : layers) {
      nameWidth = Math.max(nameWidth, Math.min(24, l.label().length()));
    }
    for (int i = 0; i < layers.size(); i += stride) {
      LayerStats l = layers.get(i);
      double g = l.gradNorm();
      int bar = 0;
      if (g > 0 && Double.isFinite(g) && max > min) {
        bar = 1 + (int) Math.round(29 * (Math.log10(g) - min) / (max - min));
      } else if (g > 0 && Double.isFinite(g)) {
        bar = 30;
      }
      sb.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s %9s  ", l.label(), Fmt.num(g)))
          .append("█".repeat(bar))
          .append(Double.isFinite(g) ? "" : "non-finite")
          .append('\n');
    }
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Appends {@code text} after {@code prefix}, wrapped at WIDTH with a hanging indent. */
  private static void wrap(StringBuilder sb, String prefix, String text) {
    String indent = " ".repeat(prefix.length() + (text.matches("^(- |\\d+\\. ).*") ? 3 : 0));
    StringBuilder line = new StringBuilder(prefix);
    for (String word : text.split(" ")) {
      if (line.length() + 1 + word.length() > WIDTH && line.length() > indent.length()) {
        sb.append(line.toString().stripTrailing()).append('\n');
        line = new StringBuilder(indent);
      }
      line.append(word).append(' ');
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }
}
