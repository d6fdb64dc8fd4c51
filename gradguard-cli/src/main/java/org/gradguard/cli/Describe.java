package org.gradguard.cli;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.gradguard.config.InitConfig;
import org.gradguard.config.LayerSpec;
import org.gradguard.config.ModelConfig;
import org.gradguard.config.Named;
import org.gradguard.config.Numbers;
import org.gradguard.config.RunConfig;
import org.gradguard.config.RunFactory;
import org.gradguard.data.Dataset;
import org.gradguard.tensor.Shapes;

/** One-line descriptions of configs and built runs, for plans and logs. */
final class Describe {
  private Describe() {}

  /** A record's components as {@code name value, ...}, in snake_case like the config keys. */
  static String settings(Record r) {
    List<String> parts = new ArrayList<>();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(r);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (v == null) {
        continue;
      }
      parts.add(snake(c.getName()) + " " + value(v));
    }
    return String.join(", ", parts);
  }

  private static String value(Object v) {
    if (v instanceof Double d) {
      return Numbers.format(d);
    }
    if (v instanceof Named n) {
      return n.id();
    }
    if (v instanceof Record r) {
      return "{" + settings(r) + "}";
    }
    if (v instanceof List<?> l) {
      List<String> items = new ArrayList<>();
      l.forEach(x -> items.add(value(x)));
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(v);
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  /** The name of a config record's kind plus its settings, e.g. {@code sgd (lr 0.1, ...)}. */
  static String named(String name, Record r) {
    String s = settings(r);
    return s.isEmpty() ? name : name + " (" + s + ")";
  }

  static String model(ModelConfig m, long parameters) {
    String body =
        m instanceof ModelConfig.Layers l
            ? "layers [" + layers(l.layers()) + "], init " + init(l.init())
            : settings((Record) m).replaceAll("init \\{[^}]*}", "init " + init(m.init()));
    return m.type() + " (" + body + String.format("); %,d parameters", parameters);
  }

  private static String init(InitConfig init) {
    return switch (init.kind()) {
      case NORMAL ->
          "normal (sigma_w2 "
              + Numbers.format(init.sigmaW2())
              + ", sigma_b2 "
              + Numbers.format(init.sigmaB2())
              + ")";
      default ->
          init.kind().id()
              + (init.gain() == null ? "" : " (gain " + Numbers.format(init.gain()) + ")");
    };
  }

  /** Layer types, runs of equal entries compressed: {@code linear, 10 x residual[...], linear}. */
  private static String layers(List<LayerSpec> specs) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < specs.size(); ) {
      int j = i;
      while (j < specs.size() && specs.get(j).equals(specs.get(i))) {
        j++;
      }
      String one = layer(specs.get(i));
      parts.add(j - i > 1 ? (j - i) + " x " + one : one);
      i = j;
    }
    return String.join(", ", parts);
  }

  private static String layer(LayerSpec s) {
    if (s instanceof LayerSpec.Linear l) {
      return "linear(" + l.out() + ")";
    }
    if (s instanceof LayerSpec.Residual r) {
      return "residual[" + layers(r.layers()) + "]";
    }
    if (s instanceof LayerSpec.Dropout d) {
      return "dropout(" + Numbers.format(d.p()) + ")";
    }
    return s.type();
  }

  static String data(RunFactory.BuiltRun run) {
    Dataset train = run.data().train();
    Dataset val = run.data().validation();
    String target =
        train.numClasses() > 0
            ? train.numClasses() + " classes"
            : Shapes.format(train.targetShape()) + " targets";
    return String.format(
        "%,d training / %,d validation examples, inputs %s, %s; %s",
        train.size(),
        val == null ? 0 : val.size(),
        Shapes.format(train.featureShape()),
        target,
        train.description());
  }

  static String train(RunFactory.BuiltRun run) {
    RunConfig c = run.config();
    String length =
        c.train().epochs() != null
            ? String.format(
                "%d epochs x %,d steps = %,d steps",
                c.train().epochs(), run.stepsPerEpoch(), run.totalSteps())
            : String.format(
                "%,d steps (%.2f epochs)",
                run.totalSteps(), run.totalSteps() / (double) run.stepsPerEpoch());
    return length
        + ", batch "
        + c.train().batchSize()
        + ", seed "
        + c.train().seed()
        + ", threads "
        + (c.train().threads() == 0 ? "default" : c.train().threads());
  }
}
