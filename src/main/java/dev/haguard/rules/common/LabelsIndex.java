package dev.haguard.rules.common;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Objects with labels (workloads' pods), found for a label selector without trying each: candidates are those holding
 * the selector's first matchLabels pair, else one of its first In expression's pairs; every object for a selector
 * without such a pair. The counterpart of {@link SelectorIndex}. Results keep the order of {@link #add}.
 */
public final class LabelsIndex<T> {

    private record Entry<T>(int order, T item, Map<String, String> labels) {
    }

    private final Function<T, Map<String, String>> labelsOf;
    private final Map<String, List<Entry<T>>> byPair = new HashMap<>();
    private final List<Entry<T>> all = new ArrayList<>();

    public LabelsIndex(Function<T, Map<String, String>> labelsOf) {
        this.labelsOf = labelsOf;
    }

    public void add(T item) {
        Entry<T> entry = new Entry<>(all.size(), item, labelsOf.apply(item));
        all.add(entry);
        entry.labels().forEach((k, v) -> byPair.computeIfAbsent(Selectors.pair(k, v), x -> new ArrayList<>()).add(entry));
    }

    /** The items whose labels {@code selector} selects. */
    public List<T> selectedBy(LabelSelector selector) {
        List<String> needed = Selectors.neededPairs(selector);
        List<Entry<T>> candidates = all;
        if (needed != null) {
            candidates = new ArrayList<>();
            for (String pair : needed) {
                candidates.addAll(byPair.getOrDefault(pair, List.of()));
            }
            candidates.sort((a, b) -> Integer.compare(a.order(), b.order()));
        }
        List<T> out = new ArrayList<>();
        for (Entry<T> e : candidates) {
            if (Selectors.matches(selector, e.labels())) {
                out.add(e.item());
            }
        }
        return out;
    }
}
