package org.gradguard.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradguard.tensor.Shapes;
import org.gradguard.tensor.Tensor;

/** Records ops on the tape and runs the reverse pass. */
public final class Graph {
  private Graph() {}

  /**
   * Records an op: the result requires a gradient when recording is on and any input requires one.
   * {@code rule} is kept only in that case, so a no-grad forward saves nothing.
   *
   * <p>This is the one entry point through which every differentiable primitive is built; new
   * primitives (e.g. a layer's fused kernel) call it with their {@link Op}.
   */
  public static Variable record(Op op, Tensor output, Backward rule, Variable... inputs) {
    boolean needs = false;
    if (!NoGrad.active()) {
      for (Variable v : inputs) {
        needs |= v.requiresGrad();
      }
    }
    if (!needs) {
      return new Variable(output, false, null);
    }
    return new Variable(output, true, new Node(op, inputs.clone(), rule));
  }

  static void backward(Variable root, Tensor seed, boolean retainGraph) {
    List<Variable> order = topologicalOrder(root);
    Map<Variable, Tensor> pending = new IdentityHashMap<>();
    pending.put(root, seed);
    for (int i = order.size() - 1; i >= 0; i--) {
      Variable v = order.get(i);
      Tensor g = pending.remove(v);
      if (g == null) {
        continue;
      }
      g = v.runHooks(g);
      Node node = v.node();
      if (node == null || v.retainsGrad()) {
        v.accumulateGrad(g);
      }
      if (node == null) {
        continue;
      }
      Tensor[] inputGrads = node.rule().apply(g);
      for (int k = 0; k < node.inputs.length; k++) {
        Variable in = node.inputs[k];
        Tensor gi = inputGrads[k];
        if (!in.requiresGrad() || gi == null) {
          continue;
        }
        if (!gi.sameShape(in.value())) {
          throw new IllegalStateException(
              node.op
                  + " backward: gradient of shape "
                  + Shapes.format(gi.shape())
                  + " for input "
                  + k
                  + " of shape "
                  + Shapes.format(in.value().shape()));
        }
        Tensor prev = pending.get(in);
        pending.put(in, prev == null ? gi : prev.add(gi));
      }
      if (!retainGraph) {
        node.free();
      }
    }
  }

  /** Post-order over variables reachable from {@code root} (inputs before the ops using them). */
  private static List<Variable> topologicalOrder(Variable root) {
    List<Variable> order = new ArrayList<>();
    Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    visited.add(root);
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Variable v = (Variable) frame[0];
      int next = (Integer) frame[1];
      Node node = v.node();
      if (node != null && next < node.inputs.length) {
        frame[1] = next + 1;
        Variable in = node.inputs[next];
        if (in.requiresGrad() && visited.add(in)) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        order.add(v);
      }
    }
    return order;
  }
}
