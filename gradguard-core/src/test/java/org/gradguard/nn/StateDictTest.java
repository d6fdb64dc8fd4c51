package org.gradguard.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradguard.autograd.Variable;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StateDictTest {
  /** A parameter, a buffer and a child, registered in that order. */
  static final class Block extends Module {
    final Parameter scale;
    final Linear fc;

    Block(Rng rng) {
      scale = registerParameter("scale", Tensor.ones(3));
      registerBuffer("count", Tensor.zeros(1));
      fc = registerModule("fc", new Linear(3, 3, rng));
      registerParameter("shift", Tensor.zeros(3));
    }

    @Override
    protected Variable compute(Variable x) {
      return fc.forward(x.mul(scale));
    }
  }

  private static Sequential model(long seed) {
    Rng rng = new Rng(seed);
    return new Sequential(new Block(rng), Activation.tanh(), new Linear(3, 2, rng));
  }

  @Test
  void orderIsTorchsOwnParametersThenOwnBuffersThenChildren() {
    assertEquals(
        List.of("0.scale", "0.shift", "0.count", "0.fc.weight", "0.fc.bias", "2.weight", "2.bias"),
        List.copyOf(StateDict.of(model(1)).keySet()));
  }

  @Test
  void valuesAreTheModulesTensorsAndSnapshotsAreCopies() {
    Sequential m = model(1);
    Map<String, Tensor> live = StateDict.of(m);
    Map<String, Tensor> snap = StateDict.snapshot(m);
    assertSame(((Linear) m.get(2)).weight().value(), live.get("2.weight"));
    live.get("2.bias").fillInPlace(7f);
    assertEquals(7f, ((Linear) m.get(2)).bias().value().get(0));
    assertTrue(snap.get("2.bias").get(0) != 7f);
  }

  @Test
  void loadIntoATwinGivesBitIdenticalOutputs() {
    Sequential a = model(1);
    Sequential b = model(2);
    Tensor x = Tensor.randn(new Rng(3), 5, 3);
    StateDict.LoadResult r = StateDict.load(b, StateDict.snapshot(a), true);
    assertEquals(List.of(), r.missingKeys());
    assertEquals(List.of(), r.unexpectedKeys());
    assertTrue(
        a.forward(Variable.constant(x)).value().bitEquals(b.forward(Variable.constant(x)).value()));
  }

  @Test
  void everyProblemIsReportedAtOnceAndNothingIsModified() {
    Sequential m = model(1);
    Map<String, Tensor> before = StateDict.snapshot(m);
    LinkedHashMap<String, Tensor> state = StateDict.snapshot(model(2));
    state.remove("0.count");
    state.remove("2.bias");
    state.put("3.weight", Tensor.zeros(2));
    state.put("2.weight", Tensor.zeros(3, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StateDict.load(m, state, true));
    assertEquals(
        "StateDict.load into Sequential(Block, tanh, Linear(3 -> 2)): nothing was loaded because of"
            + " 3 problems:\n"
            + "  missing keys (in the model, not in the checkpoint): 0.count, 2.bias\n"
            + "  unexpected keys (in the checkpoint, not in the model): 3.weight\n"
            + "  2.weight: checkpoint has [3, 2], model has [2, 3]",
        e.getMessage());
    StateDict.of(m).forEach((k, t) -> assertTrue(t.bitEquals(before.get(k)), k));
  }

  @Test
  void nonStrictSkipsMissingAndUnexpectedKeysButNotShapeMismatches() {
    Sequential m = model(1);
    LinkedHashMap<String, Tensor> state = StateDict.snapshot(model(2));
    state.remove("2.bias");
    state.put("extra", Tensor.zeros(1));
    StateDict.LoadResult r = StateDict.load(m, state, false);
    assertEquals(List.of("2.bias"), r.missingKeys());
    assertEquals(List.of("extra"), r.unexpectedKeys());
    assertTrue(StateDict.of(m).get("2.weight").bitEquals(state.get("2.weight")));

    state.put("0.fc.bias", Tensor.zeros(4));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StateDict.load(m, state, false));
    assertEquals(
        "StateDict.load into Sequential(Block, tanh, Linear(3 -> 2)): nothing was loaded because of"
            + " 1 problem:\n  0.fc.bias: checkpoint has [4], model has [3]",
        e.getMessage());
  }
}
