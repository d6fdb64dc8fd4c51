package org.gradguard.autograd;

/** One recorded op on the tape: what it was, its inputs, and its derivative rule until freed. */
final class Node {
  final Op op;
  final Variable[] inputs;
  private Backward rule;

  Node(Op op, Variable[] inputs, Backward rule) {
    this.op = op;
    this.inputs = inputs;
    this.rule = rule;
  }

  Backward rule() {
    if (rule == null) {
      throw new IllegalStateException(
          "backward: the graph through '"
              + op.name().toLowerCase(java.util.Locale.ROOT)
              + "' was already freed by an earlier backward(); pass retainGraph = true to the"
              + " first backward() to differentiate the same graph twice");
    }
    return rule;
  }

  /** Drops the rule and, with it, every tensor the rule saved for the backward pass. */
  void free() {
    rule = null;
  }
}
