package org.gradguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverridesTest {
  private static ObjectNode tree(String yaml) {
    return (ObjectNode) Yaml.readValue(yaml, "t.yaml");
  }

  private static ObjectNode apply(String yaml, String... sets) {
    ObjectNode root = tree(yaml);
    Overrides.apply(root, List.of(sets).stream().map(Overrides::parse).toList());
    return root;
  }

  @Test
  void valuesAreReadAsYaml() {
    ObjectNode r =
        apply(
            "a: {b: 1}",
            "a.b=0.5",
            "a.c=true",
            "a.d=adam",
            "a.e=[1, 2]",
            "a.f={x: 1}",
            "a.g=",
            "a.h=1e-3");
    assertEquals(tree("a: {b: 0.5, c: true, d: adam, e: [1, 2], f: {x: 1}, g: null, h: 0.001}"), r);
  }

  @Test
  void missingMapsAreCreatedAndListsIndexed() {
    assertEquals(tree("a: 1\nx: {y: {z: 2}}"), apply("a: 1", "x.y.z=2"));
    assertEquals(tree("l: [{out: 5}, {out: 3}]"), apply("l: [{out: 4}, {out: 3}]", "l.0.out=5"));
    assertEquals(tree("l: [{out: 4}, 7]"), apply("l: [{out: 4}, {out: 3}]", "l[1]=7"));
    assertEquals(tree("l: [1, 2, 3]"), apply("l: [1, 2]", "l.2=3"));
  }

  @Test
  void laterOverridesWin() {
    assertEquals(tree("a: 3"), apply("a: 1", "a=2", "a=3"));
  }

  @Test
  void malformedOverridesAreConfigErrors() {
    ConfigException e = assertThrows(ConfigException.class, () -> Overrides.parse("novalue"));
    assertEquals("--set: novalue: expected key.path=value, e.g. optimizer.lr=0.01", e.getMessage());
    assertThrows(ConfigException.class, () -> Overrides.parse("a..b=1"));
    assertThrows(ConfigException.class, () -> Overrides.parse("=1"));
    ConfigException through =
        assertThrows(ConfigException.class, () -> apply("a: {lr: 0.1}", "a.lr.x=1"));
    assertEquals("--set: a.lr.x=1: a.lr is 0.1, not a map or a list", through.getMessage());
    ConfigException past = assertThrows(ConfigException.class, () -> apply("l: [1]", "l.5=2"));
    assertTrue(past.getMessage().contains("l has 1 elements, no index 5"), past.getMessage());
  }

  @Test
  void theSourceRecordsWhatWasSet() {
    ObjectNode root = tree("a: 1");
    Map<String, String> applied =
        Overrides.apply(root, List.of(Overrides.parse("x.y[0].z=2"), Overrides.parse("a=5")));
    assertEquals(Map.of("x.y[0].z", "x.y[0].z=2", "a", "a=5"), applied);
  }

  @Test
  void deepMergeMergesMapsReplacesScalarsAndListsAndDeletesNulls() {
    JsonNode base = tree("m: {a: 1, b: {c: 2, d: 3}}\nl: [1, 2]\ns: x");
    JsonNode over = tree("m: {b: {c: 5}, e: 6, a: null}\nl: [9]\ns: {k: 1}");
    assertEquals(
        tree("m: {b: {c: 5, d: 3}, e: 6}\nl: [9]\ns: {k: 1}"), DeepMerge.merge(base, over));
    // Neither argument changes.
    assertEquals(tree("m: {a: 1, b: {c: 2, d: 3}}\nl: [1, 2]\ns: x"), base);
  }

  @Test
  void deepMergeReplacesAMapWhoseKindChanges() {
    JsonNode base =
        tree("optimizer: {name: sgd, lr: 0.1, momentum: 0.9}\nclipping: {kind: norm, max_norm: 1}");
    JsonNode over = tree("optimizer: {name: Adam}\nclipping: {kind: norm, max_norm: 2}");
    assertEquals(
        tree("optimizer: {name: Adam}\nclipping: {kind: norm, max_norm: 2}"),
        DeepMerge.merge(base, over));
    // The same name, differently spelled, still merges.
    assertEquals(
        tree("optimizer: {name: SGD, lr: 0.1, momentum: 0.5}"),
        DeepMerge.merge(
            tree("optimizer: {name: sgd, lr: 0.1, momentum: 0.9}"),
            tree("optimizer: {name: SGD, momentum: 0.5}")));
  }

  @Test
  void suggestionsUseEditDistanceTwo() {
    assertEquals(0, Suggestions.distance("lr", "lr"));
    assertEquals(3, Suggestions.distance("kitten", "sitting"));
    assertEquals("lr", Suggestions.closest("lrr", List.of("name", "lr", "momentum")));
    assertEquals("batch_size", Suggestions.closest("batch-size", List.of("batch_size", "seed")));
    assertEquals("momentum", Suggestions.closest("Momentun", List.of("lr", "momentum")));
    assertEquals(null, Suggestions.closest("learning_rate", List.of("lr", "momentum")));
    assertEquals("", Suggestions.didYouMean("zzz", List.of("lr")));
  }

  @Test
  void overridesAVariantUndoesAreFoundWithTheWayIntoIt() {
    // the merged tree of a variant that turned the guard on with `true`, switched the optimizer's
    // kind (its map replaced the base's) and replaced a list
    JsonNode merged =
        tree(
            "guards: {rollback: true}\noptimizer: {name: adam}\n"
                + "model: {layers: [{type: linear, out: 4}]}\ntrain: {epochs: 2}");
    List<String> sets =
        List.of(
            "guards.rollback.backoff=0.1",
            "optimizer.lr=0.01",
            "model.layers[1].out=8",
            "train.epochs=2",
            "variants.x.train.epochs=3",
            "schedule=");
    List<Overrides.Override> undone = Overrides.undoneBy(merged, sets);
    assertEquals(
        List.of("guards.rollback.backoff=0.1", "optimizer.lr=0.01", "model.layers[1].out=8"),
        undone.stream().map(Overrides.Override::text).toList());
    assertEquals(
        "variants.v.guards.rollback={backoff: 0.1}",
        Overrides.intoVariant(merged, undone.get(0), "v"));
    assertEquals("variants.v.optimizer.lr=0.01", Overrides.intoVariant(merged, undone.get(1), "v"));
    assertEquals(
        "variants.v.model.layers[1].out=8", Overrides.intoVariant(merged, undone.get(2), "v"));
  }
}
