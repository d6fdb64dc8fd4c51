package org.gradguard.train;

import java.util.ArrayList;
import java.util.List;
import org.gradguard.optim.TransformState;

/**
 * Reads one named number from a transformation's state tree without knowing the chain: the first
 * occurrence in depth-first order (this level before its children). The key set of a state is fixed
 * by {@code init}, so the path is found once and reused every step.
 */
final class StateProbe {
  private final String key;
  private final int[] path;

  private StateProbe(String key, int[] path) {
    this.key = key;
    this.path = path;
  }

  /** A probe for {@code key} in {@code root}'s tree; it reads NaN when no level has the key. */
  static StateProbe find(TransformState root, String key) {
    List<Integer> p = new ArrayList<>();
    if (!search(root, key, p)) {
      return new StateProbe(key, null);
    }
    return new StateProbe(key, p.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean search(TransformState s, String key, List<Integer> path) {
    if (s.hasNumber(key)) {
      return true;
    }
    for (int i = 0; i < s.childCount(); i++) {
      path.add(i);
      if (search(s.child(i), key, path)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }

  /** The number in {@code root} (a state of the same structure), or NaN when absent. */
  double read(TransformState root) {
    if (path == null) {
      return Double.NaN;
    }
    TransformState s = root;
    for (int i : path) {
      s = s.child(i);
    }
    return s.number(key);
  }
}
