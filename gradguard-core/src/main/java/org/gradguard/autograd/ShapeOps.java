package org.gradguard.autograd;

import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/** Shape operations: views, axis reordering, slicing, joining and indexing. */
public final class ShapeOps {
  private ShapeOps() {}

  /** A new shape for the same elements; the gradient is reshaped back. */
  public static Variable reshape(Variable a, int... shape) {
    int[] original = a.shape();
    return Graph.record(
        Op.RESHAPE, a.value().reshape(shape), g -> new Tensor[] {g.reshape(original)}, a);
  }

  /**
   * Flattens axes {@code startDim..endDim} (inclusive; negative counts from the end) into one, as
   * {@code torch.flatten}.
   */
  public static Variable flatten(Variable a, int startDim, int endDim) {
    int[] s = a.shape();
    if (s.length == 0) {
      return reshape(a, 1);
    }
    int start = Shapes.axis("flatten", startDim, s.length);
    int end = Shapes.axis("flatten", endDim, s.length);
    if (start > end) {
      throw new IllegalArgumentException(
          "flatten: startDim "
              + startDim
              + " comes after endDim "
              + endDim
              + " for shape "
              + Shapes.format(s));
    }
    int[] out = new int[s.length - (end - start)];
    int j = 0;
    for (int i = 0; i < start; i++) {
      out[j++] = s[i];
    }
    int prod = 1;
    for (int i = start; i <= end; i++) {
      prod *= s[i];
    }
    out[j++] = prod;
    for (int i = end + 1; i < s.length; i++) {
      out[j++] = s[i];
    }
    return reshape(a, out);
  }

  /** Inserts an axis of length 1 (composite: a reshape). */
  public static Variable unsqueeze(Variable a, int axis) {
    return reshape(a, a.value().unsqueeze(axis).shape());
  }

  /** Removes an axis of length 1 (composite: a reshape). */
  public static Variable squeeze(Variable a, int axis) {
    return reshape(a, a.value().squeeze(axis).shape());
  }

  /** Reorders axes; the gradient is permuted by the inverse permutation. */
  public static Variable permute(Variable a, int... perm) {
    Tensor out = a.value().permute(perm);
    int rank = perm.length;
    int[] inverse = new int[rank];
    for (int i = 0; i < rank; i++) {
      inverse[Shapes.axis("permute", perm[i], rank)] = i;
    }
    return Graph.record(Op.PERMUTE, out, g -> new Tensor[] {g.permute(inverse)}, a);
  }

  /** Swaps two axes (composite: a permutation). */
  public static Variable transpose(Variable a, int axisA, int axisB) {
    int rank = a.value().dim();
    int x = Shapes.axis("transpose", axisA, rank);
    int y = Shapes.axis("transpose", axisB, rank);
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[x] = y;
    perm[y] = x;
    return permute(a, perm);
  }

  /**
   * Elements {@code start, start+step, …} below {@code end} along {@code axis}; the gradient is
   * scattered back into zeros.
   */
  public static Variable slice(Variable a, int axis, int start, int end, int step) {
    Tensor x = a.value();
    Tensor out = x.slice(axis, start, end, step);
    int[] shape = x.shape();
    int ax = Shapes.axis("slice", axis, shape.length);
    int s = start < 0 ? start + shape[ax] : start;
    return Graph.record(
        Op.SLICE,
        out,
        g -> {
          Tensor r = Tensor.zeros(shape);
          int[] os = g.shape();
          int outer = 1;
          for (int i = 0; i < ax; i++) {
            outer *= shape[i];
          }
          int inner = 1;
          for (int i = ax + 1; i < shape.length; i++) {
            inner *= shape[i];
          }
          float[] rd = r.data();
          float[] gd = g.data();
          for (int o = 0; o < outer; o++) {
            for (int j = 0; j < os[ax]; j++) {
              System.arraycopy(
                  gd, (o * os[ax] + j) * inner, rd, (o * shape[ax] + s + j * step) * inner, inner);
            }
          }
          return new Tensor[] {r};
        },
        a);
  }

  /** Joins along an existing axis; each input's gradient is its slice of the upstream. */
  public static Variable concat(int axis, Variable... parts) {
    Tensor[] values = new Tensor[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = parts[i].value();
    }
    Tensor out = Tensor.concat(axis, values);
    int ax = Shapes.axis("concat", axis, out.dim());
    return Graph.record(
        Op.CONCAT,
        out,
        g -> {
          Tensor[] r = new Tensor[parts.length];
          int offset = 0;
          for (int i = 0; i < parts.length; i++) {
            int len = values[i].size(ax);
            r[i] = parts[i].requiresGrad() ? g.slice(ax, offset, offset + len) : null;
            offset += len;
          }
          return r;
        },
        parts);
  }

  /** Joins equally shaped variables along a new axis (composite: unsqueeze, then concat). */
  public static Variable stack(int axis, Variable... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("stack: needs at least one tensor");
    }
    int[] first = parts[0].shape();
    int ax = Shapes.axis("stack", axis, first.length + 1);
    Variable[] expanded = new Variable[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!java.util.Arrays.equals(parts[i].shape(), first)) {
        throw new IllegalArgumentException(
            "stack: shapes "
                + Shapes.format(first)
                + " and "
                + Shapes.format(parts[i].shape())
                + " differ");
      }
      expanded[i] = unsqueeze(parts[i], ax);
    }
    return concat(ax, expanded);
  }

  /**
   * The slices at {@code indices} along {@code axis}; the gradient scatter-adds back, so repeated
   * indices accumulate.
   */
  public static Variable indexSelect(Variable a, int axis, int... indices) {
    Tensor x = a.value();
    Tensor out = x.indexSelect(axis, indices);
    int[] shape = x.shape();
    int ax = Shapes.axis("indexSelect", axis, shape.length);
    int[] idx = indices.clone();
    return Graph.record(
        Op.INDEX_SELECT,
        out,
        g -> {
          Tensor r = Tensor.zeros(shape);
          int outer = 1;
          for (int i = 0; i < ax; i++) {
            outer *= shape[i];
          }
          int inner = 1;
          for (int i = ax + 1; i < shape.length; i++) {
            inner *= shape[i];
          }
          float[] rd = r.data();
          float[] gd = g.data();
          for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
              int src = (o * idx.length + j) * inner;
              int dst = (o * shape[ax] + idx[j]) * inner;
              for (int e = 0; e < inner; e++) {
                rd[dst + e] += gd[src + e];
              }
            }
          }
          return new Tensor[] {r};
        },
        a);
  }

  /**
   * {@code torch.gather}: for every position of {@code index} (shape {@code indexShape}, the rank
   * of {@code a}), the element of {@code a} at that position with the coordinate along {@code axis}
   * replaced by the index. The gradient scatter-adds back.
   */
  public static Variable gather(Variable a, int axis, int[] index, int[] indexShape) {
    Tensor x = a.value();
    Tensor out = x.gather(axis, index, indexShape);
    int[] shape = x.shape();
    int ax = Shapes.axis("gather", axis, shape.length);
    int[] idx = index.clone();
    int[] ishape = indexShape.clone();
    return Graph.record(
        Op.GATHER,
        out,
        g -> {
          Tensor r = Tensor.zeros(shape);
          float[] rd = r.data();
          float[] gd = g.data();
          int[] inStrides = Shapes.strides(shape);
          int[] idxStrides = Shapes.strides(ishape);
          for (int k = 0; k < gd.length; k++) {
            int rem = k;
            int pos = 0;
            for (int d = 0; d < ishape.length; d++) {
              int c = rem / idxStrides[d];
              rem -= c * idxStrides[d];
              pos += (d == ax ? idx[k] : c) * inStrides[d];
            }
            rd[pos] += gd[k];
          }
          return new Tensor[] {r};
        },
        a);
  }
}
