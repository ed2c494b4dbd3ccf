package dev.haguard.policy;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean": the known word nearest to one that was mistyped. */
public final class Spelling {

    private Spelling() {
    }

    /** The candidate within a couple of edits of {@code word} (more for long words), if there is one. */
    public static Optional<String> nearest(String word, Collection<String> candidates) {
        int allowed = Math.max(2, word.length() / 4);
        return candidates.stream().min(Comparator.comparingInt(c -> distance(c, word)))
                .filter(c -> distance(c, word) <= allowed);
    }

    /** Levenshtein distance: how many single-character edits turn one word into the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
