package dev.haguard.rules.common;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Objects that carry a label selector (budgets), found for a set of labels without trying each: a selector is filed
 * under a label pair every set it selects must have (its first matchLabels pair, else each value of its first In
 * expression); one without such a pair (empty, Exists, NotIn only) is tried on every lookup. A namespace of N
 * workloads and N budgets is then matched in about N tries rather than N². Results keep the order of {@link #add}.
 */
public final class SelectorIndex<T> {

    private record Entry<T>(int order, T item, LabelSelector selector) {
    }

    private final Function<T, LabelSelector> selectorOf;
    private final Map<String, List<Entry<T>>> byPair = new HashMap<>();
    private final List<Entry<T>> unpaired = new ArrayList<>();
    private int added;

    public SelectorIndex(Function<T, LabelSelector> selectorOf) {
        this.selectorOf = selectorOf;
    }

    public void add(T item) {
        LabelSelector selector = selectorOf.apply(item);
        Entry<T> entry = new Entry<>(added++, item, selector);
        List<String> needed = Selectors.neededPairs(selector);
        if (needed == null) {
            unpaired.add(entry);
        } else {
            needed.forEach(pair -> byPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(entry));
        }
    }

    /** The items whose selector selects {@code labels}. */
    public List<T> selecting(Map<String, String> labels) {
        List<Entry<T>> found = new ArrayList<>();
        for (Entry<T> e : unpaired) {
            if (Selectors.matches(e.selector(), labels)) {
                found.add(e);
            }
        }
        labels.forEach((k, v) -> {
            for (Entry<T> e : byPair.getOrDefault(Selectors.pair(k, v), List.of())) {
                if (Selectors.matches(e.selector(), labels)) {
                    found.add(e);
                }
            }
        });
        found.sort((a, b) -> Integer.compare(a.order(), b.order()));
        return found.stream().map(Entry::item).toList();
    }
}
