package io.github.dsw.cli;

import java.util.Collection;

/**
 * "Did you mean ...?" for a mistyped command or option: the candidate at the smallest
 * Damerau–Levenshtein distance (insertions, deletions, substitutions and swaps of two neighbours, each
 * costing 1), if that distance is small for the word's length, or the only candidate the word is a prefix of.
 */
final class Suggest {

    private Suggest() {
    }

    /** The closest candidate to {@code word}, or {@code null} when none is close enough to be a likely typo. */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String onlyPrefixed = null;
        int prefixed = 0;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
            if (c.startsWith(word)) {
                onlyPrefixed = c;
                prefixed++;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        if (best != null && bestDistance <= allowed) {
            return best;
        }
        return prefixed == 1 && word.length() >= 2 ? onlyPrefixed : null;
    }

    /** Optimal-string-alignment distance (Damerau–Levenshtein where no substring is edited twice). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
