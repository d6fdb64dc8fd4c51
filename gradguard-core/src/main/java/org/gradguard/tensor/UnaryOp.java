package org.gradguard.tensor;

/** Elementwise functions of one argument, each with its scalar definition. */
public enum UnaryOp {
  NEG {
    @Override
    public float apply(float x) {
      return -x;
    }
  },
  ABS {
    @Override
    public float apply(float x) {
      return Math.abs(x);
    }
  },
  EXP {
    @Override
    public float apply(float x) {
      return (float) Math.exp(x);
    }
  },
  LOG {
    @Override
    public float apply(float x) {
      return (float) Math.log(x);
    }
  },
  SQRT {
    @Override
    public float apply(float x) {
      return (float) Math.sqrt(x);
    }
  },
  TANH {
    @Override
    public float apply(float x) {
      return (float) Math.tanh(x);
    }
  },
  /** {@code 1 / (1 + e^-x)}, evaluated without overflow for large |x|. */
  SIGMOID {
    @Override
    public float apply(float x) {
      if (x >= 0) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
      }
      double e = Math.exp(x);
      return (float) (e / (1.0 + e));
    }
  },
  /**
   * {@code max(x, 0)} as {@link Math#max}: NaN stays NaN, as in PyTorch's {@code relu}, so that a
   * non-finite input is not hidden from the loss and the monitor; −0 gives +0.
   */
  RELU {
    @Override
    public float apply(float x) {
      return Math.max(x, 0f);
    }
  },
  /** 1 where x is NaN or infinite, else 0. */
  NON_FINITE {
    @Override
    public float apply(float x) {
      return Float.isFinite(x) ? 0f : 1f;
    }
  },
  SIGN {
    @Override
    public float apply(float x) {
      return Math.signum(x);
    }
  },
  SQUARE {
    @Override
    public float apply(float x) {
      return x * x;
    }
  };

  /** The function at one point. */
  public abstract float apply(float x);
}
