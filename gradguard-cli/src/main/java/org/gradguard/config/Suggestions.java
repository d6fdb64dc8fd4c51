package org.gradguard.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" suggestions: the closest allowed word within a small edit distance. */
public final class Suggestions {
  /** The largest edit distance at which a word is suggested. */
  public static final int MAX_DISTANCE = 2;

  private Suggestions() {}

  /**
   * The allowed word closest to {@code word} by {@link #distance} (the first on ties), compared
   * without case and with {@code -} and {@code _} equal, if within {@link #MAX_DISTANCE}; else
   * null.
   */
  public static String closest(String word, Collection<String> allowed) {
    String best = null;
    int bestDistance = MAX_DISTANCE + 1;
    String w = normalize(word);
    for (String candidate : allowed) {
      int d = distance(w, normalize(candidate));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** {@code "; did you mean 'x'?"} for the closest word, or the empty string. */
  public static String didYouMean(String word, Collection<String> allowed) {
    String s = closest(word, allowed);
    return s == null ? "" : "; did you mean '" + s + "'?";
  }

  /** Levenshtein distance: the fewest single-character insertions, deletions or substitutions. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Lower case, {@code -} as {@code _}: the form in which names are compared. */
  static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
