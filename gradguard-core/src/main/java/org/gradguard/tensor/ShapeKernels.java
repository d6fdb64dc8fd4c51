package org.gradguard.tensor;

/** Copying kernels behind the shape operations of {@link Tensor}. */
final class ShapeKernels {
  private ShapeKernels() {}

  static Tensor permute(Tensor x, int[] perm) {
    int[] shape = x.shapeRef();
    int rank = shape.length;
    if (perm.length != rank) {
      throw new IllegalArgumentException(
          "permute: " + perm.length + " axes given for a tensor of shape " + Shapes.format(shape));
    }
    boolean[] seen = new boolean[rank];
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = Shapes.axis("permute", perm[i], rank);
      if (seen[p[i]]) {
        throw new IllegalArgumentException(
            "permute: axis " + perm[i] + " appears twice in " + java.util.Arrays.toString(perm));
      }
      seen[p[i]] = true;
    }
    int[] outShape = new int[rank];
    int[] inStrides = Shapes.strides(shape);
    int[] readStrides = new int[rank];
    for (int i = 0; i < rank; i++) {
      outShape[i] = shape[p[i]];
      readStrides[i] = inStrides[p[i]];
    }
    float[] out = new float[x.numel()];
    copyStrided(x.data(), 0, readStrides, outShape, out);
    return Tensor.wrap(out, outShape);
  }

  /** Writes {@code src} read with {@code strides} over {@code shape} into {@code out}, in order. */
  static void copyStrided(float[] src, int offset, int[] strides, int[] shape, float[] out) {
    int n = Shapes.numel(shape);
    if (n == 0) {
      return;
    }
    int rank = shape.length;
    if (rank == 0) {
      out[0] = src[offset];
      return;
    }
    int[] idx = new int[rank];
    int pos = offset;
    int last = rank - 1;
    for (int o = 0; o < n; ) {
      int q = pos;
      for (int j = 0; j < shape[last]; j++) {
        out[o++] = src[q];
        q += strides[last];
      }
      for (int d = last - 1; d >= 0; d--) {
        idx[d]++;
        pos += strides[d];
        if (idx[d] < shape[d]) {
          break;
        }
        pos -= strides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }

  static Tensor slice(Tensor x, int axis, int start, int end, int step) {
    int[] shape = x.shapeRef();
    int a = Shapes.axis("slice", axis, shape.length);
    int len = shape[a];
    if (step <= 0) {
      throw new IllegalArgumentException("slice: step must be > 0, got " + step);
    }
    int s = start < 0 ? start + len : start;
    int e = end < 0 ? end + len : end;
    if (s < 0 || e > len || s > e) {
      throw new IllegalArgumentException(
          "slice: range ["
              + start
              + ", "
              + end
              + ") is out of bounds for axis "
              + axis
              + " of shape "
              + Shapes.format(shape));
    }
    int[] outShape = shape.clone();
    outShape[a] = (e - s + step - 1) / step;
    int[] strides = Shapes.strides(shape);
    int[] readStrides = strides.clone();
    readStrides[a] = strides[a] * step;
    float[] out = new float[Shapes.numel(outShape)];
    copyStrided(x.data(), s * strides[a], readStrides, outShape, out);
    return Tensor.wrap(out, outShape);
  }

  static Tensor concat(int axis, Tensor... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("concat: needs at least one tensor");
    }
    int[] first = parts[0].shapeRef();
    int a = Shapes.axis("concat", axis, first.length);
    int total = 0;
    for (Tensor t : parts) {
      int[] s = t.shapeRef();
      boolean ok = s.length == first.length;
      for (int i = 0; ok && i < s.length; i++) {
        ok = i == a || s[i] == first[i];
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "concat: shapes "
                + Shapes.format(first)
                + " and "
                + Shapes.format(s)
                + " differ outside axis "
                + axis);
      }
      total += s[a];
    }
    int[] outShape = first.clone();
    outShape[a] = total;
    int outer = 1;
    for (int i = 0; i < a; i++) {
      outer *= first[i];
    }
    int inner = 1;
    for (int i = a + 1; i < first.length; i++) {
      inner *= first[i];
    }
    float[] out = new float[Shapes.numel(outShape)];
    int rowLen = total * inner;
    int offset = 0;
    for (Tensor t : parts) {
      int chunk = t.shapeRef()[a] * inner;
      float[] src = t.data();
      for (int o = 0; o < outer; o++) {
        System.arraycopy(src, o * chunk, out, o * rowLen + offset, chunk);
      }
      offset += chunk;
    }
    return Tensor.wrap(out, outShape);
  }

  static Tensor stack(int axis, Tensor... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("stack: needs at least one tensor");
    }
    int[] first = parts[0].shapeRef();
    int a = Shapes.axis("stack", axis, first.length + 1);
    Tensor[] expanded = new Tensor[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!java.util.Arrays.equals(parts[i].shapeRef(), first)) {
        throw new IllegalArgumentException(
            "stack: shapes "
                + Shapes.format(first)
                + " and "
                + Shapes.format(parts[i].shapeRef())
                + " differ");
      }
      expanded[i] = parts[i].unsqueeze(a);
    }
    return concat(a, expanded);
  }

  static Tensor indexSelect(Tensor x, int axis, int[] indices) {
    int[] shape = x.shapeRef();
    int a = Shapes.axis("indexSelect", axis, shape.length);
    int len = shape[a];
    int outer = 1;
    for (int i = 0; i < a; i++) {
      outer *= shape[i];
    }
    int inner = 1;
    for (int i = a + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    for (int idx : indices) {
      if (idx < 0 || idx >= len) {
        throw new IllegalArgumentException(
            "indexSelect: index "
                + idx
                + " is out of range [0, "
                + len
                + ") for axis "
                + axis
                + " of shape "
                + Shapes.format(shape));
      }
    }
    int[] outShape = shape.clone();
    outShape[a] = indices.length;
    float[] out = new float[Shapes.numel(outShape)];
    float[] src = x.data();
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < indices.length; j++) {
        System.arraycopy(
            src, (o * len + indices[j]) * inner, out, (o * indices.length + j) * inner, inner);
      }
    }
    return Tensor.wrap(out, outShape);
  }

  static Tensor gather(Tensor x, int axis, int[] index, int[] indexShape) {
    int[] shape = x.shapeRef();
    int a = Shapes.axis("gather", axis, shape.length);
    if (indexShape.length != shape.length) {
      throw new IllegalArgumentException(
          "gather: index shape "
              + Shapes.format(indexShape)
              + " must have the rank of the input shape "
              + Shapes.format(shape));
    }
    for (int i = 0; i < shape.length; i++) {
      if (i != a && indexShape[i] > shape[i]) {
        throw new IllegalArgumentException(
            "gather: index shape "
                + Shapes.format(indexShape)
                + " exceeds input shape "
                + Shapes.format(shape)
                + " at axis "
                + i);
      }
    }
    int n = Shapes.numel(indexShape);
    if (index.length != n) {
      throw new IllegalArgumentException(
          "gather: " + index.length + " indices for index shape " + Shapes.format(indexShape));
    }
    int[] inStrides = Shapes.strides(shape);
    int[] idxStrides = Shapes.strides(indexShape);
    float[] out = new float[n];
    float[] src = x.data();
    for (int k = 0; k < n; k++) {
      int rem = k;
      int pos = 0;
      for (int d = 0; d < indexShape.length; d++) {
        int c = rem / idxStrides[d];
        rem -= c * idxStrides[d];
        if (d == a) {
          c = index[k];
          if (c < 0 || c >= shape[a]) {
            throw new IllegalArgumentException(
                "gather: index "
                    + c
                    + " is out of range [0, "
                    + shape[a]
                    + ") for axis "
                    + axis
                    + " of shape "
                    + Shapes.format(shape));
          }
        }
        pos += c * inStrides[d];
      }
      out[k] = src[pos];
    }
    return Tensor.wrap(out, indexShape.clone());
  }
}
