package org.gradguard.optim;

import static org.gradguard.optim.ClipTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedules by hand; the golden tests check them against PyTorch. */
class ScheduleTest {

  @Test
  void closedFormsByHand() {
    assertEquals(0.1 * 0.25, Schedule.step(0.1, 5, 0.5).at(10), 1e-15);
    assertEquals(0.1 * 0.5, Schedule.step(0.1, 5, 0.5).at(9), 1e-15);
    Schedule ms = Schedule.multiStep(1, new long[] {3, 10, 10}, 0.5);
    assertEquals(1.0, ms.at(2));
    assertEquals(0.5, ms.at(3));
    assertEquals(0.125, ms.at(10)); // the repeated milestone counts twice
    assertEquals(0.9 * 0.9 * 0.9, Schedule.exponential(1, 0.9).at(3), 1e-15);
    Schedule cos = Schedule.cosineAnnealing(1, 10, 0.1);
    assertEquals(1.0, cos.at(0), 1e-15);
    assertEquals(0.55, cos.at(5), 1e-15);
    assertEquals(0.1, cos.at(10), 1e-15);
    assertEquals(cos.at(5), cos.at(15), 1e-15); // rises again past tMax, as PyTorch
    Schedule lin = Schedule.linear(0.1, 0.1, 1.0, 10);
    assertEquals(0.01, lin.at(0), 1e-15);
    assertEquals(0.055, lin.at(5), 1e-15);
    assertEquals(0.1, lin.at(10), 1e-15);
    assertEquals(0.1, lin.at(1000), 1e-15);
  }

  @Test
  void warmRestartsRestartAndGrowThePeriod() {
    Schedule s = Schedule.cosineWarmRestarts(1, 4, 2, 0);
    assertEquals(1.0, s.at(0), 1e-15);
    assertEquals(0.5, s.at(2), 1e-15);
    assertEquals(1.0, s.at(4), 1e-15); // restart, period 8
    assertEquals(0.5, s.at(8), 1e-15);
    assertEquals(1.0, s.at(12), 1e-15); // restart, period 16
  }

  @Test
  void sequentialRestartsEachScheduleAtItsMilestone() {
    Schedule s =
        Schedule.sequential(
            List.of(Schedule.linear(1, 0.5, 1, 4), Schedule.cosineAnnealing(1, 10, 0)), 4);
    assertEquals(0.5, s.at(0), 1e-15);
    assertEquals(0.875, s.at(3), 1e-15);
    assertEquals(1.0, s.at(4), 1e-15);
    assertEquals(0.5, s.at(9), 1e-15);
  }

  @Test
  void oneCycleTwoPhaseEndpointsAndMomentum() {
    OneCycle oc = Schedule.oneCycle(1.0, 101);
    // phase ends: 0.3·101 − 1 = 29.3 and 100
    assertEquals(1.0 / 25, oc.at(0), 1e-15);
    assertEquals(0.95, oc.momentum(0), 1e-15);
    assertEquals(1.0 / 25 / 1e4, oc.at(100), 1e-15);
    assertEquals(0.95, oc.momentum(100), 1e-15);
    assertEquals(1.0 / 25 / 1e4, oc.at(500), 1e-15); // clamped past the end
    OneCycle flat = OneCycle.builder(1, 10).cycleMomentum(false).build();
    assertEquals(0.95, flat.momentum(3));
  }

  @Test
  void reduceOnPlateauFollowsPyTorchsPatience() {
    ReduceLROnPlateau r = ReduceLROnPlateau.builder(1).factor(0.5).patience(2).build();
    assertEquals(1.0, r.step(10)); // best 10
    assertEquals(1.0, r.step(10)); // bad 1
    assertEquals(1.0, r.step(10)); // bad 2 (= patience, not yet)
    assertEquals(0.5, r.step(10)); // bad 3 > patience: reduce
    assertEquals(0.5, r.step(9)); // improvement
    assertEquals(0.5, r.at(123));
    ReduceLROnPlateau.State saved = r.state();
    r.step(9);
    r.step(9);
    r.step(9);
    assertEquals(0.25, r.lr());
    r.restore(saved);
    assertEquals(0.5, r.lr());
    ReduceLROnPlateau floor = ReduceLROnPlateau.builder(1).patience(0).minLr(0.05).build();
    floor.step(1);
    assertEquals(0.1, floor.step(1), 1e-15);
    assertEquals(0.05, floor.step(1), 1e-15);
    assertEquals(0.05, floor.step(1), 1e-15);
  }

  @Test
  void factoriesValidate() {
    assertMessage("stepLR: stepSize must be > 0, got 0", () -> Schedule.step(0.1, 0, 0.5));
    assertMessage(
        "cosineAnnealing: tMax must be > 0, got 0", () -> Schedule.cosineAnnealing(0.1, 0, 0));
    assertMessage(
        "linearLR: startFactor must be in (0, 1], got 0", () -> Schedule.linear(0.1, 0, 1, 5));
    assertMessage(
        "cosineWarmRestarts: tMult must be > 0, got 0",
        () -> Schedule.cosineWarmRestarts(0.1, 5, 0, 0));
    assertMessage(
        "sequentialLR: expected 2 schedules for 1 milestones, got 1",
        () -> Schedule.sequential(List.of(Schedule.constant(1)), 5));
    assertMessage(
        "oneCycle: pctStart must be in [0, 1], got 1.5",
        () -> OneCycle.builder(0.1, 10).pctStart(1.5).build());
    assertMessage(
        "reduceLROnPlateau: factor must be in (0, 1), got 1",
        () -> ReduceLROnPlateau.builder(0.1).factor(1).build());
    assertMessage(
        "multiStepLR: milestone must be > 0, got -3",
        () -> Schedule.multiStep(0.1, new long[] {-3}, 0.1));
  }
}
