package org.gradguard.optim;

import java.util.Arrays;
import java.util.List;

/** The implementations behind {@link Schedule}'s factories: one validated record each. */
final class Schedules {
  private Schedules() {}

  private static void checkStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("Schedule: step must be >= 0, got " + step);
    }
  }

  static double cosine(double base, double etaMin, double tCur, double period) {
    return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * tCur / period)) / 2;
  }

  record Constant(double lr) implements Schedule {
    Constant {
      Check.finite("constant", "lr", lr);
    }

    @Override
    public double at(long step) {
      checkStep(step);
      return lr;
    }
  }

  record StepDecay(double baseLr, long stepSize, double gamma) implements Schedule {
    StepDecay {
      Check.finite("stepLR", "baseLr", baseLr);
      Check.positive("stepLR", "stepSize", stepSize);
      Check.positive("stepLR", "gamma", gamma);
    }

    @Override
    public double at(long step) {
      checkStep(step);
      return baseLr * Math.pow(gamma, step / stepSize);
    }
  }

  record MultiStep(double baseLr, long[] milestones, double gamma) implements Schedule {
    MultiStep {
      Check.finite("multiStepLR", "baseLr", baseLr);
      Check.notNull("multiStepLR", "milestones", milestones);
      for (long m : milestones) {
        Check.positive("multiStepLR", "milestone", m);
      }
      Check.positive("multiStepLR", "gamma", gamma);
      milestones = milestones.clone();
    }

    @Override
    public double at(long step) {
      checkStep(step);
      int passed = 0;
      for (long m : milestones) {
        if (m <= step) {
          passed++;
        }
      }
      return baseLr * Math.pow(gamma, passed);
    }

    @Override
    public String toString() {
      return "MultiStep[baseLr="
          + baseLr
          + ", milestones="
          + Arrays.toString(milestones)
          + ", gamma="
          + gamma
          + "]";
    }
  }

  record Exponential(double baseLr, double gamma) implements Schedule {
    Exponential {
      Check.finite("exponentialLR", "baseLr", baseLr);
      Check.positive("exponentialLR", "gamma", gamma);
    }

    @Override
    public double at(long step) {
      checkStep(step);
      return baseLr * Math.pow(gamma, step);
    }
  }

  record Cosine(double baseLr, long tMax, double etaMin) implements Schedule {
    Cosine {
      Check.finite("cosineAnnealing", "baseLr", baseLr);
      Check.positive("cosineAnnealing", "tMax", tMax);
      Check.nonNegative("cosineAnnealing", "etaMin", etaMin);
    }

    @Override
    public double at(long step) {
      checkStep(step);
      return cosine(baseLr, etaMin, step, tMax);
    }
  }

  record WarmRestarts(double baseLr, long t0, long tMult, double etaMin) implements Schedule {
    WarmRestarts {
      Check.finite("cosineWarmRestarts", "baseLr", baseLr);
      Check.positive("cosineWarmRestarts", "t0", t0);
      Check.positive("cosineWarmRestarts", "tMult", tMult);
      Check.nonNegative("cosineWarmRestarts", "etaMin", etaMin);
    }

    @Override
    public double at(long step) {
      checkStep(step);
      long ti = t0;
      long tCur = step;
      while (tCur >= ti) {
        tCur -= ti;
        ti *= tMult;
      }
      return cosine(baseLr, etaMin, tCur, ti);
    }
  }

  record Linear(double baseLr, double startFactor, double endFactor, long totalIters)
      implements Schedule {
    Linear {
      Check.finite("linearLR", "baseLr", baseLr);
      if (!(startFactor > 0 && startFactor <= 1)) {
        throw new IllegalArgumentException(
            "linearLR: startFactor must be in (0, 1], got " + Check.fmt(startFactor));
      }
      Check.unitClosed("linearLR", "endFactor", endFactor);
      Check.positive("linearLR", "totalIters", totalIters);
    }

    @Override
    public double at(long step) {
      checkStep(step);
      double frac = (double) Math.min(step, totalIters) / totalIters;
      return baseLr * (startFactor + (endFactor - startFactor) * frac);
    }
  }

  record Sequential(List<Schedule> schedules, long[] milestones) implements Schedule {
    Sequential {
      Check.notNull("sequentialLR", "schedules", schedules);
      Check.notNull("sequentialLR", "milestones", milestones);
      if (schedules.size() != milestones.length + 1) {
        throw new IllegalArgumentException(
            "sequentialLR: expected "
                + (milestones.length + 1)
                + " schedules for "
                + milestones.length
                + " milestones, got "
                + schedules.size());
      }
      for (int i = 0; i < schedules.size(); i++) {
        Check.notNull("sequentialLR", "schedules[" + i + "]", schedules.get(i));
      }
      for (int i = 0; i < milestones.length; i++) {
        Check.positive("sequentialLR", "milestones[" + i + "]", milestones[i]);
        if (i > 0 && milestones[i] <= milestones[i - 1]) {
          throw new IllegalArgumentException(
              "sequentialLR: milestones must be strictly increasing, got "
                  + Arrays.toString(milestones));
        }
      }
      schedules = List.copyOf(schedules);
      milestones = milestones.clone();
    }

    @Override
    public double at(long step) {
      checkStep(step);
      int k = 0;
      while (k < milestones.length && step >= milestones[k]) {
        k++;
      }
      long start = k == 0 ? 0 : milestones[k - 1];
      return schedules.get(k).at(step - start);
    }

    @Override
    public String toString() {
      return "Sequential[schedules="
          + schedules
          + ", milestones="
          + Arrays.toString(milestones)
          + "]";
    }
  }
}
