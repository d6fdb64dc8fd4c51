package org.gradguard.tensor;

/** Elementwise functions of two arguments; comparisons give 1 for true and 0 for false. */
public enum BinaryOp {
  ADD {
    @Override
    public float apply(float a, float b) {
      return a + b;
    }
  },
  SUB {
    @Override
    public float apply(float a, float b) {
      return a - b;
    }
  },
  MUL {
    @Override
    public float apply(float a, float b) {
      return a * b;
    }
  },
  DIV {
    @Override
    public float apply(float a, float b) {
      return a / b;
    }
  },
  POW {
    @Override
    public float apply(float a, float b) {
      return (float) Math.pow(a, b);
    }
  },
  MAX {
    @Override
    public float apply(float a, float b) {
      return Math.max(a, b);
    }
  },
  MIN {
    @Override
    public float apply(float a, float b) {
      return Math.min(a, b);
    }
  },
  EQ {
    @Override
    public float apply(float a, float b) {
      return a == b ? 1f : 0f;
    }
  },
  NE {
    @Override
    public float apply(float a, float b) {
      return a != b ? 1f : 0f;
    }
  },
  LT {
    @Override
    public float apply(float a, float b) {
      return a < b ? 1f : 0f;
    }
  },
  LE {
    @Override
    public float apply(float a, float b) {
      return a <= b ? 1f : 0f;
    }
  },
  GT {
    @Override
    public float apply(float a, float b) {
      return a > b ? 1f : 0f;
    }
  },
  GE {
    @Override
    public float apply(float a, float b) {
      return a >= b ? 1f : 0f;
    }
  };

  /** The function at one point. */
  public abstract float apply(float a, float b);
}
