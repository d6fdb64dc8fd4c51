package org.gradguard.tensor;

import java.util.Arrays;

/**
 * A dense, row-major, contiguous float32 array with an immutable shape.
 *
 * <p>Operations return new tensors and leave their inputs unchanged, except methods whose name ends
 * in {@code InPlace}, which modify the receiver and say so. {@link #reshape} returns a view that
 * shares storage; every other shape operation copies. Elementwise operations broadcast like NumPy.
 * Every operation validates its arguments and throws {@link IllegalArgumentException} naming the
 * operation and the shapes involved.
 *
 * <p>This class knows nothing of gradients; {@code org.gradguard.autograd.Variable} wraps a tensor
 * with the recording needed for reverse-mode differentiation.
 */
public final class Tensor {
  private final int[] shape;
  private final float[] data;

  private Tensor(float[] data, int[] shape) {
    this.shape = shape;
    this.data = data;
  }

  // ---------------------------------------------------------------- creation

  /** A tensor holding a copy of {@code data} in the given shape. */
  public static Tensor of(float[] data, int... shape) {
    return wrap(data.clone(), shape.clone());
  }

  /**
   * A tensor that uses {@code data} as its storage, without copying: later writes to the array are
   * visible through the tensor.
   */
  public static Tensor wrap(float[] data, int... shape) {
    int n = Shapes.numel(shape);
    if (data.length != n) {
      throw new IllegalArgumentException(
          "tensor: " + data.length + " values do not fill shape " + Shapes.format(shape));
    }
    return new Tensor(data, shape.clone());
  }

  /** A tensor of the given shape from double values, rounded to float32. */
  public static Tensor ofDoubles(double[] values, int... shape) {
    float[] d = new float[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) values[i];
    }
    return wrap(d, shape);
  }

  /** A rank-0 tensor. */
  public static Tensor scalar(float value) {
    return new Tensor(new float[] {value}, new int[0]);
  }

  /** A rank-1 tensor of the given values. */
  public static Tensor vector(float... values) {
    return of(values, values.length);
  }

  public static Tensor zeros(int... shape) {
    return new Tensor(new float[Shapes.numel(shape)], shape.clone());
  }

  public static Tensor ones(int... shape) {
    return full(1f, shape);
  }

  public static Tensor full(float value, int... shape) {
    float[] d = new float[Shapes.numel(shape)];
    Arrays.fill(d, value);
    return new Tensor(d, shape.clone());
  }

  /** {@code [0, 1, …, n-1]}. */
  public static Tensor arange(int n) {
    return arange(0f, n, 1f);
  }

  /** {@code start, start+step, …} while below {@code end} (above, for a negative step). */
  public static Tensor arange(float start, float end, float step) {
    if (step == 0 || !Float.isFinite(step)) {
      throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
    }
    int n = (int) Math.max(0, Math.ceil((end - start) / (double) step));
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = (float) (start + (double) i * step);
    }
    return new Tensor(d, new int[] {n});
  }

  /** Standard normal draws from {@code rng}. */
  public static Tensor randn(Rng rng, int... shape) {
    return normal(rng, 0, 1, shape);
  }

  /** Normal draws with the given mean and standard deviation. */
  public static Tensor normal(Rng rng, double mean, double std, int... shape) {
    if (!(std >= 0)) {
      throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
    }
    float[] d = new float[Shapes.numel(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (mean + std * rng.nextGaussian());
    }
    return new Tensor(d, shape.clone());
  }

  /** Uniform draws in [0, 1). */
  public static Tensor rand(Rng rng, int... shape) {
    return uniform(rng, 0, 1, shape);
  }

  /** Uniform draws in [low, high). */
  public static Tensor uniform(Rng rng, double low, double high, int... shape) {
    if (!(high >= low)) {
      throw new IllegalArgumentException(
          "uniform: high must be >= low, got low " + low + ", high " + high);
    }
    float[] d = new float[Shapes.numel(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (low + (high - low) * rng.nextDouble());
    }
    return new Tensor(d, shape.clone());
  }

  // ---------------------------------------------------------------- access

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The shape array itself, for kernels in this package that promise not to modify it. */
  int[] shapeRef() {
    return shape;
  }

  /** The rank (number of dimensions). */
  public int dim() {
    return shape.length;
  }

  /** The length of one axis; negative axes count from the end. */
  public int size(int axis) {
    return shape[Shapes.axis("size", axis, shape.length)];
  }

  public int numel() {
    return data.length;
  }

  /**
   * The storage itself, row-major, not a copy. Writes through it change this tensor and every view
   * that shares its storage.
   */
  public float[] data() {
    return data;
  }

  /** The value of a one-element tensor. */
  public float item() {
    if (data.length != 1) {
      throw new IllegalArgumentException(
          "item: tensor of shape " + Shapes.format(shape) + " has " + data.length + " elements");
    }
    return data[0];
  }

  /** The element at a full index. */
  public float get(int... index) {
    return data[offset("get", index)];
  }

  /** Sets the element at a full index. Modified: this tensor. */
  public void setInPlace(float value, int... index) {
    data[offset("setInPlace", index)] = value;
  }

  private int offset(String op, int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          op + ": index " + Arrays.toString(index) + " for shape " + Shapes.format(shape));
    }
    int off = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IllegalArgumentException(
            op
                + ": index "
                + Arrays.toString(index)
                + " out of bounds for "
                + Shapes.format(shape));
      }
      off = off * shape[i] + index[i];
    }
    return off;
  }

  /** A deep copy. */
  public Tensor copy() {
    return new Tensor(data.clone(), shape);
  }

  /** The values widened to double. */
  public double[] toDoubleArray() {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return d;
  }

  /**
   * True when both tensors have the same shape and bit-identical values (NaNs compared by bits).
   */
  public boolean bitEquals(Tensor other) {
    if (!Arrays.equals(shape, other.shape)) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(other.data[i])) {
        return false;
      }
    }
    return true;
  }

  /** True when the shape equals {@code other}'s. */
  public boolean sameShape(Tensor other) {
    return Arrays.equals(shape, other.shape);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor").append(Shapes.format(shape)).append(' ');
    int show = Math.min(data.length, 8);
    sb.append('[');
    for (int i = 0; i < show; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(data[i]);
    }
    if (show < data.length) {
      sb.append(", …");
    }
    return sb.append(']').toString();
  }

  // ---------------------------------------------------------------- shape

  /**
   * A view with a new shape and the same storage; one dimension may be {@code -1} and is then
   * inferred.
   */
  public Tensor reshape(int... newShape) {
    int[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException(
              "reshape: only one dimension can be -1 in " + Arrays.toString(newShape));
        }
        infer = i;
      } else if (s[i] < 0) {
        throw new IllegalArgumentException(
            "reshape: negative dimension in " + Arrays.toString(newShape));
      } else {
        known *= s[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || data.length % known != 0) {
        throw new IllegalArgumentException(
            "reshape: cannot reshape "
                + Shapes.format(shape)
                + " ("
                + data.length
                + " elements) to "
                + Arrays.toString(newShape));
      }
      s[infer] = (int) (data.length / known);
      known *= s[infer];
    }
    if (known != data.length) {
      throw new IllegalArgumentException(
          "reshape: cannot reshape "
              + Shapes.format(shape)
              + " ("
              + data.length
              + " elements) to "
              + Arrays.toString(newShape)
              + " ("
              + known
              + " elements)");
    }
    return new Tensor(data, s);
  }

  /** Inserts an axis of length 1 at {@code axis} (a view). */
  public Tensor unsqueeze(int axis) {
    int a = Shapes.axis("unsqueeze", axis, shape.length + 1);
    int[] s = new int[shape.length + 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      s[i] = i == a ? 1 : shape[j++];
    }
    return new Tensor(data, s);
  }

  /** Removes an axis of length 1 (a view). */
  public Tensor squeeze(int axis) {
    int a = Shapes.axis("squeeze", axis, shape.length);
    if (shape[a] != 1) {
      throw new IllegalArgumentException(
          "squeeze: axis " + axis + " of shape " + Shapes.format(shape) + " is not 1");
    }
    int[] s = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != a) {
        s[j++] = shape[i];
      }
    }
    return new Tensor(data, s);
  }

  /** Reorders the axes: axis {@code i} of the result is axis {@code perm[i]} of this tensor. */
  public Tensor permute(int... perm) {
    return ShapeKernels.permute(this, perm);
  }

  /** Swaps two axes (a copy). */
  public Tensor transpose(int axisA, int axisB) {
    int a = Shapes.axis("transpose", axisA, shape.length);
    int b = Shapes.axis("transpose", axisB, shape.length);
    int[] perm = new int[shape.length];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[a] = b;
    perm[b] = a;
    return permute(perm);
  }

  /** Elements {@code start, start+step, …} below {@code end} along {@code axis} (a copy). */
  public Tensor slice(int axis, int start, int end, int step) {
    return ShapeKernels.slice(this, axis, start, end, step);
  }

  public Tensor slice(int axis, int start, int end) {
    return ShapeKernels.slice(this, axis, start, end, 1);
  }

  /** Joins tensors along an existing axis. */
  public static Tensor concat(int axis, Tensor... parts) {
    return ShapeKernels.concat(axis, parts);
  }

  /** Joins equally shaped tensors along a new axis. */
  public static Tensor stack(int axis, Tensor... parts) {
    return ShapeKernels.stack(axis, parts);
  }

  /** The slices at {@code indices} along {@code axis}, in that order. */
  public Tensor indexSelect(int axis, int... indices) {
    return ShapeKernels.indexSelect(this, axis, indices);
  }

  /**
   * {@code out[…i_axis…] = this[…index[…]…]}: like {@code torch.gather}, the index has this
   * tensor's rank and gives, for every output position, the coordinate along {@code axis}.
   */
  public Tensor gather(int axis, int[] index, int[] indexShape) {
    return ShapeKernels.gather(this, axis, index, indexShape);
  }

  // ---------------------------------------------------------------- elementwise

  private Tensor zip(String name, BinaryOp op, Tensor other) {
    int[] out = Shapes.broadcast(name, shape, other.shape);
    float[] d = new float[Shapes.numel(out)];
    Backends.current()
        .zip(
            op,
            data,
            Shapes.broadcastStrides(shape, out),
            other.data,
            Shapes.broadcastStrides(other.shape, out),
            d,
            out);
    return new Tensor(d, out);
  }

  private Tensor map(UnaryOp op) {
    float[] d = new float[data.length];
    Backends.current().map(op, data, d, data.length);
    return new Tensor(d, shape);
  }

  /** Applies any binary op with broadcasting; {@code name} is used in error messages. */
  public Tensor apply(BinaryOp op, Tensor other) {
    return zip(op.name().toLowerCase(java.util.Locale.ROOT), op, other);
  }

  /** Applies any unary op. */
  public Tensor apply(UnaryOp op) {
    return map(op);
  }

  public Tensor add(Tensor o) {
    return zip("add", BinaryOp.ADD, o);
  }

  public Tensor sub(Tensor o) {
    return zip("sub", BinaryOp.SUB, o);
  }

  public Tensor mul(Tensor o) {
    return zip("mul", BinaryOp.MUL, o);
  }

  public Tensor div(Tensor o) {
    return zip("div", BinaryOp.DIV, o);
  }

  public Tensor pow(Tensor o) {
    return zip("pow", BinaryOp.POW, o);
  }

  public Tensor maximum(Tensor o) {
    return zip("maximum", BinaryOp.MAX, o);
  }

  public Tensor minimum(Tensor o) {
    return zip("minimum", BinaryOp.MIN, o);
  }

  public Tensor add(float c) {
    float[] d = new float[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i] + c;
    }
    return new Tensor(d, shape);
  }

  public Tensor mul(float c) {
    float[] d = new float[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i] * c;
    }
    return new Tensor(d, shape);
  }

  public Tensor pow(float exponent) {
    float[] d = new float[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = exponent == 2f ? data[i] * data[i] : (float) Math.pow(data[i], exponent);
    }
    return new Tensor(d, shape);
  }

  public Tensor neg() {
    return map(UnaryOp.NEG);
  }

  public Tensor abs() {
    return map(UnaryOp.ABS);
  }

  public Tensor exp() {
    return map(UnaryOp.EXP);
  }

  public Tensor log() {
    return map(UnaryOp.LOG);
  }

  public Tensor sqrt() {
    return map(UnaryOp.SQRT);
  }

  public Tensor square() {
    return map(UnaryOp.SQUARE);
  }

  public Tensor tanh() {
    return map(UnaryOp.TANH);
  }

  public Tensor sigmoid() {
    return map(UnaryOp.SIGMOID);
  }

  public Tensor relu() {
    return map(UnaryOp.RELU);
  }

  public Tensor sign() {
    return map(UnaryOp.SIGN);
  }

  /** Limits every element to {@code [min, max]}. */
  public Tensor clamp(float min, float max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException("clamp: min must be <= max, got " + min + " > " + max);
    }
    float[] d = new float[data.length];
    for (int i = 0; i < d.length; i++) {
      float v = data[i];
      d[i] = v < min ? min : (v > max ? max : v);
    }
    return new Tensor(d, shape);
  }

  public Tensor eq(Tensor o) {
    return zip("eq", BinaryOp.EQ, o);
  }

  public Tensor ne(Tensor o) {
    return zip("ne", BinaryOp.NE, o);
  }

  public Tensor lt(Tensor o) {
    return zip("lt", BinaryOp.LT, o);
  }

  public Tensor le(Tensor o) {
    return zip("le", BinaryOp.LE, o);
  }

  public Tensor gt(Tensor o) {
    return zip("gt", BinaryOp.GT, o);
  }

  public Tensor ge(Tensor o) {
    return zip("ge", BinaryOp.GE, o);
  }

  /** {@code cond ? a : b} elementwise, with all three broadcast together; non-zero is true. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
    int n = Shapes.numel(s);
    Tensor c = cond.broadcastTo(s);
    Tensor x = a.broadcastTo(s);
    Tensor y = b.broadcastTo(s);
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = c.data[i] != 0f ? x.data[i] : y.data[i];
    }
    return new Tensor(d, s);
  }

  /** A copy broadcast to {@code target} (or this tensor when it already has that shape). */
  public Tensor broadcastTo(int... target) {
    if (Arrays.equals(shape, target)) {
      return this;
    }
    int[] s = Shapes.broadcast("broadcastTo", shape, target);
    if (!Arrays.equals(s, target)) {
      throw new IllegalArgumentException(
          "broadcastTo: shape "
              + Shapes.format(shape)
              + " cannot be broadcast to "
              + Shapes.format(target));
    }
    float[] d = new float[Shapes.numel(target)];
    ShapeKernels.copyStrided(data, 0, Shapes.broadcastStrides(shape, target), target, d);
    return new Tensor(d, target.clone());
  }

  /**
   * Sums this tensor down to {@code target}, the inverse of broadcasting {@code target} to this
   * shape: the gradient rule of every broadcasting op.
   */
  public Tensor sumToShape(int... target) {
    if (Arrays.equals(shape, target)) {
      return this;
    }
    int[] b = Shapes.broadcast("sumToShape", target, shape);
    if (!Arrays.equals(b, shape)) {
      throw new IllegalArgumentException(
          "sumToShape: "
              + Shapes.format(shape)
              + " is not a broadcast of "
              + Shapes.format(target));
    }
    int lead = shape.length - target.length;
    boolean[] mask = new boolean[shape.length];
    boolean any = false;
    for (int i = 0; i < shape.length; i++) {
      mask[i] = i < lead || (target[i - lead] == 1 && shape[i] != 1);
      any |= mask[i];
    }
    Tensor r = any ? reduce(ReduceOp.SUM, mask, true) : this;
    return r.reshape(target);
  }

  // ---------------------------------------------------------------- in place

  /** {@code this += other} (other broadcast to this shape). Modified: this tensor. */
  public Tensor addInPlace(Tensor other) {
    return zipInPlace("addInPlace", BinaryOp.ADD, other);
  }

  /** {@code this -= other}. Modified: this tensor. */
  public Tensor subInPlace(Tensor other) {
    return zipInPlace("subInPlace", BinaryOp.SUB, other);
  }

  /** {@code this *= other}. Modified: this tensor. */
  public Tensor mulInPlace(Tensor other) {
    return zipInPlace("mulInPlace", BinaryOp.MUL, other);
  }

  /** {@code this *= c}. Modified: this tensor. */
  public Tensor mulInPlace(float c) {
    for (int i = 0; i < data.length; i++) {
      data[i] *= c;
    }
    return this;
  }

  /** {@code this += alpha * x}, with {@code x} of this shape. Modified: this tensor. */
  public Tensor addScaledInPlace(float alpha, Tensor x) {
    if (!Arrays.equals(shape, x.shape)) {
      throw new IllegalArgumentException(
          "addScaledInPlace: shapes "
              + Shapes.format(shape)
              + " and "
              + Shapes.format(x.shape)
              + " differ");
    }
    for (int i = 0; i < data.length; i++) {
      data[i] += alpha * x.data[i];
    }
    return this;
  }

  /** Sets every element to {@code value}. Modified: this tensor. */
  public Tensor fillInPlace(float value) {
    Arrays.fill(data, value);
    return this;
  }

  /** Copies {@code src}'s values, which must have this shape. Modified: this tensor. */
  public Tensor copyFromInPlace(Tensor src) {
    if (!Arrays.equals(shape, src.shape)) {
      throw new IllegalArgumentException(
          "copyFromInPlace: shapes "
              + Shapes.format(shape)
              + " and "
              + Shapes.format(src.shape)
              + " differ");
    }
    System.arraycopy(src.data, 0, data, 0, data.length);
    return this;
  }

  /** Limits every element to {@code [min, max]}. Modified: this tensor. */
  public Tensor clampInPlace(float min, float max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException(
          "clampInPlace: min must be <= max, got " + min + " > " + max);
    }
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      data[i] = v < min ? min : (v > max ? max : v);
    }
    return this;
  }

  private Tensor zipInPlace(String name, BinaryOp op, Tensor other) {
    int[] s = Shapes.broadcast(name, shape, other.shape);
    if (!Arrays.equals(s, shape)) {
      throw new IllegalArgumentException(
          name
              + ": shape "
              + Shapes.format(other.shape)
              + " cannot be broadcast into "
              + Shapes.format(shape));
    }
    Backends.current()
        .zip(
            op,
            data,
            Shapes.strides(shape),
            other.data,
            Shapes.broadcastStrides(other.shape, shape),
            data,
            shape);
    return this;
  }

  // ---------------------------------------------------------------- reductions

  /** The sum of all elements, as a rank-0 tensor. */
  public Tensor sum() {
    return sum(false);
  }

  /** Sums over {@code axes} (all axes when none are given). */
  public Tensor sum(boolean keepDims, int... axes) {
    return reduce(ReduceOp.SUM, Shapes.axisMask("sum", axes, shape.length), keepDims);
  }

  /** The mean over {@code axes} (all axes when none are given). */
  public Tensor mean(boolean keepDims, int... axes) {
    boolean[] mask = Shapes.axisMask("mean", axes, shape.length);
    Tensor s = reduce(ReduceOp.SUM, mask, keepDims);
    int count = reducedCount(mask);
    return s.mulInPlace(1f / count);
  }

  public Tensor mean() {
    return mean(false);
  }

  /** The maximum over {@code axes}; NaN propagates. */
  public Tensor max(boolean keepDims, int... axes) {
    return reduce(ReduceOp.MAX, Shapes.axisMask("max", axes, shape.length), keepDims);
  }

  /** The minimum over {@code axes}; NaN propagates. */
  public Tensor min(boolean keepDims, int... axes) {
    return reduce(ReduceOp.MIN, Shapes.axisMask("min", axes, shape.length), keepDims);
  }

  /**
   * The variance over {@code axes} with the given correction: 0 gives the biased (population)
   * variance {@code Σ(x-μ)²/n}, 1 the unbiased {@code Σ(x-μ)²/(n-1)}, as {@code torch.var}.
   */
  public Tensor variance(int correction, boolean keepDims, int... axes) {
    boolean[] mask = Shapes.axisMask("variance", axes, shape.length);
    int n = reducedCount(mask);
    if (n - correction <= 0) {
      throw new IllegalArgumentException(
          "variance: "
              + n
              + " elements with correction "
              + correction
              + " leave no degrees of freedom");
    }
    Tensor mu = reduce(ReduceOp.SUM, mask, true).mulInPlace(1f / n);
    Tensor dev = sub(mu);
    Tensor ss = dev.mul(dev).reduce(ReduceOp.SUM, mask, keepDims);
    return ss.mulInPlace(1f / (n - correction));
  }

  /** The index of the largest element along {@code axis} (first on ties), as int values. */
  public int[] argmax(int axis) {
    int a = Shapes.axis("argmax", axis, shape.length);
    int len = shape[a];
    if (len == 0) {
      throw new IllegalArgumentException(
          "argmax: axis " + axis + " of " + Shapes.format(shape) + " is empty");
    }
    int outer = 1;
    for (int i = 0; i < a; i++) {
      outer *= shape[i];
    }
    int inner = 1;
    for (int i = a + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    int[] out = new int[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int best = 0;
        float bv = data[o * len * inner + i];
        for (int l = 1; l < len; l++) {
          float v = data[(o * len + l) * inner + i];
          if (v > bv || (Float.isNaN(v) && !Float.isNaN(bv))) {
            bv = v;
            best = l;
          }
        }
        out[o * inner + i] = best;
      }
    }
    return out;
  }

  /** {@link #argmax(int)} as a float tensor with the axis removed (or kept as 1). */
  public Tensor argmax(int axis, boolean keepDims) {
    int a = Shapes.axis("argmax", axis, shape.length);
    boolean[] mask = new boolean[shape.length];
    mask[a] = true;
    int[] idx = argmax(a);
    float[] d = new float[idx.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = idx[i];
    }
    return new Tensor(d, Shapes.reduced(shape, mask, keepDims));
  }

  private int reducedCount(boolean[] mask) {
    int n = 1;
    for (int i = 0; i < shape.length; i++) {
      if (mask[i]) {
        n *= shape[i];
      }
    }
    return n;
  }

  /** Reduces every masked axis, one backend call per run of adjacent masked axes. */
  Tensor reduce(ReduceOp op, boolean[] mask, boolean keepDims) {
    int[] outShape = Shapes.reduced(shape, mask, keepDims);
    if (op != ReduceOp.SUM && reducedCount(mask) == 0) {
      throw new IllegalArgumentException(
          op.name().toLowerCase(java.util.Locale.ROOT)
              + ": cannot reduce an empty axis of "
              + Shapes.format(shape));
    }
    float[] cur = data;
    int[] curShape = shape.clone();
    for (int axis = 0; axis < shape.length; axis++) {
      if (!mask[axis]) {
        continue;
      }
      int end = axis;
      while (end + 1 < shape.length && mask[end + 1]) {
        end++;
      }
      int outer = 1;
      for (int i = 0; i < axis; i++) {
        outer *= curShape[i];
      }
      int len = 1;
      for (int i = axis; i <= end; i++) {
        len *= curShape[i];
      }
      int inner = 1;
      for (int i = end + 1; i < curShape.length; i++) {
        inner *= curShape[i];
      }
      float[] next = new float[outer * inner];
      if (len > 0) {
        Backends.current().reduce(op, cur, outer, len, inner, next);
      }
      cur = next;
      for (int i = axis; i <= end; i++) {
        curShape[i] = 1;
      }
      axis = end;
    }
    if (cur == data) {
      cur = data.clone();
    }
    return new Tensor(cur, outShape);
  }

  // ---------------------------------------------------------------- matrix products

  /**
   * Matrix product: {@code [m, k] × [k, n] → [m, n]}, batched {@code [b, m, k] × [b, k, n] → [b, m,
   * n]}, or {@code [b, m, k] × [k, n] → [b, m, n]} (the right factor shared by every batch).
   */
  public Tensor matmul(Tensor other) {
    return matmul(other, false, false);
  }

  /**
   * Matrix product of {@code op(this)} and {@code op(other)}, where {@code op} transposes the last
   * two axes when its flag is set — without materialising the transpose.
   */
  public Tensor matmul(Tensor other, boolean transA, boolean transB) {
    int[] a = shape;
    int[] b = other.shape;
    boolean batched = a.length == 3;
    if (!((a.length == 2 && b.length == 2)
        || (a.length == 3 && (b.length == 3 || b.length == 2)))) {
      throw new IllegalArgumentException(
          "matmul: "
              + Shapes.format(a)
              + " x "
              + Shapes.format(b)
              + ": expected 2-D x 2-D, 3-D x 3-D or 3-D x 2-D");
    }
    int ra = a.length - 2;
    int rb = b.length - 2;
    int m = transA ? a[ra + 1] : a[ra];
    int k = transA ? a[ra] : a[ra + 1];
    int k2 = transB ? b[rb + 1] : b[rb];
    int n = transB ? b[rb] : b[rb + 1];
    if (k != k2) {
      throw new IllegalArgumentException(
          "matmul: "
              + Shapes.format(a)
              + " x "
              + Shapes.format(b)
              + ": inner dimensions "
              + k
              + " != "
              + k2);
    }
    int batch = batched ? a[0] : 1;
    if (batched && b.length == 3 && b[0] != batch) {
      throw new IllegalArgumentException(
          "matmul: "
              + Shapes.format(a)
              + " x "
              + Shapes.format(b)
              + ": batch sizes "
              + batch
              + " != "
              + b[0]);
    }
    float[] out = new float[batch * m * n];
    Backend be = Backends.current();
    int bStride = b.length == 3 ? k * n : 0;
    for (int i = 0; i < batch; i++) {
      be.gemm(
          transA, transB, m, n, k, data, i * m * k, other.data, i * bStride, out, i * m * n, false);
    }
    return new Tensor(out, batched ? new int[] {batch, m, n} : new int[] {m, n});
  }
}
