package org.gradguard.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gradguard.tensor.Rng;
import org.gradguard.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TransformStateTest {

  private static Tensor[] grads(Rng rng, double scale) {
    return new Tensor[] {
      Tensor.randn(rng, 3, 4).mulInPlace((float) scale),
      Tensor.randn(rng, 4).mulInPlace((float) scale)
    };
  }

  private static GradientTransformation remedyChain() {
    return Transforms.chain(
        Clip.byGlobalNorm(1.0),
        Clip.zScore(0.9, 2.0, 3),
        Transforms.scaleByAdam(0.9, 0.999, 1e-8, true),
        Transforms.addDecayedWeights(0.01, ParamMask.weightsOnly()),
        Transforms.scaleByLearningRate(Schedule.cosineAnnealing(0.1, 20, 0)));
  }

  private static void run(
      GradientTransformation t, TransformState s, Params p, Rng rng, int from, int to) {
    for (int k = from; k < to; k++) {
      Tensor[] u = grads(rng, k % 4 == 3 ? 50 : 1);
      t.update(u, s, p, StepContext.at(k));
      for (int i = 0; i < u.length; i++) {
        p.value(i).addInPlace(u[i]);
      }
    }
  }

  private static Params params(long seed) {
    Rng rng = new Rng(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("fc.weight", Tensor.randn(rng, 3, 4));
    m.put("fc.bias", Tensor.randn(rng, 4));
    return Params.named(m);
  }

  @Test
  void chainStateSurvivesExportRestoreAndContinuesBitIdentically() {
    GradientTransformation t = remedyChain();
    Params a = params(1);
    TransformState sa = t.init(a);
    run(t, sa, a, new Rng(7), 0, 6);

    // Export mid-run, then restore into a fresh state for a copy of the parameters.
    StateSnapshot snap = sa.export();
    Params b = params(1);
    for (int i = 0; i < a.size(); i++) {
      b.value(i).copyFromInPlace(a.value(i));
    }
    TransformState sb = t.init(b);
    assertFalse(sb.bitEquals(sa));
    sb.restore(snap);
    assertTrue(sb.bitEquals(sa));

    run(t, sa, a, new Rng(99), 6, 14);
    run(t, sb, b, new Rng(99), 6, 14);
    for (int i = 0; i < a.size(); i++) {
      assertTrue(a.value(i).bitEquals(b.value(i)), "parameter " + a.name(i));
    }
    assertTrue(sa.bitEquals(sb));
  }

  @Test
  void exportKeysArePrefixedByChainPositionAndDetached() {
    GradientTransformation t = remedyChain();
    Params p = params(2);
    TransformState s = t.init(p);
    StateSnapshot snap = s.export();
    assertTrue(snap.tensors().containsKey("2/mu.0"));
    assertTrue(snap.tensors().containsKey("2/nu_max.1"));
    assertTrue(snap.numbers().containsKey("0/last_norm"));
    assertTrue(snap.numbers().containsKey("4/lr_scale"));
    assertEquals(0.0, snap.numbers().get("2/count"));
    run(t, s, p, new Rng(3), 0, 2);
    assertEquals(0f, snap.tensors().get("2/mu.0").data()[0], "snapshot must be a copy");
    assertEquals(2.0, s.child(2).number("count"));
  }

  @Test
  void restoreRejectsMissingExtraAndMisShapedKeysWithoutChangingState() {
    GradientTransformation t = remedyChain();
    Params p = params(3);
    TransformState s = t.init(p);
    StateSnapshot good = s.export();

    Map<String, Tensor> tensors = new LinkedHashMap<>(good.tensors());
    tensors.remove("2/mu.1");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.restore(new StateSnapshot(tensors, good.numbers())));
    assertTrue(e.getMessage().contains("2/mu.1"), e.getMessage());

    Map<String, Double> numbers = new LinkedHashMap<>(good.numbers());
    numbers.put("9/bogus", 1.0);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.restore(new StateSnapshot(good.tensors(), numbers)));
    assertTrue(e.getMessage().contains("9/bogus"), e.getMessage());

    Map<String, Tensor> shaped = new LinkedHashMap<>(good.tensors());
    shaped.put("2/mu.0", Tensor.ones(4, 3));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.restore(new StateSnapshot(shaped, good.numbers())));
    assertTrue(e.getMessage().contains("2/mu.0"), e.getMessage());
    assertTrue(s.bitEquals(t.init(p)));
  }

  @Test
  void copyIsDeepAndCopyFromRestoresInPlace() {
    GradientTransformation t = remedyChain();
    Params p = params(4);
    TransformState s = t.init(p);
    run(t, s, p, new Rng(5), 0, 3);
    TransformState saved = s.copy();
    Tensor liveMu = s.child(2).tensor("mu", 0);
    run(t, s, p, new Rng(6), 3, 5);
    assertFalse(s.bitEquals(saved));
    s.copyFrom(saved);
    assertTrue(s.bitEquals(saved));
    assertTrue(liveMu == s.child(2).tensor("mu", 0), "copyFrom writes into the live tensors");
  }

  @Test
  void keysAreValidated() {
    TransformState s = TransformState.create().putNumber("count", 0);
    assertThrows(IllegalArgumentException.class, () -> s.putNumber("count", 1));
    assertThrows(IllegalArgumentException.class, () -> s.putNumber("a/b", 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.number("nope"));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("count"));
    assertThrows(IllegalArgumentException.class, () -> s.setNumber("nope", 1));
  }
}
